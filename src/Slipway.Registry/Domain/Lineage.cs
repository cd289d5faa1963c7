namespace Slipway.Registry.Domain;

/// <summary>
/// Where a model version came from and where it went: nodes (<c>model_version</c>, <c>run</c>, <c>experiment</c>,
/// <c>dataset</c>, <c>endpoint</c>) and directed edges between them. The model version is the first node.
/// </summary>
public sealed record LineageGraph(IReadOnlyList<LineageNode> Nodes, IReadOnlyList<LineageEdge> Edges);

public sealed record LineageNode(string Id, string Type, string Label, IReadOnlyDictionary<string, string> Attributes);

/// <param name="Relation"><c>produced</c> (run → version), <c>input_of</c> (dataset → run), <c>parent_of</c>
/// (run → child run), <c>contains</c> (experiment → run), <c>serves</c> (endpoint → version).</param>
public sealed record LineageEdge(string From, string To, string Relation);

/// <summary>
/// Contributes the consumers of a model version to its lineage; the serving module registers one so that the
/// endpoints serving a version appear in its graph.
/// </summary>
public interface ILineageContributor
{
    Task<IReadOnlyList<LineageNode>> GetServingEndpointsAsync(string modelName, long version, CancellationToken ct);
}
