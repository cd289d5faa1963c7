using System.Text.Json.Serialization;

namespace Slipway.Client.Protocol;

/// <summary>
/// Source-generated serializers for the MLflow wire format: snake_case names, nulls left out, and
/// NaN/±Infinity written as the strings <c>"NaN"</c>/<c>"Infinity"</c>/<c>"-Infinity"</c> (which the
/// server accepts). Numbers sent as strings are read too, for servers that follow protobuf's int64 default.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals | JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(CreateExperimentRequest))]
[JsonSerializable(typeof(CreateExperimentResponse))]
[JsonSerializable(typeof(ExperimentResponse))]
[JsonSerializable(typeof(SearchExperimentsRequest))]
[JsonSerializable(typeof(SearchExperimentsResponse))]
[JsonSerializable(typeof(ExperimentIdRequest))]
[JsonSerializable(typeof(UpdateExperimentRequest))]
[JsonSerializable(typeof(SetExperimentTagRequest))]
[JsonSerializable(typeof(DeleteExperimentTagRequest))]
[JsonSerializable(typeof(CreateRunRequest))]
[JsonSerializable(typeof(RunResponse))]
[JsonSerializable(typeof(UpdateRunRequest))]
[JsonSerializable(typeof(UpdateRunResponse))]
[JsonSerializable(typeof(RunIdRequest))]
[JsonSerializable(typeof(SearchRunsRequest))]
[JsonSerializable(typeof(SearchRunsResponse))]
[JsonSerializable(typeof(LogMetricRequest))]
[JsonSerializable(typeof(RunKeyValueRequest))]
[JsonSerializable(typeof(RunKeyRequest))]
[JsonSerializable(typeof(LogBatchRequest))]
[JsonSerializable(typeof(LogInputsRequest))]
[JsonSerializable(typeof(MetricHistoryResponse))]
[JsonSerializable(typeof(ListArtifactsResponse))]
internal sealed partial class SlipwayJsonContext : JsonSerializerContext;
