using System.Net;
using System.Net.Sockets;

namespace Slipway.Client.Tests.Infrastructure;

public static class Names
{
    /// <summary>A name no other test uses, so tests can share one server.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>An address on which nothing listens.</summary>
    public static Uri ClosedPortAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }
}
