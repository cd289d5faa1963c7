using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;
using Slipway.Serving.Security;

namespace Slipway.Serving.DataPlane;

/// <summary>
/// The data-plane rules of <c>slipway serve</c>, which has no database: the caller's <c>Authorization</c> header is
/// forwarded once to the control plane's <c>POST /api/2.0/slipway/endpoints/{name}/verify-token</c>, which applies the
/// same rules as <c>slipway server</c> (<see cref="EndpointAccessAuthorizer"/>), and the verdict is remembered per
/// endpoint and credential (by its SHA-256; the credential itself is never kept) for <see cref="AllowedLifetime"/>, or
/// <see cref="RefusedLifetime"/> for a refusal. A control plane with authentication off says so, and then every request
/// passes for <see cref="AllowedLifetime"/> without another call, so an open setup works as before. While the control
/// plane cannot be reached, verdicts already known keep applying, as the endpoints read before keep serving.
/// </summary>
public sealed partial class ControlPlaneInferenceAuthorizer : IInferenceAuthorizer, IDisposable
{
    /// <summary>How long an acceptance is reused: a revoked token or a removed grant stops working within this time.</summary>
    public static readonly TimeSpan AllowedLifetime = TimeSpan.FromSeconds(10);

    /// <summary>How long a refusal is reused, so that a client retrying a bad token does not make a call each time.</summary>
    public static readonly TimeSpan RefusedLifetime = TimeSpan.FromSeconds(2);

    private const int MaxEntries = 10_000;

    private readonly HttpClient _http;
    private readonly IInferenceTargets _targets;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Verdict> _verdicts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<Verdict>>> _pending = new(StringComparer.Ordinal);
    private long _openUntil;
    private bool _lastKnownOpen;
    private int _unreachable;

    /// <param name="targets">What this replica serves: only those endpoints are checked with the control plane, so that
    /// requests naming made-up endpoints (answered 404) cost the control plane nothing.</param>
    public ControlPlaneInferenceAuthorizer(Uri controlPlane, IInferenceTargets targets, TimeProvider clock, ILogger<ControlPlaneInferenceAuthorizer> logger)
    {
        _http = new HttpClient { BaseAddress = controlPlane, Timeout = ControlPlaneCalls.MetadataTimeout };
        _targets = targets;
        _clock = clock;
        _logger = logger;
    }

    public ValueTask AuthorizeAsync(HttpContext context, string endpoint, CancellationToken ct)
    {
        var now = _clock.GetTimestamp();
        if (now < Volatile.Read(ref _openUntil) || _targets.Find(endpoint) is null)
            return ValueTask.CompletedTask;
        var credential = context.Request.Headers.Authorization.ToString();
        var key = endpoint + "\n" + (credential.Length == 0 ? "" : Fingerprint(credential));
        if (_verdicts.TryGetValue(key, out var known) && known.ExpiresAt > now)
            return Apply(known, endpoint);
        return VerifyAsync(key, endpoint, credential, ct);
    }

    public void Dispose() => _http.Dispose();

    private async ValueTask VerifyAsync(string key, string endpoint, string credential, CancellationToken ct)
    {
        // Concurrent requests with the same new credential share one call.
        var call = _pending.GetOrAdd(key, _ => new Lazy<Task<Verdict>>(() => CallAsync(key, endpoint, credential)));
        Verdict verdict;
        try
        {
            // The call is shared, so it runs to its end; a caller who goes away stops waiting for it.
            verdict = await call.Value.WaitAsync(ct);
        }
        finally
        {
            _pending.TryRemove(new KeyValuePair<string, Lazy<Task<Verdict>>>(key, call));
        }
        await Apply(verdict, endpoint);
    }

    private static ValueTask Apply(Verdict verdict, string endpoint) => verdict.Refusal is { } code
        ? ValueTask.FromException(new SlipwayException(code, verdict.Message ?? $"Permission denied on endpoint '{endpoint}'."))
        : ValueTask.CompletedTask;

