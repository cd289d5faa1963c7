using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace Slipway.Monitoring.Alerts.Notifiers;

/// <summary>
/// POSTs alert payloads for every notifier: the channel's headers, a timeout per attempt, bounded retries with a
/// doubling delay, and the outcome counted and logged. It never throws for a failed delivery (a dead receiver must
/// not fail a monitor run); only the caller's cancellation escapes. Logs name a channel by scheme, host and port.
/// </summary>
internal sealed partial class AlertHttpSender(IHttpClientFactory clients, AlertingOptions options, TimeProvider clock, ILogger<AlertHttpSender> logger)
{
    /// <summary>The named client <c>AddSlipwayAlerting</c> configures (local-address refusal, no redirects, no cookies).</summary>
    public const string ClientName = "Slipway.Alerts";

    private const string UserAgent = "Slipway-Alerts/1";

    /// <summary>Sends <paramref name="body"/> (JSON) to <paramref name="url"/>; true once an attempt got a 2xx answer.</summary>
    public async Task<bool> PostAsync(AlertChannelSpec channel, string url, byte[] body, CancellationToken ct)
    {
        var target = AlertTargetAddresses.Redact(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            LogGaveUp(logger, channel.Name, channel.Type, target, 0, "the URL is not an absolute http(s) URL");
            AlertMetrics.CountNotification(channel.Type, sent: false);
            return false;
        }
        var http = clients.CreateClient(ClientName);
        var delay = options.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            var (error, retryable) = await AttemptAsync(http, channel, uri, body, ct);
            if (error is null)
            {
                LogSent(logger, channel.Name, channel.Type, target, attempt);
                AlertMetrics.CountNotification(channel.Type, sent: true);
                return true;
            }
            if (!retryable || attempt >= options.MaxAttempts)
            {
                LogGaveUp(logger, channel.Name, channel.Type, target, attempt, error);
                AlertMetrics.CountNotification(channel.Type, sent: false);
                return false;
            }
            LogRetrying(logger, channel.Name, channel.Type, target, attempt, error, delay);
            await Task.Delay(delay, clock, ct);
            delay *= 2;
        }
    }

    /// <summary>One attempt: the error (null on success) and whether trying again could help.</summary>
    private async Task<(string? Error, bool Retryable)> AttemptAsync(HttpClient http, AlertChannelSpec channel, Uri uri, byte[] body, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(options.HttpTimeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            using var request = CreateRequest(channel, uri, body);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            if (response.IsSuccessStatusCode)
                return (null, false);
            var status = (int)response.StatusCode;
            return ($"HTTP {status}", status >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return ($"timed out after {options.HttpTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s", true);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            if (AlertTargetAddresses.IsRefusal(ex))
                return ("refused: the target is a local address and AllowLocalAddresses is off", false);
            // The error kind and message only, never the exception's full text: some handlers put the URL in it.
            return ex is HttpRequestException request ? ($"{request.HttpRequestError}: {request.Message}", true) : (ex.GetType().Name, false);
        }
    }

    private static HttpRequestMessage CreateRequest(AlertChannelSpec channel, Uri uri, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.UserAgent.ParseAdd(UserAgent);
        foreach (var (name, value) in channel.Headers ?? new Dictionary<string, string>())
        {
            // Content-* names belong to the content; anything else to the request.
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content.Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }
        return request;
    }

    [LoggerMessage(EventId = 5400, Level = LogLevel.Debug, Message = "Alert notification sent to channel {Channel} ({Type}, {Target}) on attempt {Attempt}")]
    private static partial void LogSent(ILogger logger, string channel, string type, string target, int attempt);

    [LoggerMessage(EventId = 5401, Level = LogLevel.Warning, Message = "Alert notification to channel {Channel} ({Type}, {Target}) failed on attempt {Attempt} ({Error}); retrying in {RetryIn}")]
    private static partial void LogRetrying(ILogger logger, string channel, string type, string target, int attempt, string error, TimeSpan retryIn);

    [LoggerMessage(EventId = 5402, Level = LogLevel.Error, Message = "Alert notification to channel {Channel} ({Type}, {Target}) failed after {Attempts} attempts ({Error})")]
    private static partial void LogGaveUp(ILogger logger, string channel, string type, string target, int attempts, string error);
}
