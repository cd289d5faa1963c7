using System.Globalization;
using Slipway.Client.Protocol;

namespace Slipway.Client;

public sealed partial class SlipwayClient
{
    private const string PipelinesPath = SlipwayPrefix + "pipelines";

    /// <summary>
    /// Stores a pipeline YAML on the server, or replaces the stored one of the same name (<c>POST /api/slipway/v1/pipelines</c>);
    /// its schedules and triggers are active from then on.
    /// </summary>
    /// <param name="yaml">The pipeline file's text.</param>
    /// <param name="fileName">The name problems are reported against (e.g. <c>train.yaml</c>); null for <c>pipeline.yaml</c>.</param>
    /// <param name="workingDirectory">
    /// An absolute folder on the server where runs that name no folder (triggered and scheduled ones too) work, so the
    /// file's relative paths resolve; null for a fresh folder per run.
    /// </param>
    /// <param name="ct">Cancels the request.</param>
    /// <returns>The stored pipeline, and whether it was new.</returns>
    /// <exception cref="SlipwayApiException"><c>INVALID_PARAMETER_VALUE</c> whose message lists every problem as <c>file:line:col: message</c>.</exception>
    public async Task<(PipelineInfo Pipeline, bool Created)> ApplyPipelineAsync(
        string yaml, string? fileName = null, string? workingDirectory = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var response = await SendJsonAsync(HttpMethod.Post, PipelinesPath, new ApplyPipelineRequest(yaml, fileName, workingDirectory),
            SlipwayJsonContext.Default.ApplyPipelineRequest, SlipwayJsonContext.Default.ApplyPipelineResponse, ct).ConfigureAwait(false);
        return (response.Pipeline ?? throw MissingField("pipeline"), response.Created);
    }

    /// <summary>Lists stored pipelines by name (<c>GET /api/slipway/v1/pipelines</c>).</summary>
    public async Task<IReadOnlyList<PipelineInfo>> ListPipelinesAsync(CancellationToken ct = default)
    {
        var response = await GetJsonAsync(PipelinesPath, [], SlipwayJsonContext.Default.PipelinesResponse, ct).ConfigureAwait(false);
        return response.Pipelines ?? [];
    }

    /// <summary>Reads a pipeline with its ten most recent runs (<c>GET /api/slipway/v1/pipelines/{name}</c>).</summary>
    /// <exception cref="SlipwayApiException"><c>RESOURCE_DOES_NOT_EXIST</c> for an unknown pipeline.</exception>
    public async Task<(PipelineInfo Pipeline, IReadOnlyList<PipelineRun> RecentRuns)> GetPipelineAsync(string name, CancellationToken ct = default)
    {
        var response = await GetJsonAsync(PipelinePath(name), [], SlipwayJsonContext.Default.PipelineResponse, ct).ConfigureAwait(false);
        return (response.Pipeline ?? throw MissingField("pipeline"), response.Runs ?? []);
    }

    /// <summary>Deletes a pipeline with its run records and step cache (<c>DELETE /api/slipway/v1/pipelines/{name}</c>); the MLflow runs stay.</summary>
    /// <exception cref="SlipwayApiException"><c>RESOURCE_DOES_NOT_EXIST</c>; <c>RESOURCE_CONFLICT</c> while a run is queued or running.</exception>
    public Task DeletePipelineAsync(string name, CancellationToken ct = default) => DeleteAsync(PipelinePath(name), ct);

    /// <summary>
    /// Starts a run of a stored pipeline (<c>POST /api/slipway/v1/pipelines/{name}/runs</c>). The run is queued and starts
    /// once the pipeline is under its <c>concurrency</c> limit; follow it with <see cref="GetPipelineRunAsync"/>.
    /// </summary>
    /// <param name="name">The pipeline.</param>
    /// <param name="parameters">Overrides of declared parameters; null for the defaults.</param>
    /// <param name="workingDirectory">An absolute folder on the server for the steps; null for a fresh per-run folder.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="SlipwayApiException"><c>INVALID_PARAMETER_VALUE</c> for an undeclared parameter or a bad working directory.</exception>
    public async Task<PipelineRun> StartPipelineRunAsync(
        string name, IReadOnlyDictionary<string, string>? parameters = null, string? workingDirectory = null, CancellationToken ct = default)
    {
        var request = new StartPipelineRunRequest(parameters is null ? null : new Dictionary<string, string>(parameters), workingDirectory);
        var response = await SendJsonAsync(HttpMethod.Post, PipelinePath(name) + "/runs", request,
            SlipwayJsonContext.Default.StartPipelineRunRequest, SlipwayJsonContext.Default.PipelineRunResponse, ct).ConfigureAwait(false);
        return response.Run ?? throw MissingField("run");
    }

