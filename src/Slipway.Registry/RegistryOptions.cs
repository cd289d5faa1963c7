namespace Slipway.Registry;

/// <summary>Registry settings: roles until authentication lands, alias cache lifetime, webhook delivery.</summary>
public sealed class RegistryOptions
{
    /// <summary>
    /// Role name → user names (for example <c>approver</c> → alice, bob). Until authentication exists (issue 9)
    /// this is where approval policies look up who holds the approver role.
    /// </summary>
    public Dictionary<string, List<string>> Roles { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How long a resolved alias may be served from the cache. Changes made through this process invalidate
    /// it at once; the lifetime bounds how stale a change made by another replica can be.
    /// </summary>
    public TimeSpan AliasCacheLifetime { get; set; } = TimeSpan.FromSeconds(5);

    public WebhookOptions Webhooks { get; } = new();

    public bool HasRole(string user, string role) =>
        Roles.TryGetValue(role, out var users) && users.Contains(user, StringComparer.Ordinal);
}

public sealed class WebhookOptions
{
    /// <summary>Delay before the first retry; each further retry doubles it, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Attempts in all (first try included) before a delivery is marked failed.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>
    /// How long one send may take, connecting included; at most <see cref="MaxRequestTimeout"/>, so that a send and
    /// the recording of its attempt end well inside the delivery lease a replica claims it for (two minutes).
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest <see cref="RequestTimeout"/>: half the store's two-minute delivery lease.</summary>
    public static readonly TimeSpan MaxRequestTimeout = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Whether deliveries may go to loopback, link-local (including the cloud metadata address 169.254.169.254) and
    /// unspecified addresses. Off by default so that a webhook cannot be used to reach the server's own host or
    /// its cloud credentials; the check runs on the address actually connected to, after DNS resolution.
    /// </summary>
    public bool AllowLocalAddresses { get; set; }

    /// <summary>How often the dispatcher looks for due deliveries when nothing signals it (other replicas' events).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Every problem with these settings, as configuration keys name them.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxAttempts < 1)
            problems.Add($"Registry:Webhooks:MaxAttempts must be at least 1 (got {MaxAttempts}).");
        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > MaxRequestTimeout)
            problems.Add($"Registry:Webhooks:RequestTimeout must be positive and at most {MaxRequestTimeout} (got {RequestTimeout}): "
                + "a send must end well within the two-minute delivery lease.");
        return problems;
    }
}
