using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Slipway.Testing;

namespace Slipway.Replicas.Tests.Infrastructure;

/// <summary>A webhook subscriber on a free loopback port: records every POST's delivery id and event, answers 200.</summary>
internal sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public WebhookReceiver()
    {
        var port = LocalPorts.Free();
        Url = $"http://127.0.0.1:{port}/hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(ReceiveAsync);
    }

    public string Url { get; }

    /// <summary>(X-Slipway-Delivery, X-Slipway-Event) of every request received, in arrival order.</summary>
    public ConcurrentQueue<(string Delivery, string Event)> Received { get; } = new();

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the listener's disposal.
        }
    }

    private async Task ReceiveAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            Received.Enqueue((context.Request.Headers["X-Slipway-Delivery"] ?? "", context.Request.Headers["X-Slipway-Event"] ?? ""));
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

}
