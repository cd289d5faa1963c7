using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Core.Paging;
using Slipway.Tracking.Domain;
using Slipway.Tracking.History;
using Slipway.Tracking.Search;
using Slipway.Tracking.Validation;

namespace Slipway.Tracking;

public sealed partial class TrackingService
{
    public async Task<Run> CreateRunAsync(string? experimentId, string? userId, long? startTime, string? runName, IReadOnlyList<Tag> tags, CancellationToken ct)
    {
        var normalizedTags = NormalizeRunTags(tags);
        // The run name and the mlflow.runName tag always agree; an explicit run_name wins over the tag.
        var tagName = normalizedTags.LastOrDefault(t => t.Key == SystemTags.RunName).Value;
        var name = !string.IsNullOrEmpty(runName) ? runName : !string.IsNullOrEmpty(tagName) ? tagName : RunNames.Generate();
        normalizedTags.RemoveAll(t => t.Key == SystemTags.RunName);
        normalizedTags.Add(new Tag(SystemTags.RunName, name));

        var runId = Guid.NewGuid().ToString("N");
        var info = new RunInfo(runId, string.IsNullOrEmpty(experimentId) ? "0" : experimentId, name, userId ?? "",
            RunStatus.Running, startTime ?? Now, null, "", LifecycleStage.Active);
        await store.CreateRunAsync(info, normalizedTags, ct);
        return await GetRunAsync(runId, ct);
    }

    public async Task<Run> GetRunAsync(string runId, CancellationToken ct) =>
        await store.GetRunAsync(runId, ct) ?? throw RunNotFound(runId);

    public Task<RunInfo> UpdateRunAsync(string runId, string? status, long? endTime, string? runName, CancellationToken ct)
    {
        if (status is not null)
            Validator.RunStatusValue(status);
        return store.UpdateRunAsync(runId, new RunUpdate(status, endTime, string.IsNullOrEmpty(runName) ? null : runName), ct);
    }

    /// <summary>Marks a run deleted; the store answers RESOURCE_DOES_NOT_EXIST for an unknown run.</summary>
    public Task DeleteRunAsync(string runId, AuditContext audit, CancellationToken ct) =>
        store.SetRunLifecycleAsync(runId, LifecycleStage.Deleted, Now, audit, ct);

    public Task RestoreRunAsync(string runId, AuditContext audit, CancellationToken ct) =>
        store.SetRunLifecycleAsync(runId, LifecycleStage.Active, Now, audit, ct);

    public Task LogMetricAsync(string runId, Metric metric, CancellationToken ct) => LogBatchAsync(runId, [metric], [], [], ct);

    public Task LogParamAsync(string runId, Param param, CancellationToken ct) => LogBatchAsync(runId, [], [param], [], ct);

    public Task SetTagAsync(string runId, Tag tag, CancellationToken ct) => LogBatchAsync(runId, [], [], [tag], ct);

