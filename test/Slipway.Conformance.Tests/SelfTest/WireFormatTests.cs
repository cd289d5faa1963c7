using System.Net;
using System.Net.Sockets;
using System.Text;
using Slipway.Conformance.Tests.Replay;
using Xunit;

namespace Slipway.Conformance.Tests.SelfTest;

/// <summary>What the replayer puts on the wire, seen by a raw socket on 127.0.0.1.</summary>
public sealed class WireFormatTests
{
    [Fact]
    public async Task ChunkedRecord_IsSentChunkedWithoutContentLength()
    {
        var request = new RewrittenRequest("PUT", "/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/data/empty.txt", string.Empty, "text/plain", null, Chunked: true);

        var raw = await CaptureAsync(request);

        Assert.Contains("Transfer-Encoding: chunked\r\n", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Content-Length:", raw, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Content-Type: text/plain\r\n", raw, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n0\r\n\r\n", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainRecord_IsSentWithContentLengthAndExactBytes()
    {
        var request = new RewrittenRequest("POST", "/api/2.0/mlflow/runs/search", string.Empty, "application/json", "{\"a\":1}"u8.ToArray(), Chunked: false);

        var raw = await CaptureAsync(request);

        Assert.Contains("Content-Length: 7\r\n", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Transfer-Encoding", raw, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("\r\n\r\n{\"a\":1}", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PathAndQuery_AreSentAsRewritten()
    {
        var request = new RewrittenRequest("GET", "/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/intl/%C3%BCn%20x.txt", "path=1%2Fr&filter=a+b", null, null, Chunked: false);

        var raw = await CaptureAsync(request);

        Assert.StartsWith("GET /api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/intl/%C3%BCn%20x.txt?path=1%2Fr&filter=a+b HTTP/1.1\r\n", raw, StringComparison.Ordinal);
    }

    /// <summary>Sends one request through the replayer to a socket that records it and answers <c>200 {}</c>.</summary>
    private static async Task<string> CaptureAsync(RewrittenRequest request)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var client = TraceReplayer.CreateHttpClient(new Uri($"http://127.0.0.1:{port}/"));
        var replayer = new TraceReplayer(client);

        var send = replayer.SendAsync(request);
        using var socket = await listener.AcceptSocketAsync();
        var received = new List<byte>();
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!IsComplete(received))
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (n == 0)
                break;
            received.AddRange(buffer.AsSpan(0, n));
        }

        await socket.SendAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"u8.ToArray(), SocketFlags.None);
        var observed = await send;
        Assert.Equal(200, observed.Status);
        return Encoding.UTF8.GetString([.. received]);
    }

    private static bool IsComplete(List<byte> received)
    {
        var text = Encoding.UTF8.GetString([.. received]);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
            return false;
        var head = text[..end];
        var body = text[(end + 4)..];
        if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
            return body.EndsWith("0\r\n\r\n", StringComparison.Ordinal);
        var lengthLine = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        return lengthLine is null || body.Length >= int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
