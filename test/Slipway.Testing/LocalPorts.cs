using System.Net;
using System.Net.Sockets;

namespace Slipway.Testing;

/// <summary>Free TCP ports on 127.0.0.1 for the external processes tests start (emulators, Prometheus, receivers).</summary>
public static class LocalPorts
{
    /// <summary>A port the system just handed out and released; another process could take it first, so callers
    /// that start a server on it wait for it to listen and fail clearly otherwise.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
