namespace Slipway.Serving.Endpoints;

/// <summary>Audit actions and resource paths of endpoint changes.</summary>
public static class EndpointActions
{
    public const string Created = "endpoint.created";
    public const string Updated = "endpoint.updated";
    public const string Deleted = "endpoint.deleted";

    /// <summary>The audit resource of an endpoint, e.g. <c>endpoints/fraud</c>.</summary>
    public static string Resource(string name) => "endpoints/" + name;
}

/// <summary>The errors endpoint operations report.</summary>
public static class EndpointErrors
{
    public static Core.Errors.SlipwayException NotFound(string name) =>
        Core.Errors.SlipwayException.NotFound($"Endpoint '{name}' does not exist.");

    public static Core.Errors.SlipwayException AlreadyExists(string name) =>
        Core.Errors.SlipwayException.AlreadyExists($"Endpoint '{name}' already exists.");
}
