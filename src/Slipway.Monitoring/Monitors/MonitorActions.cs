using Slipway.Core.Errors;

namespace Slipway.Monitoring.Monitors;

/// <summary>Audit actions and resource paths of monitor changes.</summary>
public static class MonitorActions
{
    public const string Created = "monitor.created";
    public const string Updated = "monitor.updated";
    public const string Deleted = "monitor.deleted";

    /// <summary>The audit resource of a monitor, e.g. <c>monitors/fraud-drift</c>.</summary>
    public static string Resource(string name) => "monitors/" + name;
}

/// <summary>The errors monitor operations report.</summary>
public static class MonitorErrors
{
    public static SlipwayException NotFound(string name) => SlipwayException.NotFound($"Monitor '{name}' does not exist.");

    public static SlipwayException AlreadyExists(string name) => SlipwayException.AlreadyExists($"Monitor '{name}' already exists.");

    public static SlipwayException RunNotFound(string monitor, string id) => SlipwayException.NotFound($"Monitor '{monitor}' has no run '{id}'.");
}
