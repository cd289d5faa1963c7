namespace Slipway.Serving.Batch.Jobs;

/// <summary>The states of a <see cref="BatchJob"/>, as the REST API spells them.</summary>
public static class BatchJobStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}

/// <summary>
/// One batch prediction run by the server: <see cref="Model"/> over the artifact <see cref="Input"/> into the artifact
/// <see cref="Output"/>. Immutable; each state change replaces the job in <see cref="BatchJobQueue"/>.
/// </summary>
public sealed record BatchJob(
    string Id,
    string Model,
    string Input,
    string Output,
    int ChunkRows,
    string CreatedBy,
    long CreatedTimestamp)
{
    public string Status { get; init; } = BatchJobStatus.Queued;

    public long? StartedTimestamp { get; init; }

    public long? FinishedTimestamp { get; init; }

    public long? Rows { get; init; }

    public double? Seconds { get; init; }

    public string? Error { get; init; }

    public bool IsFinished => Status is BatchJobStatus.Succeeded or BatchJobStatus.Failed;
}
