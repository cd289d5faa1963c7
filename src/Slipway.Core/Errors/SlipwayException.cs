namespace Slipway.Core.Errors;

/// <summary>
/// The one domain error type. It carries a protocol-neutral <see cref="ErrorCode"/>; each HTTP/gRPC
/// adapter turns it into its own wire format (MLflow <c>{"error_code","message"}</c>, OIP <c>{"error"}</c>).
/// </summary>
public sealed class SlipwayException(ErrorCode code, string message) : Exception(message)
{
    public ErrorCode Code { get; } = code;

    public static SlipwayException InvalidParameter(string message) => new(ErrorCode.InvalidParameterValue, message);

    public static SlipwayException NotFound(string message) => new(ErrorCode.ResourceDoesNotExist, message);

    public static SlipwayException AlreadyExists(string message) => new(ErrorCode.ResourceAlreadyExists, message);

    public static SlipwayException MissingParameter(string name) =>
        InvalidParameter($"Missing value for required parameter '{name}'. See the API docs for more information about request parameters.");
}
