using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Slipway.Observability.Tests.Tracing;

/// <summary>
/// A test-owned OTLP/HTTP trace receiver on 127.0.0.1: accepts <c>POST /v1/traces</c> with a protobuf
/// <c>ExportTraceServiceRequest</c>, decodes the spans and answers an empty (successful) export response.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private OtlpReceiver(WebApplication app)
    {
        _app = app;
        app.Use(async (context, next) =>
        {
            Interlocked.Increment(ref _requests);
            await next(context);
        });
        app.MapPost("/v1/traces", ReceiveAsync);
    }

    /// <summary>The collector base address, as given to <c>OtlpEndpoint</c> (the exporter appends /v1/traces).</summary>
    public Uri BaseAddress => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public ConcurrentQueue<ReceivedSpan> Spans { get; } = new();

    /// <summary>Every export body as received, so a test can look for secret bytes anywhere in it (not only in the
    /// string attributes the decoder keeps).</summary>
    public ConcurrentQueue<byte[]> Exports { get; } = new();

    /// <summary>Every request the receiver got, on any path: a server with tracing off must send none.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var receiver = new OtlpReceiver(builder.Build());
        await receiver._app.StartAsync();
        return receiver;
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        if (context.Request.ContentType != "application/x-protobuf")
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }
        Exports.Enqueue(body.ToArray());
        foreach (var span in OtlpTraceDecoder.Decode(body.GetBuffer().AsSpan(0, (int)body.Length)))
            Spans.Enqueue(span);
        context.Response.ContentType = "application/x-protobuf";
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>Waits until a received span matches, failing after a generous deadline with what did arrive.</summary>
    public async Task<ReceivedSpan> WaitForSpanAsync(Func<ReceivedSpan, bool> match, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (Spans.FirstOrDefault(match) is { } span)
                return span;
            Assert.True(DateTime.UtcNow < deadline,
                $"No {what} span arrived within 60 s. Received: {string.Join(", ", Spans.Select(s => $"{s.ServiceName}:{s.Name}"))}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
