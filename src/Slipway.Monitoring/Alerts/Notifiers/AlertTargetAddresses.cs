using System.Net;
using System.Net.Sockets;

namespace Slipway.Monitoring.Alerts.Notifiers;

/// <summary>
/// Opens the connections of alert deliveries. Channel URLs come from users, so unless local targets are allowed the
/// addresses a host resolves to at connection time are checked, and loopback, link-local, unspecified and multicast
/// ones are refused: checking the URL text instead would miss a DNS name pointing (or re-pointed) at them.
/// </summary>
internal static class AlertTargetAddresses
{
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowLocal, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        IPAddress[] addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        if (!allowLocal)
        {
            addresses = Array.FindAll(addresses, a => !IsLocal(a));
            if (addresses.Length == 0)
            {
                throw new LocalTargetRefusedException();
            }
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Whether a delivery failed because its target was refused (the handler may wrap the refusal).</summary>
    public static bool IsRefusal(Exception exception)
    {
        for (Exception? ex = exception; ex is not null; ex = ex.InnerException)
        {
            if (ex is LocalTargetRefusedException)
                return true;
        }
        return false;
    }

    /// <summary>True for addresses a user-supplied URL must not reach: this host, link-local (cloud metadata), unspecified, multicast.</summary>
    public static bool IsLocal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return address.IsIPv6LinkLocal || address.IsIPv6Multicast;
        var bytes = address.GetAddressBytes();
        // 169.254/16 link-local, 0/8 "this network", 224/4 multicast and the reserved range above it.
        return (bytes[0] == 169 && bytes[1] == 254) || bytes[0] == 0 || bytes[0] >= 224;
    }

    /// <summary>
    /// What logs may show of a channel URL: scheme, host and port. The path and query of a Slack (or any) webhook
    /// URL are its secret, and user information is a credential.
    /// </summary>
    public static string Redact(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            return "(invalid URL)";
        return uri.IsDefaultPort ? $"{uri.Scheme}://{uri.Host}" : $"{uri.Scheme}://{uri.Host}:{uri.Port}";
    }
}

/// <summary>A delivery target resolved only to local addresses while they are not allowed.</summary>
internal sealed class LocalTargetRefusedException()
    : IOException("Refused a local target: loopback, link-local and unspecified addresses are off (AllowLocalAddresses).");
