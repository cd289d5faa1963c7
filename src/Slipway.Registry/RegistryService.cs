using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Core.Paging;
using Slipway.Core.Security;
using Slipway.Registry.Domain;
using Slipway.Registry.Search;
using Slipway.Registry.Webhooks;
using Slipway.Tracking.Domain;
using Slipway.Tracking.Validation;

namespace Slipway.Registry;

/// <summary>
/// All registry logic: MLflow's validation and rules, approval policies, gates, cards and lineage. The HTTP
/// adapters parse and format; <see cref="IRegistryStore"/> persists and writes the audit trail in the same transaction.
/// </summary>
public sealed partial class RegistryService(
    IRegistryStore store,
    ITrackingStore tracking,
    RegistryOptions options,
    AliasCache aliases,
    WebhookSignal webhooks,
    TimeProvider clock,
    IEnumerable<Hooks.IModelVersionCreatedHook>? versionHooks = null,
    IAccessControl? access = null)
{
    private readonly Hooks.IModelVersionCreatedHook[] _versionHooks = versionHooks?.ToArray() ?? [];

    public const int DefaultSearchModelsResults = 100;
    public const int MaxSearchModelsResults = 1000;
    public const int DefaultSearchVersionsResults = 10000;
    public const int MaxSearchVersionsResults = 200000;
    private const int MaxModelNameLength = 256;
    private const int MaxTagValueLength = 5000;
    private const int MaxDescriptionLength = 65535;

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<RegisteredModel> CreateRegisteredModelAsync(string? name, string? description, IReadOnlyList<Tag> tags, AuditContext audit, CancellationToken ct)
    {
        ValidateModelName(name, "name");
        ValidateDescription(description);
        foreach (var tag in tags)
            ValidateTag(tag);
        var model = await store.CreateRegisteredModelAsync(name!, description, tags, Now, audit, ct);
        webhooks.Notify();
        return model;
    }

    public async Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken ct) =>
        await store.GetRegisteredModelAsync(name, ct) ?? throw RegistryErrors.ModelNotFound(name);

    public async Task<Page<RegisteredModel>> SearchRegisteredModelsAsync(string? filter, IReadOnlyList<string> orderBy, int? maxResults, string? pageToken, CancellationToken ct)
    {
        var limit = maxResults ?? DefaultSearchModelsResults;
        Validator.MaxResults(limit, MaxSearchModelsResults);
        var query = new RegisteredModelQuery(
            RegistrySearchParser.ParseModelFilter(filter), RegistrySearchParser.ParseModelOrderBy(orderBy), limit, PageToken.Decode(pageToken));
        var (items, hasMore) = await store.SearchRegisteredModelsAsync(query, ct);
        return new Page<RegisteredModel>(items, hasMore ? PageToken.Encode(query.Offset + items.Count) : null);
    }

    public async Task<RegisteredModel> RenameRegisteredModelAsync(string name, string? newName, AuditContext audit, CancellationToken ct)
    {
        ValidateModelName(newName, "new_name");
        var model = await store.RenameRegisteredModelAsync(name, newName!, Now, audit, ct);
        aliases.Invalidate(name);
        return model;
    }

    public Task<RegisteredModel> UpdateRegisteredModelAsync(string name, string? description, AuditContext audit, CancellationToken ct)
    {
        ValidateDescription(description);
        return store.UpdateRegisteredModelAsync(name, description, Now, audit, ct);
    }

    /// <summary>A model under an approval policy cannot be deleted (that would bypass it); delete the policy first.</summary>
    public async Task DeleteRegisteredModelAsync(string name, AuditContext audit, CancellationToken ct)
    {
        if (await store.GetPolicyAsync(name, ct) is not null)
            throw new SlipwayException(ErrorCode.PermissionDenied,
                $"Registered model '{name}' has an approval policy; delete the policy first (DELETE /api/slipway/v1/models/{name}/policy), then the model.");
        await store.DeleteRegisteredModelAsync(name, audit, ct);
        aliases.Invalidate(name);
        webhooks.Notify();
    }

    public Task SetRegisteredModelTagAsync(string name, Tag tag, AuditContext audit, CancellationToken ct)
    {
        ValidateTag(tag);
        return store.SetRegisteredModelTagAsync(name, tag, audit, ct);
    }

    public Task DeleteRegisteredModelTagAsync(string name, string key, AuditContext audit, CancellationToken ct) =>
        store.DeleteRegisteredModelTagAsync(name, key, audit, ct);

    private static void ValidateModelName(string? name, string parameter)
    {
        if (string.IsNullOrEmpty(name))
            throw SlipwayException.MissingParameter(parameter);
        Validator.MaxLength("Registered model name", name, MaxModelNameLength);
        // Names appear as path segments in models:/ URIs and in /api/slipway/v1/models/{name}/… routes.
        if (name.Contains('/', StringComparison.Ordinal) || name.Any(char.IsControl))
            throw SlipwayException.InvalidParameter($"Invalid registered model name '{name}': names cannot contain '/' or control characters.");
    }

    private static void ValidateDescription(string? description)
    {
        if (description is not null)
            Validator.MaxLength("Description", description, MaxDescriptionLength);
    }

    private static void ValidateTag(Tag tag)
    {
        Validator.EntityKey("Tag", tag.Key);
        Validator.MaxLength("Tag value", tag.Value, MaxTagValueLength);
    }

    /// <summary>Parses MLflow's string version numbers.</summary>
    public static long ParseVersion(string? version)
    {
        if (string.IsNullOrEmpty(version))
            throw SlipwayException.MissingParameter("version");
        return long.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw SlipwayException.InvalidParameter($"Parameter 'version' must be a positive integer, got '{version}'.");
    }
}
