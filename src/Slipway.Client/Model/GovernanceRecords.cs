using System.Text.Json;

namespace Slipway.Client;

/// <summary>One entry of the audit log: who changed what, with the state before and after.</summary>
public sealed record AuditEvent
{
    /// <summary>The event id (increasing).</summary>
    public long Id { get; init; }

    /// <summary>When it happened, milliseconds since the Unix epoch.</summary>
    public long Timestamp { get; init; }

    /// <summary>The user who made the change (<c>anonymous</c> when the request named none).</summary>
    public string Actor { get; init => field = value ?? ""; } = "";

    /// <summary>What was done, e.g. <c>model_version.transition_stage</c>.</summary>
    public string Action { get; init => field = value ?? ""; } = "";

    /// <summary>What was changed, e.g. <c>models/iris/versions/3</c>.</summary>
    public string Resource { get; init => field = value ?? ""; } = "";

    /// <summary>The changed object before the change; null for a creation.</summary>
    public JsonElement? Before { get; init; }

    /// <summary>The changed object after the change; null for a deletion.</summary>
    public JsonElement? After { get; init; }

    /// <summary>The id of the HTTP request that made the change (its <c>X-Request-Id</c> when it sent one).</summary>
    public string RequestId { get; init => field = value ?? ""; } = "";
}

/// <summary>Where a model version came from and where it is used; the model version is the first node.</summary>
public sealed record LineageGraph
{
    /// <summary>The nodes: <c>model_version</c>, <c>run</c>, <c>experiment</c>, <c>dataset</c> and <c>endpoint</c>.</summary>
    public IReadOnlyList<LineageNode> Nodes { get; init => field = value ?? []; } = [];

    /// <summary>The directed edges between them.</summary>
    public IReadOnlyList<LineageEdge> Edges { get; init => field = value ?? []; } = [];
}

/// <summary>A node of a lineage graph.</summary>
public sealed record LineageNode
{
    /// <summary>The node id, unique in the graph.</summary>
    public string Id { get; init => field = value ?? ""; } = "";

    /// <summary><c>model_version</c>, <c>run</c>, <c>experiment</c>, <c>dataset</c> or <c>endpoint</c>.</summary>
    public string Type { get; init => field = value ?? ""; } = "";

    /// <summary>A short human-readable name.</summary>
    public string Label { get; init => field = value ?? ""; } = "";

    /// <summary>Further facts about the node (stage, status, digest, …).</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init => field = value ?? new Dictionary<string, string>(); } = new Dictionary<string, string>();
}

/// <summary>A directed edge of a lineage graph.</summary>
/// <param name="From">The source node id.</param>
/// <param name="To">The target node id.</param>
/// <param name="Relation">
/// <c>produced</c> (run → version), <c>input_of</c> (dataset → run), <c>parent_of</c> (run → child run),
/// <c>contains</c> (experiment → run) or <c>serves</c> (endpoint → version).
/// </param>
public sealed record LineageEdge(string From, string To, string Relation);

/// <summary>A model card: structured documentation of a model version.</summary>
public sealed record ModelCard
{
    /// <summary>What the model is for and what it must not be used for.</summary>
    public string? IntendedUse { get; init; }

    /// <summary>What it was trained on.</summary>
    public string? TrainingData { get; init; }

    /// <summary>How well it does, and on what.</summary>
    public IReadOnlyList<CardMetric> EvaluationMetrics { get; init => field = value ?? []; } = [];

    /// <summary>Known limitations and risks.</summary>
    public string? Limitations { get; init; }

    /// <summary>Who is responsible for the model.</summary>
    public IReadOnlyList<string> Owners { get; init => field = value ?? []; } = [];

    /// <summary>When the card was last written, milliseconds since the Unix epoch; set by the server.</summary>
    public long? UpdatedTimestamp { get; init; }

    /// <summary>Who last wrote the card; set by the server.</summary>
    public string? UpdatedBy { get; init; }
}

/// <summary>An evaluation metric on a model card.</summary>
/// <param name="Name">The metric, e.g. <c>auc</c>.</param>
/// <param name="Value">Its value.</param>
/// <param name="Dataset">The dataset it was measured on, if named.</param>
public sealed record CardMetric(string Name, double Value, string? Dataset = null);
