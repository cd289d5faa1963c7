using System.Runtime.CompilerServices;
using Slipway.Client.Protocol;

namespace Slipway.Client;

public sealed partial class SlipwayClient
{
    /// <summary>The tag MLflow stores the user in.</summary>
    public const string UserTag = "mlflow.user";

    /// <summary>The tag MLflow keeps equal to the run name.</summary>
    public const string RunNameTag = "mlflow.runName";

    /// <summary>Creates a run in status RUNNING (<c>POST runs/create</c>).</summary>
    /// <param name="experimentId">The experiment to create it in.</param>
    /// <param name="runName">The display name; null lets the server pick one.</param>
    /// <param name="tags">Tags to set on the new run.</param>
    /// <param name="startTime">Start time in milliseconds since the Unix epoch; null for now.</param>
    /// <param name="userId">The user; null uses the <c>mlflow.user</c> tag if given, else the OS user name.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="SlipwayApiException"><c>RESOURCE_DOES_NOT_EXIST</c> for an unknown experiment.</exception>
    public async Task<Run> CreateRunAsync(
        string experimentId, string? runName = null, IEnumerable<KeyValuePair<string, string>>? tags = null,
        long? startTime = null, string? userId = null, CancellationToken ct = default)
    {
        var tagList = ToTags(tags) ?? [];
        userId ??= tagList.FirstOrDefault(t => t.Key == UserTag).Value ?? Environment.UserName;
        var request = new CreateRunRequest(experimentId, userId, NullIfEmpty(runName), startTime ?? NowMilliseconds(), tagList.Count == 0 ? null : tagList);
        var response = await PostAsync("runs/create", request, SlipwayJsonContext.Default.CreateRunRequest, SlipwayJsonContext.Default.RunResponse, ct).ConfigureAwait(false);
        return response.Run ?? throw MissingField("run");
    }

    /// <summary>Reads a run with its latest metrics, params, tags and inputs (<c>GET runs/get</c>).</summary>
    /// <exception cref="SlipwayApiException"><c>RESOURCE_DOES_NOT_EXIST</c> for an unknown run.</exception>
    public async Task<Run> GetRunAsync(string runId, CancellationToken ct = default)
    {
        var response = await GetAsync("runs/get", [new("run_id", runId)], SlipwayJsonContext.Default.RunResponse, ct).ConfigureAwait(false);
        return response.Run ?? throw MissingField("run");
    }

    /// <summary>Changes a run's status, end time or name (<c>POST runs/update</c>); null arguments are left unchanged.</summary>
    /// <returns>The run's updated info.</returns>
    public async Task<RunInfo> UpdateRunAsync(string runId, RunStatus? status = null, long? endTime = null, string? runName = null, CancellationToken ct = default)
    {
        var request = new UpdateRunRequest(runId, status, endTime, runName);
        var response = await PostAsync("runs/update", request, SlipwayJsonContext.Default.UpdateRunRequest, SlipwayJsonContext.Default.UpdateRunResponse, ct).ConfigureAwait(false);
        return response.RunInfo ?? throw MissingField("run_info");
    }

    /// <summary>Ends a run: sets its status and the end time to now (what <c>mlflow.end_run</c> sends).</summary>
    public Task<RunInfo> SetTerminatedAsync(string runId, RunStatus status = RunStatus.Finished, CancellationToken ct = default) =>
        UpdateRunAsync(runId, status, NowMilliseconds(), ct: ct);

    /// <summary>Marks a run deleted (<c>POST runs/delete</c>); it can be restored.</summary>
    public Task DeleteRunAsync(string runId, CancellationToken ct = default) =>
        PostAsync("runs/delete", new RunIdRequest(runId), SlipwayJsonContext.Default.RunIdRequest, ct);

    /// <summary>Restores a deleted run (<c>POST runs/restore</c>).</summary>
    public Task RestoreRunAsync(string runId, CancellationToken ct = default) =>
        PostAsync("runs/restore", new RunIdRequest(runId), SlipwayJsonContext.Default.RunIdRequest, ct);

    /// <summary>Reads one page of runs (<c>POST runs/search</c>).</summary>
    /// <param name="experimentIds">The experiments to search.</param>
    /// <param name="filter">An MLflow filter such as <c>metrics.rmse &lt; 1 and params.model = 'lr'</c>; null for all.</param>
    /// <param name="orderBy">Sort clauses such as <c>metrics.rmse DESC</c>; the default is <c>start_time DESC</c>.</param>
    /// <param name="maxResults">Page size (server default 1000, maximum 50000).</param>
    /// <param name="pageToken">The <see cref="Page{T}.NextPageToken"/> of the previous page; null for the first.</param>
    /// <param name="viewType">Which lifecycle stages to include.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="SlipwayApiException"><c>INVALID_PARAMETER_VALUE</c> for a bad filter, order or page size.</exception>
    public async Task<Page<Run>> SearchRunsAsync(
        IEnumerable<string> experimentIds, string? filter = null, IEnumerable<string>? orderBy = null, int? maxResults = null,
        string? pageToken = null, ViewType viewType = ViewType.ActiveOnly, CancellationToken ct = default)
    {
        var request = new SearchRunsRequest(experimentIds.ToList(), NullIfEmpty(filter), viewType, maxResults, orderBy?.ToList(), NullIfEmpty(pageToken));
        var response = await PostAsync("runs/search", request, SlipwayJsonContext.Default.SearchRunsRequest, SlipwayJsonContext.Default.SearchRunsResponse, ct).ConfigureAwait(false);
        return new Page<Run>(response.Runs ?? [], NullIfEmpty(response.NextPageToken));
    }

    /// <summary>Enumerates every matching run, reading page after page until the server has no more.</summary>
    /// <param name="experimentIds">The experiments to search.</param>
    /// <param name="filter">See <see cref="SearchRunsAsync"/>.</param>
    /// <param name="orderBy">See <see cref="SearchRunsAsync"/>.</param>
    /// <param name="viewType">Which lifecycle stages to include.</param>
    /// <param name="pageSize">Runs per request.</param>
    /// <param name="ct">Cancels the enumeration.</param>
    public async IAsyncEnumerable<Run> SearchAllRunsAsync(
        IEnumerable<string> experimentIds, string? filter = null, IEnumerable<string>? orderBy = null,
        ViewType viewType = ViewType.ActiveOnly, int pageSize = 1000, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var ids = experimentIds.ToList();
        var order = orderBy?.ToList();
        string? token = null;
        do
        {
            var page = await SearchRunsAsync(ids, filter, order, pageSize, token, viewType, ct).ConfigureAwait(false);
            foreach (var run in page.Items)
                yield return run;
            token = page.NextPageToken;
        }
        while (token is not null);
    }
}
