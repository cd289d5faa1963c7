using System.Net;
using System.Net.Sockets;

namespace Slipway.Security.Tests.Hardening;

/// <summary>
/// HTTP clients that connect from a chosen loopback address (127.0.0.2, 127.0.0.3, …; all of 127/8 is loopback on Linux),
/// so a test can be an attacker and a bystander on different client addresses against one server on 127.0.0.1, as
/// the per-address part of sign-in throttling sees real clients.
/// </summary>
internal static class LoopbackClients
{
    public static HttpClient From(string sourceAddress, Uri baseAddress, bool cookies = false)
    {
        var source = IPAddress.Parse(sourceAddress);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = cookies,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress };
    }
}
