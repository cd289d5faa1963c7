using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Slipway.Registry.Tests.Webhooks;

/// <summary>A webhook subscriber: a real Kestrel listener on 127.0.0.1 that records every POST it gets.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly Func<int, Task<int>> _respond;
    private WebApplication? _app;
    private int _count;

    private WebhookReceiver(Func<int, Task<int>> respond) => _respond = respond;

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>Starts a receiver; <paramref name="respond"/> maps the 1-based request number to the status to answer.</summary>
    public static Task<WebhookReceiver> StartAsync(Func<int, int>? respond = null) =>
        StartAsync(n => Task.FromResult(respond?.Invoke(n) ?? StatusCodes.Status200OK));

    public static async Task<WebhookReceiver> StartAsync(Func<int, Task<int>> respond)
    {
        var receiver = new WebhookReceiver(respond);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost("/{**path}", receiver.HandleAsync);
        await app.StartAsync();
        receiver._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseAddress = new Uri(address);
        return receiver;
    }

    /// <summary>A URL on 127.0.0.1 where nothing listens: connections are refused.</summary>
    public static string ClosedPortUrl()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}/hook";
    }

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    public IReadOnlyList<ReceivedRequest> RequestsTo(string path) => Requests.Where(r => r.Path == path).ToList();

    /// <summary>Waits until at least <paramref name="count"/> requests arrived (failing after a generous deadline).</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(int count)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (_requests.Count < count)
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"expected {count} webhook requests, got {_requests.Count} in {Deadline.TotalSeconds} s");
            await Task.Delay(25);
        }
        return Requests;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _requests.Enqueue(new ReceivedRequest(context.Request.Path, headers, body.ToArray()));
        context.Response.StatusCode = await _respond(Interlocked.Increment(ref _count));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

internal sealed record ReceivedRequest(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";
}
