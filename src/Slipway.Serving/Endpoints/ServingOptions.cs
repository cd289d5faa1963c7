namespace Slipway.Serving.Endpoints;

/// <summary>Settings of the serving control plane and of the process that serves endpoints.</summary>
public sealed class ServingOptions
{
    /// <summary>Where registry models are copied from the artifact store before loading: <c>&lt;dir&gt;/&lt;model&gt;/&lt;version&gt;/</c>.</summary>
    public string ModelCacheDirectory { get; set; } = "./slipway-data/model-cache";

    /// <summary>
    /// The only folder from which routes may load models by path. Null (the default) allows registry references
    /// (<c>models:/…</c>) only, so that an endpoint spec cannot make the server read arbitrary files.
    /// </summary>
    public string? LocalModelRoot { get; set; }

    /// <summary>How often endpoint specs and alias targets are re-read; changes made through this process apply at once.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a replaced model version stays loaded for requests already running on it.</summary>
    public TimeSpan SwapGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long after a failed load the same version is tried again (unless the spec changes first).</summary>
    public TimeSpan LoadRetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ModelCacheDirectory))
            problems.Add("Serving:ModelCacheDirectory must not be empty.");
        if (LocalModelRoot is { } root && (string.IsNullOrWhiteSpace(root) || !Directory.Exists(root)))
            problems.Add($"Serving:LocalModelRoot must be an existing folder (got '{root}').");
        if (ReconcileInterval <= TimeSpan.Zero)
            problems.Add($"Serving:ReconcileInterval must be positive (got {ReconcileInterval}).");
        if (SwapGracePeriod < TimeSpan.Zero)
            problems.Add($"Serving:SwapGracePeriod must not be negative (got {SwapGracePeriod}).");
        if (LoadRetryInterval <= TimeSpan.Zero)
            problems.Add($"Serving:LoadRetryInterval must be positive (got {LoadRetryInterval}).");
        return problems;
    }
}