    private async Task<Verdict> CallAsync(string key, string endpoint, string credential)
    {
        var now = _clock.GetTimestamp();
        Verdict verdict;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"api/2.0/slipway/endpoints/{Uri.EscapeDataString(endpoint)}/verify-token")
            {
                Content = new StringContent("{}", Encoding.UTF8, "application/json"),
            };
            if (credential.Length > 0)
                request.Headers.TryAddWithoutValidation("Authorization", credential);
            using var response = await _http.SendAsync(request, CancellationToken.None);
            var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
            verdict = ToVerdict(response.StatusCode, body, now);
            if (Interlocked.Exchange(ref _unreachable, 0) == 1)
                LogReachable(_logger, _http.BaseAddress!);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            if (Interlocked.Exchange(ref _unreachable, 1) == 0)
                LogUnreachable(_logger, _http.BaseAddress!, e.Message);
            verdict = new Verdict(ErrorCode.TemporarilyUnavailable, null, now);
        }
        if (verdict.Refusal is ErrorCode.TemporarilyUnavailable)
            verdict = Stale(key, now);
        if (_verdicts.Count >= MaxEntries)
            _verdicts.Clear();
        _verdicts[key] = verdict;
        return verdict;
    }

    private Verdict ToVerdict(HttpStatusCode status, string body, long now)
    {
        switch (status)
        {
            case HttpStatusCode.OK:
                _lastKnownOpen = !ReadAuthEnabled(body);
                if (_lastKnownOpen)
                    Volatile.Write(ref _openUntil, now + Ticks(AllowedLifetime));
                return new Verdict(null, null, now + Ticks(AllowedLifetime));
            case HttpStatusCode.Unauthorized:
                _lastKnownOpen = false;
                return new Verdict(ErrorCode.Unauthenticated, ReadMessage(body), now + Ticks(RefusedLifetime));
            case HttpStatusCode.Forbidden:
                _lastKnownOpen = false;
                return new Verdict(ErrorCode.PermissionDenied, ReadMessage(body), now + Ticks(RefusedLifetime));
            case HttpStatusCode.TooManyRequests:
                return new Verdict(ErrorCode.RequestLimitExceeded, ReadMessage(body), now);
            default:
                return new Verdict(ErrorCode.TemporarilyUnavailable, $"The control plane answered the access check with {(int)status}.", now);
        }
    }

    /// <summary>
    /// While the control plane cannot answer: the last verdict for this credential, however old (an open control plane
    /// stays open), else 503. Either is asked again only after a while, so an outage does not cost every request a call.
    /// </summary>
    private Verdict Stale(string key, long now)
    {
        if (_lastKnownOpen)
            Volatile.Write(ref _openUntil, now + Ticks(AllowedLifetime));
        if (_verdicts.TryGetValue(key, out var known) && known.Refusal is not ErrorCode.TemporarilyUnavailable)
            return known with { ExpiresAt = now + Ticks(AllowedLifetime) };
        return new Verdict(ErrorCode.TemporarilyUnavailable,
            $"The credentials cannot be checked: the control plane {_http.BaseAddress} does not answer.", now + Ticks(RefusedLifetime));
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _clock.TimestampFrequency);

    /// <summary>Lower-case hex SHA-256 of the header, computed on the stack for headers of usual length.</summary>
    private static string Fingerprint(string credential)
    {
        var length = Encoding.UTF8.GetMaxByteCount(credential.Length);
        var rented = length > 1024 ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> buffer = rented is null ? stackalloc byte[1024] : rented;
        var written = Encoding.UTF8.GetBytes(credential, buffer);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer[..written], hash);
        buffer[..written].Clear();
        if (rented is not null)
            ArrayPool<byte>.Shared.Return(rented);
        return Convert.ToHexStringLower(hash);
    }

    private static bool ReadAuthEnabled(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return !document.RootElement.TryGetProperty("auth_enabled", out var enabled) || enabled.ValueKind != JsonValueKind.False;
        }
        catch (JsonException)
        {
            return true;
        }
    }

    private static string? ReadMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String ? message.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = 4604, Level = LogLevel.Warning, Message = "Cannot check credentials with the control plane {ControlPlane}; known verdicts keep applying. {Problem}")]
    private static partial void LogUnreachable(ILogger logger, Uri controlPlane, string problem);

    [LoggerMessage(EventId = 4605, Level = LogLevel.Information, Message = "Checking credentials with the control plane {ControlPlane} works again")]
    private static partial void LogReachable(ILogger logger, Uri controlPlane);

    /// <summary>A refusal (its code and message) or an acceptance (no code), valid until <see cref="ExpiresAt"/> (a timestamp of the clock).</summary>
    private sealed record Verdict(ErrorCode? Refusal, string? Message, long ExpiresAt);
}
