using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Core.Paging;
using Slipway.Tracking.Domain;
using Slipway.Tracking.Search;
using Slipway.Tracking.Validation;

namespace Slipway.Tracking;

/// <summary>
/// All tracking logic: validation, defaults and MLflow's rules. HTTP adapters parse and format only;
/// the store persists. Timestamps sent by clients are stored as given, never checked against the server clock.
/// </summary>
public sealed partial class TrackingService(ITrackingStore store, TimeProvider clock)
{
    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<string> CreateExperimentAsync(string? name, string? artifactLocation, IReadOnlyList<Tag> tags, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(name))
            throw SlipwayException.InvalidParameter("Invalid experiment name: ''. Experiment name must be a non-empty string.");
        Validator.MaxLength("Experiment name", name, Limits.MaxExperimentNameLength);
        foreach (var tag in tags)
            ValidateExperimentTag(tag);
        if (artifactLocation is not null && (artifactLocation.Contains('#', StringComparison.Ordinal) || artifactLocation.Contains('?', StringComparison.Ordinal)))
            throw SlipwayException.InvalidParameter("'artifact_location' URL can't include fragments or params.");
        return await store.CreateExperimentAsync(name, string.IsNullOrEmpty(artifactLocation) ? null : artifactLocation, tags, Now, ct);
    }

    public async Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken ct) =>
        await store.GetExperimentAsync(experimentId, ct)
        ?? throw SlipwayException.NotFound($"No Experiment with id={experimentId} exists");

    public async Task<Experiment> GetExperimentByNameAsync(string name, CancellationToken ct) =>
        await store.GetExperimentByNameAsync(name, ct)
        ?? throw SlipwayException.NotFound($"Could not find experiment with name '{name}'");

    public async Task<Page<Experiment>> SearchExperimentsAsync(string? filter, IReadOnlyList<string> orderBy, ViewType viewType, int? maxResults, string? pageToken, CancellationToken ct)
    {
        var limit = maxResults ?? Limits.DefaultSearchExperimentsResults;
        Validator.MaxResults(limit, Limits.MaxSearchResults);
        var query = new ExperimentQuery(
            ExperimentSearchParser.ParseFilter(filter),
            ExperimentSearchParser.ParseOrderBy(orderBy),
            viewType,
            limit,
            PageToken.Decode(pageToken));
        var (items, hasMore) = await store.SearchExperimentsAsync(query, ct);
        // experiments/search omits the token on the last page even when that page is full.
        return new Page<Experiment>(items, hasMore ? PageToken.Encode(query.Offset + items.Count) : null);
    }

    public async Task RenameExperimentAsync(string experimentId, string? newName, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(newName))
            throw SlipwayException.InvalidParameter("Invalid experiment name: ''. Experiment name must be a non-empty string.");
        Validator.MaxLength("Experiment name", newName, Limits.MaxExperimentNameLength);
        var experiment = await GetExperimentAsync(experimentId, ct);
        EnsureExperimentActive(experiment);
        await store.RenameExperimentAsync(experimentId, newName, Now, ct);
    }

    public async Task DeleteExperimentAsync(string experimentId, AuditContext audit, CancellationToken ct)
    {
        var experiment = await GetExperimentAsync(experimentId, ct);
        if (experiment.ExperimentId == "0")
            throw SlipwayException.InvalidParameter("Cannot delete the default experiment '0'. This is an internally reserved experiment.");
        if (experiment.LifecycleStage == LifecycleStage.Deleted)
            throw SlipwayException.InvalidParameter($"Cannot delete an already deleted experiment: {experimentId}");
        await store.SetExperimentLifecycleAsync(experimentId, LifecycleStage.Deleted, Now, audit, ct);
    }

    public async Task RestoreExperimentAsync(string experimentId, AuditContext audit, CancellationToken ct)
    {
        var experiment = await GetExperimentAsync(experimentId, ct);
        if (experiment.LifecycleStage != LifecycleStage.Deleted)
            throw SlipwayException.NotFound($"Cannot restore an active experiment: {experimentId}");
        await store.SetExperimentLifecycleAsync(experimentId, LifecycleStage.Active, Now, audit, ct);
    }

    public async Task SetExperimentTagAsync(string experimentId, Tag tag, CancellationToken ct)
    {
        ValidateExperimentTag(tag);
        var experiment = await GetExperimentAsync(experimentId, ct);
        EnsureExperimentActive(experiment);
        await store.SetExperimentTagAsync(experimentId, tag, ct);
    }

    public async Task DeleteExperimentTagAsync(string experimentId, string key, AuditContext audit, CancellationToken ct)
    {
        var experiment = await GetExperimentAsync(experimentId, ct);
        EnsureExperimentActive(experiment);
        await store.DeleteExperimentTagAsync(experimentId, key, Now, audit, ct);
    }

    private static void ValidateExperimentTag(Tag tag)
    {
        Validator.EntityKey("Tag", tag.Key);
        Validator.MaxLength("Tag value", tag.Value, Limits.MaxExperimentTagValueLength);
    }

    private static void EnsureExperimentActive(Experiment experiment)
    {
        if (experiment.LifecycleStage != LifecycleStage.Active)
            throw SlipwayException.InvalidParameter($"The experiment {experiment.ExperimentId} must be in the 'active' state. Current state is {experiment.LifecycleStage}.");
    }
}
