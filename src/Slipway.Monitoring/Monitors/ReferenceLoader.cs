using System.Globalization;
using System.Text.Json;
using Slipway.Artifacts;
using Slipway.Core.Errors;
using Slipway.Monitoring.Data;
using Slipway.Monitoring.InferenceLog;
using Slipway.Registry;
using Slipway.Serving.Endpoints;
using Slipway.Tracking;

namespace Slipway.Monitoring.Monitors;

/// <summary>The reference data of a run and where it came from (shown in reports).</summary>
public sealed record ReferenceData(DataFrame Frame, string Description);

/// <summary>
/// Loads a monitor's reference data: a CSV/Parquet artifact, the dataset logged with the source run of the model
/// version an endpoint serves, or a fixed window of the endpoint's own traffic.
/// </summary>
public sealed class ReferenceLoader(
    IArtifactStore artifacts,
    TrackingService tracking,
    RegistryService registry,
    IEndpointStore endpoints,
    ModelResolver models,
    IInferenceWindowSource windows,
    Slipway.Tracking.Access.ArtifactOwners owners)
{
    /// <summary>Dataset-input contexts tried in order when a run logged several datasets.</summary>
    private static readonly string[] PreferredContexts = ["reference", "training", "train"];

    public async Task<ReferenceData> LoadAsync(MonitorSpec spec, IReadOnlyList<string> logColumns, CancellationToken ct)
    {
        switch (spec.Reference.Kind)
        {
            case "dataset":
                return await ReadFileAsync(spec.Reference.Uri!, spec.Reference.Uri!, ct);
            case "window":
                var from = spec.Reference.From!.Value;
                var to = spec.Reference.To!.Value;
                var window = await windows.ReadAsync(new InferenceWindowQuery(spec.Endpoint, from, to, logColumns, spec.MaxRows), ct);
                return new ReferenceData(window.Frame, $"traffic of {spec.Endpoint} from {from.UtcDateTime:O} to {to.UtcDateTime:O} ({window.RowsSeen} rows{(window.Sampled ? ", sampled" : "")})");
            default:
                return await LoadModelDatasetAsync(spec, ct);
        }
    }

    private async Task<ReferenceData> LoadModelDatasetAsync(MonitorSpec spec, CancellationToken ct)
    {
        var endpoint = await endpoints.GetAsync(spec.Endpoint, ct) ?? throw EndpointErrors.NotFound(spec.Endpoint);
        // The route with the most traffic is the model the monitor compares against.
        var route = endpoint.Spec.Routes.OrderByDescending(r => r.Weight).First();
        var resolved = await models.ResolveAsync(route.Model, ct);
        if (resolved.LocalPath is not null)
            throw SlipwayException.InvalidParameter($"Endpoint '{spec.Endpoint}' serves a local model path, which has no source run; give the monitor a dataset reference.");
        var version = await registry.GetModelVersionAsync(resolved.ModelName, long.Parse(resolved.Version, CultureInfo.InvariantCulture), ct);
        if (version.RunId is not { Length: > 0 } runId)
            throw SlipwayException.InvalidParameter($"Model version {resolved.DisplayName} has no source run, so it has no logged dataset; give the monitor a dataset reference.");
        var run = await tracking.GetRunAsync(runId, ct);
        var inputs = run.Inputs;
        var chosen = PreferredContexts
            .Select(context => inputs.FirstOrDefault(i => i.Tags.Any(t => t.Key == "mlflow.data.context" && t.Value == context)))
            .FirstOrDefault(i => i is not null) ?? inputs.FirstOrDefault();
        if (chosen is null)
            throw SlipwayException.InvalidParameter($"The source run {runId} of model version {resolved.DisplayName} logged no dataset; log one (context 'reference' or 'training') or give the monitor a dataset reference.");
        var location = DatasetLocation(chosen.Dataset.Source)
            ?? throw SlipwayException.InvalidParameter($"Dataset '{chosen.Dataset.Name}' of run {runId} has no readable location in its source ({chosen.Dataset.Source}).");
        // A run's logged source is whatever its author wrote: only data inside the run's own experiment is read, or
        // anyone able to log a run could point a monitor at another team's files.
        var owner = await owners.ExperimentOfAsync(await ArtifactLocations.ToStorePathAsync(location, tracking, ct), ct);
        if (owner != run.Info.ExperimentId)
            throw SlipwayException.InvalidParameter(
                $"Dataset '{chosen.Dataset.Name}' of run {runId} lies outside the run's experiment ({location}); give the monitor a dataset reference.");
        return await ReadFileAsync(location, $"dataset '{chosen.Dataset.Name}' of run {runId} (model version {resolved.DisplayName}, {location})", ct);
    }

    private async Task<ReferenceData> ReadFileAsync(string location, string description, CancellationToken ct)
    {
        var path = await ArtifactLocations.ToStorePathAsync(location, tracking, ct);
        if (!path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
            throw SlipwayException.InvalidParameter($"Reference data '{location}' must be a .csv or .parquet file.");
        await using var stream = await artifacts.OpenReadAsync(path, ct)
            ?? throw SlipwayException.NotFound($"Reference data '{location}' does not exist in the artifact store.");
        return new ReferenceData(FrameReader.Read(stream, path), description);
    }

    /// <summary>MLflow dataset sources are JSON such as <c>{"uri": "…"}</c>; a bare string is taken as the location.</summary>
    private static string? DatasetLocation(string source)
    {
        if (!source.TrimStart().StartsWith('{'))
            return source.Length > 0 ? source : null;
        try
        {
            using var document = JsonDocument.Parse(source);
            foreach (var field in new[] { "uri", "url", "path" })
            {
                if (document.RootElement.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String)
                    return value.GetString();
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }
}