    public Task LogBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<Tag> tags, CancellationToken ct)
    {
        if (metrics.Count > Limits.MaxMetricsPerBatch || parameters.Count > Limits.MaxParamsPerBatch || tags.Count > Limits.MaxTagsPerBatch
            || metrics.Count + parameters.Count + tags.Count > Limits.MaxEntitiesPerBatch)
            throw SlipwayException.InvalidParameter(
                $"A batch logging request can contain at most {Limits.MaxMetricsPerBatch} metrics, {Limits.MaxParamsPerBatch} params, {Limits.MaxTagsPerBatch} tags and {Limits.MaxEntitiesPerBatch} entities in total. Got {metrics.Count} metrics, {parameters.Count} params and {tags.Count} tags.");
        foreach (var metric in metrics)
        {
            Validator.EntityKey("Metric", metric.Key);
            Validator.Timestamp(metric.Timestamp);
        }
        var cleanParams = new Param[parameters.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < parameters.Count; i++)
        {
            Validator.EntityKey("Param", parameters[i].Key);
            if (!seen.Add(parameters[i].Key))
                throw SlipwayException.InvalidParameter($"Duplicate parameter keys have been submitted: ['{parameters[i].Key}']. Please ensure the request contains only one param value per param key.");
            cleanParams[i] = parameters[i] with { Value = Validator.Truncate(parameters[i].Value, Limits.MaxParamValueLength) };
        }
        return store.LogBatchAsync(runId, metrics, cleanParams, NormalizeRunTags(tags), ct);
    }

    public Task DeleteTagAsync(string runId, string key, AuditContext audit, CancellationToken ct) => store.DeleteTagAsync(runId, key, Now, audit, ct);

    public Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> inputs, CancellationToken ct)
    {
        foreach (var input in inputs)
        {
            var d = input.Dataset;
            if (string.IsNullOrEmpty(d.Name) || string.IsNullOrEmpty(d.Digest) || string.IsNullOrEmpty(d.SourceType) || string.IsNullOrEmpty(d.Source))
                throw SlipwayException.InvalidParameter("A dataset needs a name, digest, source_type and source.");
            Validator.MaxLength("Dataset name", d.Name, Limits.MaxDatasetNameLength);
            Validator.MaxLength("Dataset digest", d.Digest, Limits.MaxDatasetDigestLength);
            Validator.MaxLength("Dataset source", d.Source, Limits.MaxDatasetSourceLength);
            Validator.MaxLength("Dataset schema", d.Schema ?? "", Limits.MaxDatasetSchemaLength);
            Validator.MaxLength("Dataset profile", d.Profile ?? "", Limits.MaxDatasetProfileLength);
            foreach (var tag in input.Tags)
            {
                Validator.MaxLength("Input tag key", tag.Key, Limits.MaxInputTagKeyLength);
                Validator.MaxLength("Input tag value", tag.Value, Limits.MaxInputTagValueLength);
            }
        }
        return store.LogInputsAsync(runId, inputs, ct);
    }

    /// <summary>
    /// Metric history; an unknown run or key is an empty history, as in MLflow. With <paramref name="maxResults"/>
    /// the rows include one beyond the page, so the writer can tell whether to hand out a next-page token.
    /// </summary>
    public MetricHistoryPage GetMetricHistory(string runId, string key, int? maxResults, string? pageToken, CancellationToken ct)
    {
        var offset = PageToken.Decode(pageToken);
        if (maxResults is <= 0)
            throw SlipwayException.InvalidParameter($"Invalid value {maxResults} for parameter 'max_results' supplied.");
        var limit = maxResults is { } size ? size + 1 : int.MaxValue;
        return new MetricHistoryPage(store.ReadMetricHistoryAsync(runId, key, offset, limit, ct), maxResults, offset);
    }

    /// <summary>
    /// A metric's history thinned to at most <paramref name="maxPoints"/> points for charts, keeping each stretch's
    /// extremes (see <see cref="MetricDownsampler"/>); an unknown run or key is an empty history.
    /// </summary>
    public async Task<SampledHistory> GetSampledMetricHistoryAsync(string runId, string key, int maxPoints, CancellationToken ct)
    {
        // Counted first, so the sampler knows its buckets and holds only the current one while the rows stream by.
        var count = await store.CountMetricHistoryAsync(runId, key, ct);
        return await MetricDownsampler.DownsampleAsync(store.ReadMetricHistoryAsync(runId, key, 0, int.MaxValue, ct), count, maxPoints, ct);
    }

    public async Task<Page<Run>> SearchRunsAsync(IReadOnlyList<string> experimentIds, string? filter, IReadOnlyList<string> orderBy, ViewType viewType, int? maxResults, string? pageToken, CancellationToken ct)
    {
        var limit = maxResults ?? Limits.DefaultSearchRunsResults;
        Validator.MaxResults(limit, Limits.MaxSearchResults);
        var query = new RunQuery(experimentIds, RunSearchParser.ParseFilter(filter), RunSearchParser.ParseOrderBy(orderBy), viewType, limit, PageToken.Decode(pageToken));
        var (items, _) = await store.SearchRunsAsync(query, ct);
        // runs/search hands out a token with every full page; the page after the last one is empty.
        return new Page<Run>(items, items.Count == limit ? PageToken.Encode(query.Offset + items.Count) : null);
    }

    public async Task<RunInfo> GetRunInfoAsync(string runId, CancellationToken ct) =>
        await store.GetRunInfoAsync(runId, ct) ?? throw RunNotFound(runId);

    private static List<Tag> NormalizeRunTags(IReadOnlyList<Tag> tags)
    {
        var result = new List<Tag>(tags.Count + 1);
        foreach (var tag in tags)
        {
            Validator.EntityKey("Tag", tag.Key);
            result.Add(tag with { Value = Validator.Truncate(tag.Value, Limits.MaxRunTagValueLength) });
        }
        return result;
    }

    private static SlipwayException RunNotFound(string runId) => SlipwayException.NotFound($"Run with id={runId} not found");
}
