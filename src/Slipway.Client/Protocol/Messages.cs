namespace Slipway.Client.Protocol;

// Request and response bodies of the MLflow REST API (snake_case on the wire, see SlipwayJsonContext).
// Null members are left out of requests; empty lists in responses may be absent.

internal sealed record ErrorResponse(string? ErrorCode, string? Message);

internal sealed record CreateExperimentRequest(string Name, string? ArtifactLocation, List<Tag>? Tags);

internal sealed record CreateExperimentResponse(string ExperimentId);

internal sealed record ExperimentResponse(Experiment? Experiment);

internal sealed record SearchExperimentsRequest(int? MaxResults, string? PageToken, string? Filter, List<string>? OrderBy, ViewType ViewType);

internal sealed record SearchExperimentsResponse(List<Experiment>? Experiments, string? NextPageToken);

internal sealed record ExperimentIdRequest(string ExperimentId);

internal sealed record UpdateExperimentRequest(string ExperimentId, string NewName);

internal sealed record SetExperimentTagRequest(string ExperimentId, string Key, string Value);

internal sealed record DeleteExperimentTagRequest(string ExperimentId, string Key);

internal sealed record CreateRunRequest(string ExperimentId, string? UserId, string? RunName, long StartTime, List<Tag>? Tags);

internal sealed record RunResponse(Run? Run);

internal sealed record UpdateRunRequest(string RunId, RunStatus? Status, long? EndTime, string? RunName);

internal sealed record UpdateRunResponse(RunInfo? RunInfo);

internal sealed record RunIdRequest(string RunId);

internal sealed record SearchRunsRequest(
    List<string> ExperimentIds, string? Filter, ViewType RunViewType, int? MaxResults, List<string>? OrderBy, string? PageToken);

internal sealed record SearchRunsResponse(List<Run>? Runs, string? NextPageToken);

internal sealed record LogMetricRequest(string RunId, string Key, double Value, long Timestamp, long Step);

internal sealed record RunKeyValueRequest(string RunId, string Key, string Value);

internal sealed record RunKeyRequest(string RunId, string Key);

internal sealed record LogBatchRequest(string RunId, List<Metric>? Metrics, List<Param>? Params, List<Tag>? Tags);

internal sealed record LogInputsRequest(string RunId, List<DatasetInput> Datasets);

internal sealed record MetricHistoryResponse(List<Metric>? Metrics, string? NextPageToken);

internal sealed record ListArtifactsResponse(List<ArtifactFile>? Files);
