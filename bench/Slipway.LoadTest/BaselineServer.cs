using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Slipway.LoadTest;

/// <summary>
/// The HTTP stack's own ceiling for the serving benchmark: a bare ASP.NET Core endpoint (same Kestrel, same slim
/// builder as Slipway) that parses the OIP JSON request and writes a constant answer. Run as a child process
/// (<c>slipway-loadtest baseline-server PORT</c>) so it gets the machine the way the real server does.
/// </summary>
internal static class BaselineServer
{
    private static readonly byte[] Answer =
        """{"model_name":"baseline","model_version":"1","outputs":[{"name":"label","datatype":"INT64","shape":[1],"data":[1]},{"name":"probabilities","datatype":"FP32","shape":[1,2],"data":[0.1,0.9]}]}"""u8.ToArray();

    public static async Task<int> RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapPost("/v2/models/{name}/infer", async (HttpContext context) =>
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body);
            var inputs = document.RootElement.GetProperty("inputs");
            var sum = 0.0;
            foreach (var value in inputs[0].GetProperty("data").EnumerateArray())
                sum += value.GetDouble();
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(Answer);
            return sum > double.MaxValue ? Results.BadRequest() : Results.Empty;
        });
        app.MapGet("/ready", () => "ok");
        await app.RunAsync();
        return 0;
    }
}
