using System.Globalization;
using Slipway.Client.Protocol;

namespace Slipway.Client;

public sealed partial class SlipwayClient
{
    private const string MonitorsPath = SlipwayPrefix + "monitors";

    /// <summary>Creates a monitor on a serving endpoint (<c>POST /api/slipway/v1/monitors</c>).</summary>
    /// <returns>The stored monitor, its spec with the server's defaults filled in.</returns>
    /// <exception cref="SlipwayApiException">
    /// <c>INVALID_PARAMETER_VALUE</c> for a bad spec (the message lists every problem);
    /// <c>RESOURCE_ALREADY_EXISTS</c> when the name is taken.
    /// </exception>
    public async Task<EndpointMonitor> CreateMonitorAsync(MonitorSpec spec, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var response = await SendJsonAsync(HttpMethod.Post, MonitorsPath, spec, SlipwayJsonContext.Default.MonitorSpec, SlipwayJsonContext.Default.MonitorResponse, ct).ConfigureAwait(false);
        return response.Monitor ?? throw MissingField("monitor");
    }

    /// <summary>
    /// Replaces a monitor's spec (<c>PUT /api/slipway/v1/monitors/{name}</c>). Its history stays; an unchanged
    /// schedule keeps its next run time.
    /// </summary>
    /// <exception cref="SlipwayApiException"><c>RESOURCE_DOES_NOT_EXIST</c> for an unknown monitor; <c>INVALID_PARAMETER_VALUE</c> for a bad spec.</exception>
    public async Task<EndpointMonitor> UpdateMonitorAsync(MonitorSpec spec, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var response = await SendJsonAsync(HttpMethod.Put, MonitorPath(spec.Name), spec, SlipwayJsonContext.Default.MonitorSpec, SlipwayJsonContext.Default.MonitorResponse, ct).ConfigureAwait(false);
        return response.Monitor ?? throw MissingField("monitor");
    }

    /// <summary>Reads a monitor (<c>GET /api/slipway/v1/monitors/{name}</c>).</summary>
    /// <exception cref="SlipwayApiException"><c>RESOURCE_DOES_NOT_EXIST</c> for an unknown monitor.</exception>
    public async Task<EndpointMonitor> GetMonitorAsync(string name, CancellationToken ct = default)
    {
        var response = await GetJsonAsync(MonitorPath(name), [], SlipwayJsonContext.Default.MonitorResponse, ct).ConfigureAwait(false);
        return response.Monitor ?? throw MissingField("monitor");
    }

    /// <summary>Lists monitors by name (<c>GET /api/slipway/v1/monitors</c>).</summary>
    /// <param name="endpoint">Only the monitors of this endpoint; null for all.</param>
    /// <param name="ct">Cancels the request.</param>
    public async Task<IReadOnlyList<EndpointMonitor>> ListMonitorsAsync(string? endpoint = null, CancellationToken ct = default)
    {
        var response = await GetJsonAsync(MonitorsPath, [new("endpoint", NullIfEmpty(endpoint))], SlipwayJsonContext.Default.MonitorsResponse, ct).ConfigureAwait(false);
        return response.Monitors ?? [];
    }

    /// <summary>Deletes a monitor with its run history, reports and alerts (<c>DELETE /api/slipway/v1/monitors/{name}</c>).</summary>
    /// <exception cref="SlipwayApiException"><c>RESOURCE_DOES_NOT_EXIST</c> for an unknown monitor.</exception>
    public Task DeleteMonitorAsync(string name, CancellationToken ct = default) =>
        DeleteAsync(MonitorPath(name), ct);

