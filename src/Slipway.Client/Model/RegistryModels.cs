namespace Slipway.Client;

/// <summary>A registered model: a named, versioned model in the model registry.</summary>
public sealed record RegisteredModel
{
    /// <summary>The unique name.</summary>
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary>Creation time, milliseconds since the Unix epoch.</summary>
    public long CreationTimestamp { get; init; }

    /// <summary>Last update time, milliseconds since the Unix epoch.</summary>
    public long LastUpdatedTimestamp { get; init; }

    /// <summary>The description; null when none was set.</summary>
    public string? Description { get; init; }

    /// <summary>The newest version in each stage (what <c>registered-models/get</c> returns).</summary>
    public IReadOnlyList<ModelVersion> LatestVersions { get; init => field = value ?? []; } = [];

    /// <summary>The model's tags.</summary>
    public IReadOnlyList<Tag> Tags { get; init => field = value ?? []; } = [];

    /// <summary>The model's aliases and the versions they point at.</summary>
    public IReadOnlyList<RegisteredModelAlias> Aliases { get; init => field = value ?? []; } = [];
}

/// <summary>An alias of a registered model, e.g. <c>champion</c> → version <c>"3"</c>.</summary>
/// <param name="Alias">The alias name.</param>
/// <param name="Version">The version it points at (a string, as on the wire).</param>
public sealed record RegisteredModelAlias(string Alias, string Version);

/// <summary>One version of a registered model.</summary>
public sealed record ModelVersion
{
    /// <summary>The registered model's name.</summary>
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary>The version number as a string (<c>"1"</c>, <c>"2"</c>, …), as on the wire.</summary>
    public string Version { get; init => field = value ?? ""; } = "";

    /// <summary>Creation time, milliseconds since the Unix epoch.</summary>
    public long CreationTimestamp { get; init; }

    /// <summary>Last update time, milliseconds since the Unix epoch.</summary>
    public long LastUpdatedTimestamp { get; init; }

    /// <summary>The user who registered the version, when the server knows it.</summary>
    public string? UserId { get; init; }

    /// <summary>The stage (see <see cref="ModelStages"/>).</summary>
    public string CurrentStage { get; init => field = value ?? ModelStages.None; } = ModelStages.None;

    /// <summary>The description (empty when none was set).</summary>
    public string Description { get; init => field = value ?? ""; } = "";

    /// <summary>Where the model's files are, e.g. <c>runs:/&lt;run_id&gt;/model</c> or <c>s3://bucket/model</c>.</summary>
    public string Source { get; init => field = value ?? ""; } = "";

    /// <summary>The run that produced the model; null when it was registered from a plain location.</summary>
    public string? RunId { get; init; }

    /// <summary>The registration status, <c>READY</c> once the version can be used.</summary>
    public string Status { get; init => field = value ?? ""; } = "";

    /// <summary>A link to the run in another system; often empty.</summary>
    public string RunLink { get; init => field = value ?? ""; } = "";

    /// <summary>The version's tags.</summary>
    public IReadOnlyList<Tag> Tags { get; init => field = value ?? []; } = [];

    /// <summary>
    /// The aliases pointing at this version. Filled by get, get-by-alias and resolve; like MLflow, a search leaves it
    /// empty (read <see cref="RegisteredModel.Aliases"/> instead).
    /// </summary>
    public IReadOnlyList<string> Aliases { get; init => field = value ?? []; } = [];
}

/// <summary>MLflow's model version stages (deprecated in MLflow in favour of aliases, still widely used).</summary>
public static class ModelStages
{
    /// <summary>No stage (<c>None</c>), where new versions start.</summary>
    public const string None = "None";

    /// <summary>The <c>Staging</c> stage.</summary>
    public const string Staging = "Staging";

    /// <summary>The <c>Production</c> stage.</summary>
    public const string Production = "Production";

    /// <summary>The <c>Archived</c> stage.</summary>
    public const string Archived = "Archived";
}

/// <summary>A model version found from a <c>models:/</c> URI, with the address its files can be downloaded from.</summary>
/// <param name="ModelVersion">The version the URI names.</param>
/// <param name="DownloadUri">Where its files are, e.g. <c>mlflow-artifacts:/1/&lt;run_id&gt;/artifacts/model</c>.</param>
public sealed record ResolvedModelVersion(ModelVersion ModelVersion, string DownloadUri);
