using System.Net;
using System.Net.Sockets;

namespace Slipway.Registry.Webhooks;

/// <summary>
/// Connects to a webhook subscriber, refusing local addresses unless allowed: the check runs on the addresses the
/// host name resolves to at connection time, so neither a literal IP nor a DNS name (or a re-bound one) can point a
/// delivery at the server itself or at link-local services such as a cloud metadata endpoint.
/// </summary>
internal static class SubscriberAddresses
{
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowLocal, CancellationToken ct)
    {
        var endpoint = context.DnsEndPoint;
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, ct);
        if (!allowLocal)
        {
            addresses = addresses.Where(a => !IsLocal(a)).ToArray();
            if (addresses.Length == 0)
                throw new HttpRequestException(
                    $"Refused: '{endpoint.Host}' is a loopback, link-local or unspecified address (Slipway:Registry:Webhooks:AllowLocalAddresses is off).");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static bool IsLocal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return address.IsIPv6LinkLocal || address.IsIPv6Multicast;
        var bytes = address.GetAddressBytes();
        return bytes[0] == 169 && bytes[1] == 254 || bytes[0] == 0 || bytes[0] >= 224;
    }
}