    /// <summary>
    /// Runs a monitor now and waits for the result (<c>POST /api/slipway/v1/monitors/{name}/runs</c>); a large window
    /// can take seconds. A run that cannot compute (e.g. missing reference data) is returned as
    /// <see cref="MonitorRunStatus.Failed"/> with its <see cref="MonitorRun.Message"/>, not thrown.
    /// </summary>
    /// <param name="name">The monitor.</param>
    /// <param name="windowEnd">The end of the window to read; null for now.</param>
    /// <param name="ct">Cancels waiting; a run the server has started still finishes and is recorded.</param>
    /// <returns>The finished run, with its JSON report in <see cref="MonitorRun.Result"/> when it succeeded.</returns>
    public async Task<MonitorRun> RunMonitorAsync(string name, DateTimeOffset? windowEnd = null, CancellationToken ct = default)
    {
        var request = new RunMonitorRequest(windowEnd?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        var response = await SendJsonAsync(HttpMethod.Post, MonitorPath(name) + "/runs", request, SlipwayJsonContext.Default.RunMonitorRequest, SlipwayJsonContext.Default.MonitorRunResponse, ct).ConfigureAwait(false);
        return response.Run ?? throw MissingField("run");
    }

    /// <summary>Reads one page of a monitor's runs, newest first (<c>GET /api/slipway/v1/monitors/{name}/runs</c>), without their JSON reports.</summary>
    /// <param name="name">The monitor.</param>
    /// <param name="maxResults">Page size, 1 to 1000; null for the server default (50).</param>
    /// <param name="pageToken">The <see cref="Page{T}.NextPageToken"/> of the previous page; null for the first.</param>
    /// <param name="ct">Cancels the request.</param>
    public async Task<Page<MonitorRun>> ListMonitorRunsAsync(string name, int? maxResults = null, string? pageToken = null, CancellationToken ct = default)
    {
        KeyValuePair<string, string?>[] query =
        [
            new("max_results", maxResults?.ToString(CultureInfo.InvariantCulture)),
            new("page_token", NullIfEmpty(pageToken)),
        ];
        var response = await GetJsonAsync(MonitorPath(name) + "/runs", query, SlipwayJsonContext.Default.MonitorRunsResponse, ct).ConfigureAwait(false);
        return new Page<MonitorRun>(response.Runs ?? [], NullIfEmpty(response.NextPageToken));
    }

    /// <summary>Reads one run with its JSON report (<c>GET /api/slipway/v1/monitors/{name}/runs/{id}</c>).</summary>
    /// <exception cref="SlipwayApiException"><c>RESOURCE_DOES_NOT_EXIST</c> for an unknown monitor or run.</exception>
    public async Task<MonitorRun> GetMonitorRunAsync(string name, string runId, CancellationToken ct = default)
    {
        var response = await GetJsonAsync(MonitorRunPath(name, runId), [], SlipwayJsonContext.Default.MonitorRunResponse, ct).ConfigureAwait(false);
        return response.Run ?? throw MissingField("run");
    }

    /// <summary>
    /// Copies a run's report into <paramref name="destination"/>
    /// (<c>GET /api/slipway/v1/monitors/{name}/runs/{id}/report.html</c> or <c>report.json</c>). The HTML report is one
    /// self-contained file; the JSON report has every figure.
    /// </summary>
    /// <param name="name">The monitor.</param>
    /// <param name="runId">The run.</param>
    /// <param name="format"><c>html</c> or <c>json</c>.</param>
    /// <param name="destination">Where to write the report; it is not closed.</param>
    /// <param name="ct">Cancels the download.</param>
    /// <exception cref="ArgumentException"><paramref name="format"/> is neither <c>html</c> nor <c>json</c>.</exception>
    /// <exception cref="SlipwayApiException"><c>RESOURCE_DOES_NOT_EXIST</c> for an unknown run, or a failed run that has no report.</exception>
    public async Task DownloadMonitorReportAsync(string name, string runId, string format, Stream destination, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (format is not ("html" or "json"))
            throw new ArgumentException($"The report format is html or json (got '{format}').", nameof(format));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseAddress, MonitorRunPath(name, runId) + "/report." + format));
        using var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        var source = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
            await source.CopyToAsync(destination, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Lists alert episodes, newest first: of one monitor (<c>GET /api/slipway/v1/monitors/{name}/alerts</c>) or of all
    /// (<c>GET /api/slipway/v1/alerts</c>).
    /// </summary>
    /// <param name="monitor">The monitor; null for every monitor.</param>
    /// <param name="activeOnly">Only the episodes still being sent: firing ones and recently resolved ones.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="SlipwayApiException"><c>RESOURCE_DOES_NOT_EXIST</c> for an unknown monitor.</exception>
    public async Task<IReadOnlyList<MonitorAlert>> ListAlertsAsync(string? monitor = null, bool activeOnly = false, CancellationToken ct = default)
    {
        var path = string.IsNullOrEmpty(monitor) ? SlipwayPrefix + "alerts" : MonitorPath(monitor) + "/alerts";
        var response = await GetJsonAsync(path, [new("active", activeOnly ? "true" : null)], SlipwayJsonContext.Default.MonitorAlertsResponse, ct).ConfigureAwait(false);
        return response.Alerts ?? [];
    }

    private static string MonitorPath(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return MonitorsPath + "/" + Uri.EscapeDataString(name);
    }

    private static string MonitorRunPath(string name, string runId)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        return MonitorPath(name) + "/runs/" + Uri.EscapeDataString(runId);
    }
}
