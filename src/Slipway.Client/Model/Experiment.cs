namespace Slipway.Client;

/// <summary>An experiment: a named group of runs.</summary>
public sealed record Experiment
{
    /// <summary>The server-assigned id (a string, e.g. <c>"1"</c>; <c>"0"</c> is the <c>Default</c> experiment).</summary>
    public string ExperimentId { get; init => field = value ?? ""; } = "";

    /// <summary>The unique name.</summary>
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary>Where the runs' artifacts live, e.g. <c>mlflow-artifacts:/1</c>.</summary>
    public string? ArtifactLocation { get; init; }

    /// <summary><see cref="LifecycleStages.Active"/> or <see cref="LifecycleStages.Deleted"/>.</summary>
    public string LifecycleStage { get; init => field = value ?? LifecycleStages.Active; } = LifecycleStages.Active;

    /// <summary>Creation time, milliseconds since the Unix epoch.</summary>
    public long CreationTime { get; init; }

    /// <summary>Last update time, milliseconds since the Unix epoch.</summary>
    public long LastUpdateTime { get; init; }

    /// <summary>The experiment's tags.</summary>
    public IReadOnlyList<Tag> Tags { get; init => field = value ?? []; } = [];
}
