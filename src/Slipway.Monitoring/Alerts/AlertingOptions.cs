namespace Slipway.Monitoring.Alerts;

/// <summary>How alerts are re-sent and delivered (configuration section <c>Slipway:Monitoring:Alerting</c>).</summary>
public sealed record AlertingOptions
{
    /// <summary>
    /// How often firing alerts (and recently resolved ones) are re-sent to Alertmanager channels, which expect
    /// clients to repeat them. A firing alert is posted with an <c>endsAt</c> of <see cref="FiringLifetime"/> ahead,
    /// so Alertmanager resolves it by itself if Slipway stops re-sending (it crashed, or the monitor was deleted).
    /// </summary>
    public TimeSpan ResendInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a resolved alert keeps being re-sent, so an Alertmanager that missed it still learns of it. The alert
    /// store lists resolved episodes as active for a window of its own (15 minutes in the EF Core store), which bounds this.
    /// </summary>
    public TimeSpan ResolvedResendWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Whether channels may point at loopback, link-local or unspecified addresses. Off by default: a channel URL is
    /// user input, and must not let anyone make the server call itself or a cloud metadata endpoint.
    /// </summary>
    public bool AllowLocalAddresses { get; init; }

    /// <summary>The time one HTTP attempt may take, connection included.</summary>
    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts per notification (the first included); only network errors, timeouts, 429 and 5xx are retried.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The wait before the first retry; it doubles for each further one.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The <c>endsAt</c> horizon of a firing alert sent to Alertmanager: three re-send intervals, so two lost re-sends in a row do not resolve it.</summary>
    public TimeSpan FiringLifetime => ResendInterval * 3;

    /// <summary>Every problem with these options; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (ResendInterval <= TimeSpan.Zero)
            problems.Add($"{nameof(ResendInterval)} must be positive (was {ResendInterval})");
        if (ResolvedResendWindow < TimeSpan.Zero)
            problems.Add($"{nameof(ResolvedResendWindow)} must not be negative (was {ResolvedResendWindow})");
        if (HttpTimeout <= TimeSpan.Zero)
            problems.Add($"{nameof(HttpTimeout)} must be positive (was {HttpTimeout})");
        if (MaxAttempts < 1)
            problems.Add($"{nameof(MaxAttempts)} must be at least 1 (was {MaxAttempts})");
        if (RetryDelay < TimeSpan.Zero)
            problems.Add($"{nameof(RetryDelay)} must not be negative (was {RetryDelay})");
        return problems;
    }
}
