using Slipway.Tracking.Domain;

namespace Slipway.Registry.Domain;

/// <summary>A registered model as MLflow shows it; <see cref="LatestVersions"/> holds the newest version per stage.</summary>
public sealed record RegisteredModel(
    string Name,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    string? Description,
    IReadOnlyList<Tag> Tags,
    IReadOnlyList<ModelAlias> Aliases,
    IReadOnlyList<ModelVersion> LatestVersions);

public sealed record ModelAlias(string Alias, long Version);

/// <summary>
/// A model version. <see cref="Aliases"/> is filled where MLflow fills it (get, get-by-alias, search,
/// get-latest-versions) and left empty inside a registered model's <c>latest_versions</c>.
/// </summary>
public sealed record ModelVersion(
    string Name,
    long Version,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    string? UserId,
    string CurrentStage,
    string Description,
    string Source,
    string? RunId,
    string RunLink,
    string Status,
    IReadOnlyList<Tag> Tags,
    IReadOnlyList<string> Aliases);

/// <summary>What <c>model-versions/create</c> stores; the store assigns the next version number.</summary>
public sealed record NewModelVersion(
    string Name,
    string Source,
    string? RunId,
    string? RunLink,
    string? Description,
    string? UserId,
    IReadOnlyList<Tag> Tags);

/// <summary>MLflow's deprecated but still used stages.</summary>
public static class ModelStages
{
    public const string None = "None";
    public const string Staging = "Staging";
    public const string Production = "Production";
    public const string Archived = "Archived";

    public static readonly IReadOnlyList<string> All = [None, Staging, Production, Archived];

    /// <summary>The canonical spelling of a stage given in any case, or null if it is not a stage.</summary>
    public static string? Canonical(string? stage)
    {
        foreach (var known in All)
        {
            if (string.Equals(known, stage, StringComparison.OrdinalIgnoreCase))
                return known;
        }
        return null;
    }
}

/// <summary>MLflow's not-found messages, shared by the store (which checks inside its transaction) and the service.</summary>
public static class RegistryErrors
{
    public static Core.Errors.SlipwayException ModelNotFound(string name) =>
        Core.Errors.SlipwayException.NotFound($"Registered Model with name={name} not found");

    public static Core.Errors.SlipwayException VersionNotFound(string name, long version) =>
        Core.Errors.SlipwayException.NotFound($"Model Version (name={name}, version={version}) not found");

    public static Core.Errors.SlipwayException ModelExists(string name) =>
        Core.Errors.SlipwayException.AlreadyExists($"Registered Model (name={name}) already exists.");
}
