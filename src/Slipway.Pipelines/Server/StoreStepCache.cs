using Slipway.Core.Pipelines;
using Slipway.Pipelines.Execution;

namespace Slipway.Pipelines.Server;

/// <summary>
/// The server's step cache: <c>pipeline_step_cache</c> rows of one pipeline, so a <c>cache: true</c> step reuses the
/// outputs of an identical earlier success across runs, restarts and replicas.
/// </summary>
internal sealed class StoreStepCache(IPipelineStore store, string pipeline) : IStepCache
{
    public async ValueTask<CachedStep?> TryGetAsync(string key, CancellationToken cancellationToken)
    {
        var entry = await store.GetCachedStepAsync(pipeline, key, cancellationToken);
        return entry is null
            ? null
            : new CachedStep(PipelineRunJson.Map(entry.Outputs), entry.SourceRun, DateTimeOffset.FromUnixTimeMilliseconds(entry.CreationTime));
    }

    public async ValueTask StoreAsync(string key, CachedStep entry, CancellationToken cancellationToken) =>
        await store.PutCachedStepAsync(
            new PipelineStepCacheRecord(pipeline, key, PipelineRunJson.Map(entry.Outputs), entry.RunId, entry.StoredAt.ToUnixTimeMilliseconds()),
            cancellationToken);
}
