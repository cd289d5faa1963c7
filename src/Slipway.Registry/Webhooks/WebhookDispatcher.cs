using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Slipway.Registry.Domain;

namespace Slipway.Registry.Webhooks;

/// <summary>
/// Sends the webhook outbox. Registry changes enqueue deliveries in their own transaction; this loop takes the due
/// ones in batches, POSTs them signed (<see cref="WebhookSigner"/>) with bounded parallelism and records every
/// attempt, retrying failures with exponential backoff until <see cref="WebhookOptions.MaxAttempts"/>. It sleeps until
/// <see cref="WebhookSignal"/> fires, the next retry is due, or <see cref="WebhookOptions.PollInterval"/> passes (for
/// deliveries enqueued by other replicas). Nothing here runs on a request thread, so a dead subscriber costs the API
/// nothing. Delivery is at-least-once: a send whose outcome could not be recorded is sent again.
/// </summary>
public sealed partial class WebhookDispatcher : BackgroundService
{
    private const int MaxConcurrentSends = 8;

    // One wave: every claimed delivery is being sent from the moment it is claimed, so each claim's lease only has to
    // outlast one send (RequestTimeout, validated to fit) and its recording, not a queue of sends ahead of it.
    private const int BatchSize = MaxConcurrentSends;
    private const int MaxErrorLength = 256;
    private const string UserAgent = "Slipway-Webhooks/1";
    private static readonly TimeSpan ErrorDelay = TimeSpan.FromSeconds(1);

    // Even when the store reports a delivery due right now, pause briefly so that a store answering
    // "next due" for a delivery it does not return as due cannot spin the loop.
    private static readonly TimeSpan MinWait = TimeSpan.FromMilliseconds(20);

    private readonly IRegistryStore _store;
    private readonly WebhookOptions _options;
    private readonly WebhookSignal _signal;
    private readonly TimeProvider _clock;
    private readonly ILogger<WebhookDispatcher> _logger;
    private readonly HttpClient _http;

