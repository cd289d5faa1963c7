using Slipway.Client.Protocol;

namespace Slipway.Client;

public sealed partial class SlipwayClient
{
    /// <summary>The most metrics one <c>runs/log-batch</c> request may carry.</summary>
    public const int MaxMetricsPerBatch = 1000;

    /// <summary>The most params, and separately the most tags, one <c>runs/log-batch</c> request may carry.</summary>
    public const int MaxParamsOrTagsPerBatch = 100;

    /// <summary>The most entities (metrics + params + tags) one <c>runs/log-batch</c> request may carry.</summary>
    public const int MaxEntitiesPerBatch = 1000;

    /// <summary>Logs one metric value (<c>POST runs/log-metric</c>). For many values prefer <see cref="LogBatchAsync"/> or <see cref="ActiveRun.LogMetric"/>.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="key">The metric key.</param>
    /// <param name="value">The value; NaN and ±Infinity are allowed.</param>
    /// <param name="step">The step.</param>
    /// <param name="timestamp">Milliseconds since the Unix epoch; null for now.</param>
    /// <param name="ct">Cancels the request.</param>
    public Task LogMetricAsync(string runId, string key, double value, long step = 0, long? timestamp = null, CancellationToken ct = default) =>
        PostAsync("runs/log-metric", new LogMetricRequest(runId, key, value, timestamp ?? NowMilliseconds(), step), SlipwayJsonContext.Default.LogMetricRequest, ct);

    /// <summary>Logs a parameter (<c>POST runs/log-parameter</c>). Logging the same value again is accepted; a different one fails.</summary>
    /// <exception cref="SlipwayApiException"><c>INVALID_PARAMETER_VALUE</c> when the key already has a different value.</exception>
    public Task LogParameterAsync(string runId, string key, string value, CancellationToken ct = default) =>
        PostAsync("runs/log-parameter", new RunKeyValueRequest(runId, key, value), SlipwayJsonContext.Default.RunKeyValueRequest, ct);

    /// <summary>Sets (or overwrites) a run tag (<c>POST runs/set-tag</c>).</summary>
    public Task SetTagAsync(string runId, string key, string value, CancellationToken ct = default) =>
        PostAsync("runs/set-tag", new RunKeyValueRequest(runId, key, value), SlipwayJsonContext.Default.RunKeyValueRequest, ct);

    /// <summary>Deletes a run tag (<c>POST runs/delete-tag</c>).</summary>
    /// <exception cref="SlipwayApiException"><c>RESOURCE_DOES_NOT_EXIST</c> when the run has no such tag.</exception>
    public Task DeleteTagAsync(string runId, string key, CancellationToken ct = default) =>
        PostAsync("runs/delete-tag", new RunKeyRequest(runId, key), SlipwayJsonContext.Default.RunKeyRequest, ct);

    /// <summary>
    /// Logs metrics, params and tags (<c>POST runs/log-batch</c>), split into as many requests as the server's
    /// limits require (<see cref="MaxMetricsPerBatch"/>, <see cref="MaxParamsOrTagsPerBatch"/>, <see cref="MaxEntitiesPerBatch"/>).
    /// Requests are sent one after the other; if one fails, the later ones are not sent.
    /// </summary>
    public async Task LogBatchAsync(
        string runId, IEnumerable<Metric>? metrics = null, IEnumerable<Param>? parameters = null, IEnumerable<Tag>? tags = null,
        CancellationToken ct = default)
    {
        var metricList = metrics?.ToList() ?? [];
        var paramList = parameters?.ToList() ?? [];
        var tagList = tags?.ToList() ?? [];
        int m = 0, p = 0, t = 0;
        while (m < metricList.Count || p < paramList.Count || t < tagList.Count)
        {
            var paramCount = Math.Min(MaxParamsOrTagsPerBatch, paramList.Count - p);
            var tagCount = Math.Min(MaxParamsOrTagsPerBatch, tagList.Count - t);
            var metricCount = Math.Min(Math.Min(MaxMetricsPerBatch, MaxEntitiesPerBatch - paramCount - tagCount), metricList.Count - m);
            var request = new LogBatchRequest(
                runId,
                metricCount > 0 ? metricList.GetRange(m, metricCount) : null,
                paramCount > 0 ? paramList.GetRange(p, paramCount) : null,
                tagCount > 0 ? tagList.GetRange(t, tagCount) : null);
            await PostAsync("runs/log-batch", request, SlipwayJsonContext.Default.LogBatchRequest, ct).ConfigureAwait(false);
            m += metricCount;
            p += paramCount;
            t += tagCount;
        }
    }

    /// <summary>Records the datasets a run used (<c>POST runs/log-inputs</c>).</summary>
    public Task LogInputsAsync(string runId, IEnumerable<DatasetInput> datasets, CancellationToken ct = default) =>
        PostAsync("runs/log-inputs", new LogInputsRequest(runId, datasets.ToList()), SlipwayJsonContext.Default.LogInputsRequest, ct);

    /// <summary>Reads every logged value of one metric (<c>GET metrics/get-history</c>), following page tokens to the end.</summary>
    /// <returns>The values in the order the server returns them; empty for an unknown key.</returns>
    public async Task<IReadOnlyList<Metric>> GetMetricHistoryAsync(string runId, string key, CancellationToken ct = default)
    {
        var all = new List<Metric>();
        string? token = null;
        do
        {
            var response = await GetAsync(
                "metrics/get-history",
                [new("run_id", runId), new("metric_key", key), new("page_token", token)],
                SlipwayJsonContext.Default.MetricHistoryResponse,
                ct).ConfigureAwait(false);
            if (response.Metrics is not null)
                all.AddRange(response.Metrics);
            token = NullIfEmpty(response.NextPageToken);
        }
        while (token is not null);
        return all;
    }
}
