namespace Slipway.Core.Security;

/// <summary>What a user may do with one resource; each level includes the ones below it.</summary>
public enum PermissionLevel
{
    /// <summary>Nothing: the resource is invisible in lists and every route on it answers 403.</summary>
    None = 0,

    /// <summary>See the resource and everything under it (runs, artifacts, versions, reports); call an endpoint.</summary>
    Read = 1,

    /// <summary>Change it: log to runs, add versions, move aliases, update specs, start runs.</summary>
    Edit = 2,

    /// <summary>Delete or rename it and decide who else may use it.</summary>
    Manage = 3,
}

/// <summary>The kinds of resource that carry per-resource permissions.</summary>
public enum ResourceKind
{
    Experiment,
    Model,
    Endpoint,
    Monitor,
    Pipeline,
}

/// <summary>One resource: an experiment by id, the others by name.</summary>
public sealed record ResourceRef(ResourceKind Kind, string Key)
{
    public override string ToString() => ResourceKinds.Format(Kind) + "/" + Key;
}

public static class PermissionLevels
{
    /// <summary>The wire names: <c>READ</c>, <c>EDIT</c>, <c>MANAGE</c> and MLflow's <c>NO_PERMISSIONS</c>.</summary>
    public static string Format(PermissionLevel level) => level switch
    {
        PermissionLevel.Read => "READ",
        PermissionLevel.Edit => "EDIT",
        PermissionLevel.Manage => "MANAGE",
        _ => "NO_PERMISSIONS",
    };

    public static bool TryParse(string? text, out PermissionLevel level)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "READ": level = PermissionLevel.Read; return true;
            case "EDIT": level = PermissionLevel.Edit; return true;
            case "MANAGE": level = PermissionLevel.Manage; return true;
            case "NO_PERMISSIONS" or "NONE": level = PermissionLevel.None; return true;
            default: level = PermissionLevel.None; return false;
        }
    }
}

public static class ResourceKinds
{
    public static readonly IReadOnlyList<ResourceKind> All =
        [ResourceKind.Experiment, ResourceKind.Model, ResourceKind.Endpoint, ResourceKind.Monitor, ResourceKind.Pipeline];

    /// <summary>The wire and storage names: <c>experiments</c>, <c>models</c>, <c>endpoints</c>, <c>monitors</c>, <c>pipelines</c>.</summary>
    public static string Format(ResourceKind kind) => kind switch
    {
        ResourceKind.Experiment => "experiments",
        ResourceKind.Model => "models",
        ResourceKind.Endpoint => "endpoints",
        ResourceKind.Monitor => "monitors",
        _ => "pipelines",
    };

    /// <summary>Accepts the plural wire names and their singulars (<c>experiment</c>, <c>registered-model</c>, …).</summary>
    public static bool TryParse(string? text, out ResourceKind kind)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "experiments" or "experiment": kind = ResourceKind.Experiment; return true;
            case "models" or "model" or "registered-models" or "registered-model" or "registered_models": kind = ResourceKind.Model; return true;
            case "endpoints" or "endpoint": kind = ResourceKind.Endpoint; return true;
            case "monitors" or "monitor": kind = ResourceKind.Monitor; return true;
            case "pipelines" or "pipeline": kind = ResourceKind.Pipeline; return true;
            default: kind = default; return false;
        }
    }
}
