using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Slipway.Core.Security;
using Slipway.Serving.Inference;
using Slipway.Serving.Protocols.Oip;

namespace Slipway.Serving.Tests.Protocols;

/// <summary>A real Kestrel host on 127.0.0.1 with a free port that maps only the OIP REST routes over the given targets.</summary>
internal sealed class OipTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OipTestHost(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    public static async Task<OipTestHost> StartAsync(IInferenceTargets targets, OipOptions? options = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(targets);
        if (options is not null)
            builder.Services.AddSingleton(options);
        builder.Services.AddAuthorization(auth => auth.AddPolicy(SlipwayPolicies.ServingInfer, policy => policy.RequireAssertion(_ => true)));
        var app = builder.Build();
        app.UseAuthorization();
        OipEndpoints.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new OipTestHost(app, new HttpClient { BaseAddress = new Uri(address) });
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Asserts an OIP error answer: the status, JSON content, and a body that is exactly <c>{"error": string}</c>.</summary>
    public static async Task<string> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        var properties = document.RootElement.EnumerateObject().ToList();
        var error = Assert.Single(properties);
        Assert.Equal("error", error.Name);
        Assert.Equal(JsonValueKind.String, error.Value.ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(error.Value.GetString()));
        return error.Value.GetString()!;
    }

    public static async Task<JsonElement> ReadOkJsonAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }
}
