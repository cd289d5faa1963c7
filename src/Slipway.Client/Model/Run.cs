namespace Slipway.Client;

/// <summary>A run: its metadata, logged data and dataset inputs.</summary>
public sealed record Run
{
    /// <summary>Identity, status and timing of the run.</summary>
    public RunInfo Info { get; init => field = value ?? new(); } = new();

    /// <summary>The latest value of each metric, the parameters and the tags.</summary>
    public RunData Data { get; init => field = value ?? new(); } = new();

    /// <summary>The datasets the run used.</summary>
    public RunInputs Inputs { get; init => field = value ?? new(); } = new();
}

/// <summary>Identity, status and timing of a run.</summary>
public sealed record RunInfo
{
    /// <summary>The run id (32 hex characters on Slipway and MLflow).</summary>
    public string RunId { get; init => field = value ?? ""; } = "";

    /// <summary>The run's display name (mirrored in the <c>mlflow.runName</c> tag).</summary>
    public string? RunName { get; init; }

    /// <summary>The id of the experiment the run belongs to.</summary>
    public string ExperimentId { get; init => field = value ?? ""; } = "";

    /// <summary>The user who created the run.</summary>
    public string? UserId { get; init; }

    /// <summary>The run status.</summary>
    public RunStatus Status { get; init; }

    /// <summary>Start time, milliseconds since the Unix epoch.</summary>
    public long StartTime { get; init; }

    /// <summary>End time, milliseconds since the Unix epoch; null while the run has not ended.</summary>
    public long? EndTime { get; init; }

    /// <summary>The artifact root of the run, e.g. <c>mlflow-artifacts:/1/&lt;run_id&gt;/artifacts</c>.</summary>
    public string ArtifactUri { get; init => field = value ?? ""; } = "";

    /// <summary><see cref="LifecycleStages.Active"/> or <see cref="LifecycleStages.Deleted"/>.</summary>
    public string LifecycleStage { get; init => field = value ?? LifecycleStages.Active; } = LifecycleStages.Active;
}

/// <summary>What was logged to a run.</summary>
public sealed record RunData
{
    /// <summary>The latest value of each metric (highest step, then latest timestamp).</summary>
    public IReadOnlyList<Metric> Metrics { get; init => field = value ?? []; } = [];

    /// <summary>The parameters.</summary>
    public IReadOnlyList<Param> Params { get; init => field = value ?? []; } = [];

    /// <summary>The tags, including system tags such as <c>mlflow.user</c> and <c>mlflow.runName</c>.</summary>
    public IReadOnlyList<Tag> Tags { get; init => field = value ?? []; } = [];
}

/// <summary>The inputs of a run.</summary>
public sealed record RunInputs
{
    /// <summary>The datasets logged with <see cref="SlipwayClient.LogInputsAsync"/>.</summary>
    public IReadOnlyList<DatasetInput> DatasetInputs { get; init => field = value ?? []; } = [];
}

/// <summary>A dataset used by a run, with tags such as <c>mlflow.data.context</c> = <c>training</c>.</summary>
public sealed record DatasetInput
{
    /// <summary>Tags of this use of the dataset.</summary>
    public IReadOnlyList<Tag> Tags { get; init => field = value ?? []; } = [];

    /// <summary>The dataset.</summary>
    public Dataset Dataset { get; init => field = value ?? new(); } = new();
}

/// <summary>A dataset, identified by name and digest.</summary>
public sealed record Dataset
{
    /// <summary>The dataset name (at most 500 characters).</summary>
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary>A digest of the content (at most 36 characters).</summary>
    public string Digest { get; init => field = value ?? ""; } = "";

    /// <summary>The kind of source, e.g. <c>local</c>, <c>http</c>, <c>code</c>.</summary>
    public string SourceType { get; init => field = value ?? ""; } = "";

    /// <summary>The source, usually JSON describing where the data came from.</summary>
    public string Source { get; init => field = value ?? ""; } = "";

    /// <summary>The schema, usually JSON; optional.</summary>
    public string? Schema { get; init; }

    /// <summary>A profile (row counts, statistics), usually JSON; optional.</summary>
    public string? Profile { get; init; }
}
