using System.Text.RegularExpressions;
using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Registry.Domain;

namespace Slipway.Registry;

public sealed partial class RegistryService
{
    private const int MaxAliasLength = 255;

    public async Task SetAliasAsync(string name, string? alias, long version, AuditContext audit, CancellationToken ct)
    {
        ValidateAlias(alias);
        if (await store.GetPolicyAsync(name, ct) is { } policy && IsProtectedAlias(policy, alias!))
            throw ProtectedAlias(name, alias!, version);
        await store.SetAliasAsync(name, alias!, version, audit, ct);
        aliases.Invalidate(name);
        webhooks.Notify();
    }

    public async Task DeleteAliasAsync(string name, string? alias, AuditContext audit, CancellationToken ct)
    {
        ValidateAlias(alias);
        if (await store.GetPolicyAsync(name, ct) is { } policy && IsProtectedAlias(policy, alias!))
            throw new SlipwayException(ErrorCode.PermissionDenied,
                $"Alias '{alias}' of registered model '{name}' is protected by its approval policy and can only be moved through an approval request; remove it from the policy first to delete it.");
        await store.DeleteAliasAsync(name, alias!, audit, ct);
        aliases.Invalidate(name);
        webhooks.Notify();
    }

    public async Task<ModelVersion> GetModelVersionByAliasAsync(string name, string alias, CancellationToken ct)
    {
        if (await ResolveAliasAsync(name, alias, ct) is { } version)
            return await GetModelVersionAsync(name, version, ct);
        await GetRegisteredModelAsync(name, ct);
        throw SlipwayException.InvalidParameter($"Registered model alias {alias} not found.");
    }

    /// <summary>The version an alias points at (from the cache when fresh), or null when the alias does not exist.</summary>
    public async ValueTask<long?> ResolveAliasAsync(string name, string alias, CancellationToken ct)
    {
        if (aliases.TryGet(name, alias, out var cached))
            return cached;
        var generation = aliases.Generation(name);
        var version = await store.ResolveAliasAsync(name, alias, ct);
        aliases.Set(name, alias, version, generation);
        return version;
    }

    /// <summary>
    /// Resolves <c>models:/name/3</c>, <c>models:/name@alias</c>, <c>models:/name/Production</c> (newest version in the
    /// stage) and <c>models:/name/latest</c> (newest version) as the MLflow client does.
    /// </summary>
    public async Task<ModelVersion> ResolveModelUriAsync(string? uri, CancellationToken ct)
    {
        var (modelName, alias, selector) = ParseModelUri(uri);
        if (alias is not null)
            return await GetModelVersionByAliasAsync(modelName, alias, ct);
        if (long.TryParse(selector, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
            return await GetModelVersionAsync(modelName, number, ct);
        var stages = string.Equals(selector, "latest", StringComparison.OrdinalIgnoreCase) ? [] : new[] { selector! };
        var latest = await GetLatestVersionsAsync(modelName, stages, ct);
        return latest.MaxBy(v => v.Version)
            ?? throw SlipwayException.NotFound($"No versions of registered model '{modelName}' match '{selector}'.");
    }

    /// <summary>
    /// Splits a <c>models:/</c> URI into the model's name and either an alias or a selector (a version number, a stage
    /// or <c>latest</c>); INVALID_PARAMETER_VALUE when it is not one. Also how permission checks find the model.
    /// </summary>
    public static (string Name, string? Alias, string? Selector) ParseModelUri(string? uri)
    {
        const string scheme = "models:/";
        if (string.IsNullOrEmpty(uri) || !uri.StartsWith(scheme, StringComparison.Ordinal))
            throw InvalidModelUri(uri);
        var rest = uri[scheme.Length..].TrimEnd('/');
        // As MLflow's _parse_model_uri: a '/' separates name and version or stage; without one, the last '@' the alias.
        var slash = rest.LastIndexOf('/');
        if (slash < 0)
        {
            var at = rest.LastIndexOf('@');
            if (at <= 0 || at == rest.Length - 1)
                throw InvalidModelUri(uri);
            return (rest[..at], rest[(at + 1)..], null);
        }
        if (slash == 0)
            throw InvalidModelUri(uri);
        return (rest[..slash], null, rest[(slash + 1)..]);
    }

    private static SlipwayException InvalidModelUri(string? uri) =>
        SlipwayException.InvalidParameter($"Not a model URI: '{uri}'. Expected models:/<name>/<version>, models:/<name>@<alias> or models:/<name>/<stage>.");

    private static readonly Regex AliasPattern = new(@"^[\w\-]*$", RegexOptions.CultureInvariant);
    private static readonly Regex VersionLikeAlias = new(@"^[vV]\d+$", RegexOptions.CultureInvariant);

    private static void ValidateAlias(string? alias)
    {
        if (string.IsNullOrEmpty(alias))
            throw SlipwayException.MissingParameter("alias");
        if (alias.Length > MaxAliasLength)
            throw SlipwayException.InvalidParameter($"Alias name '{alias[..40]}...' exceeds the maximum length of {MaxAliasLength} characters.");
        if (!AliasPattern.IsMatch(alias))
            throw SlipwayException.InvalidParameter($"Invalid alias name: '{alias}'. Names may only contain alphanumerics, underscores (_), and dashes (-).");
        if (string.Equals(alias, "latest", StringComparison.OrdinalIgnoreCase))
            throw SlipwayException.InvalidParameter("'latest' alias name (case insensitive) is reserved.");
        if (VersionLikeAlias.IsMatch(alias))
            throw SlipwayException.InvalidParameter($"Version alias name '{alias}' is reserved.");
    }

    private static bool IsProtectedAlias(ApprovalPolicy policy, string alias) => policy.ProtectedAliases.Contains(alias, StringComparer.Ordinal);

    private static bool IsProtectedStage(ApprovalPolicy policy, string stage) => policy.ProtectedStages.Contains(stage, StringComparer.Ordinal);

    private static SlipwayException ProtectedAlias(string name, string alias, long version) =>
        new(ErrorCode.PermissionDenied,
            $"Alias '{alias}' of registered model '{name}' is protected by its approval policy. Request approval instead: " +
            $"`slipway models approvals request {name} --version {version} --alias {alias}` (POST /api/slipway/v1/models/{name}/approvals).");
}