    public WebhookDispatcher(IRegistryStore store, RegistryOptions options, WebhookSignal signal, TimeProvider clock, ILogger<WebhookDispatcher> logger)
    {
        _store = store;
        _options = options.Webhooks;
        _signal = signal;
        _clock = clock;
        _logger = logger;
        var handler = new SocketsHttpHandler
        {
            // Subscribers' DNS can change (blue/green receivers): recycle pooled connections.
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            UseCookies = false,
            // A redirect is reported as a failed attempt rather than followed with the signed body.
            AllowAutoRedirect = false,
            ConnectCallback = (context, ct) => SubscriberAddresses.ConnectAsync(context, options.Webhooks.AllowLocalAddresses, ct),
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
    }

    /// <summary>Delay before the next attempt after <paramref name="attempts"/> attempts: doubling from the initial backoff, capped.</summary>
    internal static TimeSpan Backoff(WebhookOptions options, int attempts)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 62);
        var delay = options.InitialBackoff.TotalMilliseconds * Math.Pow(2, exponent);
        return delay >= options.MaxBackoff.TotalMilliseconds ? options.MaxBackoff : TimeSpan.FromMilliseconds(delay);
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            (TimeSpan Wait, bool Recovering) next;
            try
            {
                next = await DispatchDueAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogDispatchFailed(_logger, ErrorDelay, ex);
                next = (ErrorDelay, true);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            try
            {
                // After a failure, sleep the full delay: a burst of signals must not turn a broken store into a busy loop.
                if (next.Recovering)
                    await Task.Delay(next.Wait, _clock, stoppingToken);
                else if (next.Wait > TimeSpan.Zero)
                    await _signal.WaitAsync(next.Wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Sends one batch of due deliveries; returns how long to wait and whether that is an error back-off.</summary>
    private async Task<(TimeSpan Wait, bool Recovering)> DispatchDueAsync(CancellationToken ct)
    {
        var due = await _store.GetDueDeliveriesAsync(Now, BatchSize, ct);
        if (due.Count > 0)
        {
            var unrecorded = 0;
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentSends, CancellationToken = ct };
            await Parallel.ForEachAsync(due, parallel, async (delivery, token) =>
            {
                if (!await DeliverAsync(delivery, token))
                    Interlocked.Increment(ref unrecorded);
            });
            if (unrecorded > 0)
                return (ErrorDelay, true);
            if (due.Count == BatchSize)
                return (TimeSpan.Zero, false);
        }
        var next = await _store.GetNextDeliveryTimeAsync(ct);
        if (next is null)
            return (_options.PollInterval, false);
        var untilNext = TimeSpan.FromMilliseconds(next.Value - Now);
        return (untilNext < MinWait ? MinWait : untilNext > _options.PollInterval ? _options.PollInterval : untilNext, false);
    }

    /// <summary>Sends one delivery and records the attempt; false when the attempt could not be recorded.</summary>
    private async Task<bool> DeliverAsync(DueDelivery due, CancellationToken ct)
    {
        var delivery = due.Delivery;
        var (statusCode, error) = await SendAsync(due, ct);
        var now = Now;
        var attempts = delivery.Attempts + 1;
        var delivered = error is null;
        long? nextAttempt = null;
        if (delivered)
        {
            LogDelivered(_logger, delivery.Id, delivery.Event, delivery.WebhookId, attempts);
        }
        else if (attempts < _options.MaxAttempts)
        {
            var retryIn = Backoff(_options, attempts);
            nextAttempt = now + (long)retryIn.TotalMilliseconds;
            LogRetrying(_logger, delivery.Id, delivery.WebhookId, attempts, error, retryIn);
        }
        else
        {
            LogGaveUp(_logger, delivery.Id, delivery.WebhookId, attempts, error);
        }
        try
        {
            if (!await _store.RecordDeliveryAttemptAsync(delivery.Id, due.ClaimedUntil, delivered, statusCode, error, now, nextAttempt, ct))
                LogClaimLost(_logger, delivery.Id, delivery.WebhookId);
            return true;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            LogRecordFailed(_logger, delivery.Id, ex);
            return false;
        }
    }

    /// <summary>POSTs the stored payload; the error is null on a 2xx answer. Only shutdown escapes as an exception.</summary>
    private async Task<(int? StatusCode, string? Error)> SendAsync(DueDelivery due, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            using var request = CreateRequest(due);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? (status, null) : (status, Truncate($"HTTP {status} {response.ReasonPhrase}".TrimEnd()));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return (null, $"Timed out after {_options.RequestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
        }
        catch (HttpRequestException ex)
        {
            return (null, Truncate(ex.HttpRequestError == HttpRequestError.Unknown ? ex.Message : $"{ex.HttpRequestError}: {ex.Message}"));
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // A stored URL the client rejects, for example: a failed attempt like any other, never a dead loop.
            return (null, Truncate($"{ex.GetType().Name}: {ex.Message}"));
        }
    }

    private HttpRequestMessage CreateRequest(DueDelivery due)
    {
        var body = Encoding.UTF8.GetBytes(due.Delivery.Payload);
        var timestamp = _clock.GetUtcNow().ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, due.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Slipway-Event", due.Delivery.Event);
        request.Headers.Add("X-Slipway-Delivery", due.Delivery.Id.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-Slipway-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-Slipway-Signature", WebhookSigner.Sign(due.Secret, timestamp, body));
        return request;
    }

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    private static string Truncate(string error) => error.Length <= MaxErrorLength ? error : error[..MaxErrorLength];

    [LoggerMessage(EventId = 3100, Level = LogLevel.Debug, Message = "Delivered webhook delivery {DeliveryId} ({Event}) to webhook {WebhookId} on attempt {Attempt}")]
    private static partial void LogDelivered(ILogger logger, long deliveryId, string @event, long webhookId, int attempt);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} to webhook {WebhookId} failed on attempt {Attempt} ({Error}); retrying in {RetryIn}")]
    private static partial void LogRetrying(ILogger logger, long deliveryId, long webhookId, int attempt, string? error, TimeSpan retryIn);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Webhook delivery {DeliveryId} to webhook {WebhookId} failed for good after {Attempts} attempts ({Error})")]
    private static partial void LogGaveUp(ILogger logger, long deliveryId, long webhookId, int attempts, string? error);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Error, Message = "Could not record the attempt of webhook delivery {DeliveryId}; it will be sent again")]
    private static partial void LogRecordFailed(ILogger logger, long deliveryId, Exception exception);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Error, Message = "Webhook dispatch failed; retrying in {Delay}")]
    private static partial void LogDispatchFailed(ILogger logger, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} to webhook {WebhookId} was taken over by another replica after its claim's lease passed; this attempt was not recorded")]
    private static partial void LogClaimLost(ILogger logger, long deliveryId, long webhookId);
}
