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

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether deliveries may go to loopback, link-local (including the cloud metadata address 169.254.169.254) and
    /// unspecified addresses. Off by default so that a webhook cannot be used to reach the server's own host or
    /// its cloud credentials; the check runs on the address actually connected to, after DNS resolution.
    /// </summary>
    public bool AllowLocalAddresses { get; set; }

    /// <summary>How often the dispatcher looks for due deliveries when nothing signals it (other replicas' events).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
}
