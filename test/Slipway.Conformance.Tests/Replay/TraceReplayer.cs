using System.Diagnostics;
using System.Net;
using System.Text;

namespace Slipway.Conformance.Tests.Replay;

/// <summary>
/// Replays a trace against a server, one exchange at a time in <c>seq</c> order (README "Replaying a
/// trace"): rewrite the request through the identifier maps, send it, pause after every non-GET,
/// then learn from and compare the answer.
/// </summary>
public sealed class TraceReplayer
{
    /// <summary>Keeps consecutive writes in distinct server milliseconds, as they were at capture time.</summary>
    public static readonly TimeSpan DefaultPauseAfterWrite = TimeSpan.FromMilliseconds(2);

    private const int MaxConsecutiveTransportFailures = 3;

    private readonly HttpClient _client;
    private readonly TimeSpan _pauseAfterWrite;

    public TraceReplayer(HttpClient client, TimeSpan? pauseAfterWrite = null)
    {
        if (client.BaseAddress is null)
            throw new ArgumentException("The client needs a BaseAddress.", nameof(client));
        _client = client;
        _pauseAfterWrite = pauseAfterWrite ?? DefaultPauseAfterWrite;
    }

    /// <summary>An HttpClient that sends requests as given: no redirects, no decompression, no cookies.</summary>
    public static HttpClient CreateHttpClient(Uri baseAddress) =>
        new(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

    public async Task<ReplayReport> ReplayAsync(string traceName, IReadOnlyList<TraceRecord> records, CancellationToken ct = default)
    {
        var maps = new IdentifierMaps();
        var rewriter = new RequestRewriter(maps);
        var comparer = new ResponseComparer(maps);
        var results = new List<ExchangeResult>(records.Count);
        var transportFailures = 0;
        foreach (var record in records)
        {
            var request = rewriter.Rewrite(record);
            IReadOnlyList<Mismatch> mismatches;
            if (transportFailures >= MaxConsecutiveTransportFailures)
            {
                mismatches = [new Mismatch(record.Seq, "transport", "a response", "not sent: the server stopped answering")];
            }
            else
            {
                try
                {
                    var observed = await SendAsync(request, ct);
                    transportFailures = 0;
                    mismatches = CompareSafely(comparer, record, observed);
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException
                                           || (ex is TaskCanceledException && !ct.IsCancellationRequested))
                {
                    transportFailures++;
                    mismatches = [new Mismatch(record.Seq, "transport", "a response", $"{ex.GetType().Name}: {ex.Message}")];
                }
            }

            if (!string.Equals(record.Method, "GET", StringComparison.OrdinalIgnoreCase))
                await PauseAsync(ct);
            results.Add(new ExchangeResult(record.Seq, Describe(request), mismatches));
        }

        return new ReplayReport(traceName, results);
    }

    public async Task<ObservedResponse> SendAsync(RewrittenRequest request, CancellationToken ct = default)
    {
        var uri = new Uri(_client.BaseAddress!.GetLeftPart(UriPartial.Authority) + request.PathAndQuery);
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), uri);
        HttpContent? content = null;
        if (request.Chunked)
        {
            content = new ChunkedContent(request.Body ?? []);
            message.Headers.TransferEncodingChunked = true;
        }
        else if (request.Body is not null)
        {
            content = new ByteArrayContent(request.Body);
        }
        else if (request.ContentType is not null || !string.Equals(request.Method, "GET", StringComparison.OrdinalIgnoreCase))
        {
            content = new ByteArrayContent([]);
        }

        if (content is not null)
        {
            if (request.ContentType is not null)
                content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            message.Content = content;
        }

        using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseContentRead, ct);
        return await ObservedResponse.ReadAsync(response, ct);
    }

    /// <summary>A response the comparer cannot handle is reported as a mismatch of that exchange, not a crash of the whole replay.</summary>
    private static IReadOnlyList<Mismatch> CompareSafely(ResponseComparer comparer, TraceRecord record, ObservedResponse observed)
    {
        try
        {
            return comparer.Compare(record, observed);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return [new Mismatch(record.Seq, "comparer", "a comparable response", $"{ex.GetType().Name}: {ex.Message}; body {observed.BodyExcerpt()}")];
        }
    }

    private async Task PauseAsync(CancellationToken ct)
    {
        if (_pauseAfterWrite <= TimeSpan.Zero)
            return;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var remaining = _pauseAfterWrite - clock.Elapsed;
            if (remaining <= TimeSpan.Zero)
                return;

            // Whole milliseconds, at least one: a sub-millisecond or negative delay would not wait (or would throw).
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(remaining.TotalMilliseconds))), ct);
        }
    }

    private static string Describe(RewrittenRequest request)
    {
        var text = new StringBuilder(request.Method).Append(' ').Append(Truncate(request.PathAndQuery, 240));
        if (request.Body is { Length: > 0 } body && request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
            text.Append(' ').Append(Truncate(Encoding.UTF8.GetString(body), 240));
        return text.ToString();
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
