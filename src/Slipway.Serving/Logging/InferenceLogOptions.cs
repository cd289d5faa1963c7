namespace Slipway.Serving.Logging;

/// <summary>How the inference log buffers and writes; whether a request is logged at all is the endpoint's sample rate.</summary>
public sealed class InferenceLogOptions
{
    /// <summary>When false nothing is queued or written (<see cref="IInferenceLog.TryWrite"/> returns false); feedback is still accepted.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Records the channel holds before new ones are dropped (and counted) instead of waiting.</summary>
    public int Capacity { get; set; } = 100_000;

    /// <summary>Log rows (one per row of a request) an endpoint's day collects before a segment is written.</summary>
    public int SegmentRows { get; set; } = 10_000;

    /// <summary>The longest a logged row waits in memory before its segment is written, however small.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(10);

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Capacity < 1)
            problems.Add($"InferenceLog:Capacity must be at least 1 (got {Capacity}).");
        if (SegmentRows < 1)
            problems.Add($"InferenceLog:SegmentRows must be at least 1 (got {SegmentRows}).");
        if (FlushInterval <= TimeSpan.Zero)
            problems.Add($"InferenceLog:FlushInterval must be positive (got {FlushInterval}).");
        return problems;
    }
}
