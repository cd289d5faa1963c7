using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Slipway.Client;

namespace Slipway.Cli.Output;

/// <summary>The shapes <c>--json</c> prints: SDK objects in MLflow's snake_case wire format, plus a few CLI results.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    WriteIndented = true)]
[JsonSerializable(typeof(Experiment))]
[JsonSerializable(typeof(List<Experiment>))]
[JsonSerializable(typeof(Run))]
[JsonSerializable(typeof(List<Run>))]
[JsonSerializable(typeof(RunsPage))]
[JsonSerializable(typeof(List<ArtifactFile>))]
[JsonSerializable(typeof(CreatedExperiment))]
[JsonSerializable(typeof(UploadedArtifacts))]
[JsonSerializable(typeof(DownloadedArtifacts))]
[JsonSerializable(typeof(EmptyResult))]
internal sealed partial class CliJsonContext : JsonSerializerContext;

internal static class CliJson
{
    public static string Serialize<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.Serialize(value, type);
}

internal sealed record RunsPage(IReadOnlyList<Run> Runs, string? NextPageToken);

internal sealed record CreatedExperiment(string ExperimentId);

internal sealed record UploadedArtifacts(string RunId, IReadOnlyList<string> Files);

internal sealed record DownloadedArtifacts(string LocalPath);

internal sealed record EmptyResult;
