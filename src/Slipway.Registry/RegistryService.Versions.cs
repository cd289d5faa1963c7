using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Core.Paging;
using Slipway.Registry.Domain;
using Slipway.Registry.Search;
using Slipway.Tracking.Domain;
using Slipway.Tracking.Validation;

namespace Slipway.Registry;

public sealed partial class RegistryService
{
    private const int MaxSourceLength = 65535;

    public async Task<ModelVersion> CreateModelVersionAsync(NewModelVersion version, AuditContext audit, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(version.Name))
            throw SlipwayException.MissingParameter("name");
        ValidateSource(version.Source);
        ValidateDescription(version.Description);
        foreach (var tag in version.Tags)
            ValidateTag(tag);
        // A client that names no user still names one through the source run (its mlflow.user), as log_model does.
        if (audit.Actor == AuditContext.Anonymous && version.RunId is not null
            && await tracking.GetRunInfoAsync(version.RunId, ct) is { UserId: { Length: > 0 } runUser })
            audit = audit with { Actor = runUser };
        var created = await store.CreateModelVersionAsync(version, Now, audit, ct);
        webhooks.Notify();
        await NotifyVersionHooksAsync(created);
        return created;
    }

    /// <summary>Tells the in-process hooks after the commit; a hook's failure never fails the create.</summary>
    private async Task NotifyVersionHooksAsync(ModelVersion created)
    {
        foreach (var hook in _versionHooks)
        {
            try
            {
                await hook.OnModelVersionCreatedAsync(created, CancellationToken.None);
            }
            catch (Exception)
            {
                // Hooks log their own failures (IModelVersionCreatedHook's contract); the version exists either way.
            }
        }
    }

    public async Task<ModelVersion> GetModelVersionAsync(string name, long version, CancellationToken ct) =>
        await store.GetModelVersionAsync(name, version, ct) ?? throw RegistryErrors.VersionNotFound(name, version);

    public async Task<Page<ModelVersion>> SearchModelVersionsAsync(string? filter, IReadOnlyList<string> orderBy, int? maxResults, string? pageToken, CancellationToken ct)
    {
        var limit = maxResults ?? DefaultSearchVersionsResults;
        Validator.MaxResults(limit, MaxSearchVersionsResults);
        var query = new ModelVersionQuery(
            RegistrySearchParser.ParseVersionFilter(filter), RegistrySearchParser.ParseVersionOrderBy(orderBy), limit, PageToken.Decode(pageToken));
        var (items, hasMore) = await store.SearchModelVersionsAsync(query, ct);
        // MLflow's search_model_versions leaves aliases out (get and get-by-alias fill them); clients compare on it.
        var withoutAliases = items.Select(v => v.Aliases.Count == 0 ? v : v with { Aliases = [] }).ToList();
        return new Page<ModelVersion>(withoutAliases, hasMore ? PageToken.Encode(query.Offset + items.Count) : null);
    }

    public Task<ModelVersion> UpdateModelVersionAsync(string name, long version, string? description, AuditContext audit, CancellationToken ct)
    {
        ValidateDescription(description);
        return store.UpdateModelVersionAsync(name, version, description, Now, audit, ct);
    }

    /// <summary>MLflow's transition-stage; moving a version into or out of a protected stage needs an approval request.</summary>
    public async Task<ModelVersion> TransitionStageAsync(string name, long version, string? stage, bool archiveExisting, AuditContext audit, CancellationToken ct)
    {
        var canonical = ModelStages.Canonical(stage)
            ?? throw SlipwayException.InvalidParameter($"Invalid Model Version stage: {stage}. Value must be one of {string.Join(", ", ModelStages.All)}.");
        var current = await GetModelVersionAsync(name, version, ct);
        if (await store.GetPolicyAsync(name, ct) is { } policy)
        {
            foreach (var touched in new[] { canonical, current.CurrentStage })
            {
                if (IsProtectedStage(policy, touched) && current.CurrentStage != canonical)
                    throw ProtectedStage(name, version, touched, canonical);
            }
            if (archiveExisting && IsProtectedStage(policy, canonical))
                throw ProtectedStage(name, version, canonical, canonical);
        }
        var moved = await store.TransitionStageAsync(name, version, canonical, archiveExisting, Now, audit, ct);
        webhooks.Notify();
        return moved;
    }

    /// <summary>Deleting a version that holds a protected alias or stage would bypass the policy, so it is refused.</summary>
    public async Task DeleteModelVersionAsync(string name, long version, AuditContext audit, CancellationToken ct)
    {
        var current = await GetModelVersionAsync(name, version, ct);
        if (await store.GetPolicyAsync(name, ct) is { } policy)
        {
            if (current.Aliases.FirstOrDefault(a => IsProtectedAlias(policy, a)) is { } alias)
                throw new SlipwayException(ErrorCode.PermissionDenied,
                    $"Version {version} of registered model '{name}' holds the protected alias '{alias}'; move the alias through an approval request before deleting the version.");
            if (IsProtectedStage(policy, current.CurrentStage))
                throw new SlipwayException(ErrorCode.PermissionDenied,
                    $"Version {version} of registered model '{name}' is in the protected stage '{current.CurrentStage}'; it cannot be deleted while it is there.");
        }
        await store.DeleteModelVersionAsync(name, version, Now, audit, ct);
        aliases.Invalidate(name);
        webhooks.Notify();
    }

    public async Task SetModelVersionTagAsync(string name, long version, Tag tag, AuditContext audit, CancellationToken ct)
    {
        ValidateTag(tag);
        await store.SetModelVersionTagAsync(name, version, tag, audit, ct);
        webhooks.Notify();
    }

    public async Task DeleteModelVersionTagAsync(string name, long version, string key, AuditContext audit, CancellationToken ct)
    {
        await store.DeleteModelVersionTagAsync(name, version, key, audit, ct);
        webhooks.Notify();
    }

    public async Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(string name, IReadOnlyList<string> stages, CancellationToken ct)
    {
        var canonical = new List<string>(stages.Count);
        foreach (var stage in stages)
        {
            canonical.Add(ModelStages.Canonical(stage)
                ?? throw SlipwayException.InvalidParameter($"Invalid Model Version stage: {stage}. Value must be one of {string.Join(", ", ModelStages.All)}."));
        }
        return await store.GetLatestVersionsAsync(name, canonical, ct);
    }

    /// <summary>
    /// Where a client downloads the version's files from: its source, with a <c>runs:/&lt;run&gt;/path</c> source
    /// resolved to that run's artifact location (which is what the MLflow client would do itself).
    /// </summary>
    public async Task<string> GetDownloadUriAsync(string name, long version, CancellationToken ct)
    {
        var modelVersion = await GetModelVersionAsync(name, version, ct);
        var source = modelVersion.Source;
        if (!source.StartsWith("runs:/", StringComparison.Ordinal))
            return source;
        var rest = source["runs:/".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var runId = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? "" : rest[(slash + 1)..].Trim('/');
        if (await tracking.GetRunInfoAsync(runId, ct) is not { } run)
            return source;
        return path.Length == 0 ? run.ArtifactUri : run.ArtifactUri.TrimEnd('/') + "/" + path;
    }

    /// <summary>
    /// MLflow's <c>_validate_source</c> spirit: no path traversal, and no local file paths (the server would hand
    /// clients a path on its own disk); artifacts go through the tracking server's <c>mlflow-artifacts:/</c> proxy.
    /// </summary>
    private static void ValidateSource(string? source)
    {
        if (string.IsNullOrEmpty(source))
            throw SlipwayException.MissingParameter("source");
        Validator.MaxLength("Model version source", source, MaxSourceLength);
        var decoded = Uri.UnescapeDataString(source).Replace('\\', '/');
        if (decoded.Split('/').Any(segment => segment == ".."))
            throw SlipwayException.InvalidParameter($"Invalid model version source: '{source}'. Sources cannot contain '..' path segments.");
        // As MLflow's _validate_source: a source without a URI scheme (or with a drive letter) is a local path.
        if (decoded.StartsWith("file:", StringComparison.OrdinalIgnoreCase) || !UriScheme.IsMatch(decoded))
            throw SlipwayException.InvalidParameter(
                $"Invalid model version source: '{source}'. Local file paths are not allowed; log the model to the tracking server and register its 'mlflow-artifacts:/' or 'runs:/' URI.");
    }

    private static readonly System.Text.RegularExpressions.Regex UriScheme = new(
        "^[A-Za-z][A-Za-z0-9+.-]+:", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static SlipwayException ProtectedStage(string name, long version, string protectedStage, string target) =>
        new(ErrorCode.PermissionDenied,
            $"Stage '{protectedStage}' of registered model '{name}' is protected by its approval policy. Request approval instead: " +
            $"`slipway models approvals request {name} --version {version} --stage {target}` (POST /api/slipway/v1/models/{name}/approvals).");
}