    /// <summary>Reads one run with its steps (<c>GET /api/slipway/v1/pipelines/runs/{id}</c>).</summary>
    /// <exception cref="SlipwayApiException"><c>RESOURCE_DOES_NOT_EXIST</c> for an unknown run.</exception>
    public async Task<PipelineRun> GetPipelineRunAsync(string runId, CancellationToken ct = default)
    {
        var response = await GetJsonAsync(PipelineRunPath(runId), [], SlipwayJsonContext.Default.PipelineRunResponse, ct).ConfigureAwait(false);
        return response.Run ?? throw MissingField("run");
    }

    /// <summary>Reads one page of a pipeline's runs, newest first (<c>GET /api/slipway/v1/pipelines/{name}/runs</c>).</summary>
    /// <param name="name">The pipeline.</param>
    /// <param name="status">Only runs in this status (queued, running, succeeded, failed, cancelled); null for all.</param>
    /// <param name="maxResults">Page size, 1 to 1000; null for 50.</param>
    /// <param name="pageToken">The previous page's token; null for the first.</param>
    /// <param name="ct">Cancels the request.</param>
    public async Task<Page<PipelineRun>> ListPipelineRunsAsync(
        string name, string? status = null, int? maxResults = null, string? pageToken = null, CancellationToken ct = default)
    {
        KeyValuePair<string, string?>[] query =
        [
            new("status", NullIfEmpty(status)),
            new("max_results", maxResults?.ToString(CultureInfo.InvariantCulture)),
            new("page_token", NullIfEmpty(pageToken)),
        ];
        var response = await GetJsonAsync(PipelinePath(name) + "/runs", query, SlipwayJsonContext.Default.PipelineRunsResponse, ct).ConfigureAwait(false);
        return new Page<PipelineRun>(response.Runs ?? [], NullIfEmpty(response.NextPageToken));
    }

    /// <summary>
    /// Cancels a run (<c>POST /api/slipway/v1/pipelines/runs/{id}/cancel</c>): a queued run is cancelled at once, a running
    /// one is stopped by the server running it (its steps' processes are killed).
    /// </summary>
    public async Task<PipelineRun> CancelPipelineRunAsync(string runId, CancellationToken ct = default)
    {
        var response = await SendJsonAsync(HttpMethod.Post, PipelineRunPath(runId) + "/cancel", new StartPipelineRunRequest(null, null),
            SlipwayJsonContext.Default.StartPipelineRunRequest, SlipwayJsonContext.Default.PipelineRunResponse, ct).ConfigureAwait(false);
        return response.Run ?? throw MissingField("run");
    }

    /// <summary>Reads the logs of a run's steps, or of one step (<c>GET /api/slipway/v1/pipelines/runs/{id}/logs</c>).</summary>
    public async Task<IReadOnlyList<PipelineStepLog>> GetPipelineRunLogsAsync(string runId, string? step = null, CancellationToken ct = default)
    {
        var response = await GetJsonAsync(PipelineRunPath(runId) + "/logs", [new("step", NullIfEmpty(step))],
            SlipwayJsonContext.Default.PipelineLogsResponse, ct).ConfigureAwait(false);
        return response.Logs ?? [];
    }

    private static string PipelinePath(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return PipelinesPath + "/" + Uri.EscapeDataString(name);
    }

    private static string PipelineRunPath(string runId)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        return PipelinesPath + "/runs/" + Uri.EscapeDataString(runId);
    }
}
