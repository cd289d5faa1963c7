using System.Net;

namespace Slipway.Client;

/// <summary>
/// The server answered with a non-success status. <see cref="ErrorCode"/> is MLflow's error code name
/// (see <see cref="ApiErrorCodes"/>), <see cref="Exception.Message"/> the server's message.
/// Connection failures are not wrapped: they surface as <see cref="HttpRequestException"/>.
/// </summary>
public sealed class SlipwayApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">The MLflow error code, e.g. <c>RESOURCE_DOES_NOT_EXIST</c>.</param>
    /// <param name="message">The server's message.</param>
    /// <param name="statusCode">The HTTP status of the response.</param>
    public SlipwayApiException(string errorCode, string message, HttpStatusCode statusCode)
        : base(message)
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    /// <summary>The MLflow error code, e.g. <c>INVALID_PARAMETER_VALUE</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>The HTTP status of the response.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>True when the server said the object does not exist (<c>RESOURCE_DOES_NOT_EXIST</c>).</summary>
    public bool IsNotFound => ErrorCode == ApiErrorCodes.ResourceDoesNotExist;

    /// <summary>True for statuses worth retrying: 408, 429, 500, 502, 503 and 504 (the set MLflow's client retries).</summary>
    public bool IsTransient => (int)StatusCode is 408 or 429 or 500 or 502 or 503 or 504;

    /// <inheritdoc />
    public override string ToString() => $"{nameof(SlipwayApiException)}: {ErrorCode} ({(int)StatusCode}): {Message}";
}

/// <summary>The MLflow error codes a Slipway or MLflow server returns.</summary>
public static class ApiErrorCodes
{
    /// <summary>A parameter was missing or invalid (HTTP 400).</summary>
    public const string InvalidParameterValue = "INVALID_PARAMETER_VALUE";

    /// <summary>The request was malformed (HTTP 400).</summary>
    public const string BadRequest = "BAD_REQUEST";

    /// <summary>An object with that name or key already exists (HTTP 400).</summary>
    public const string ResourceAlreadyExists = "RESOURCE_ALREADY_EXISTS";

    /// <summary>The object does not exist (HTTP 404).</summary>
    public const string ResourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST";

    /// <summary>No such endpoint (HTTP 404).</summary>
    public const string EndpointNotFound = "ENDPOINT_NOT_FOUND";

    /// <summary>The caller may not do this (HTTP 403).</summary>
    public const string PermissionDenied = "PERMISSION_DENIED";

    /// <summary>The caller is not authenticated (HTTP 401).</summary>
    public const string Unauthenticated = "UNAUTHENTICATED";

    /// <summary>The request conflicts with the current state (HTTP 409).</summary>
    public const string ResourceConflict = "RESOURCE_CONFLICT";

    /// <summary>Too many requests (HTTP 429).</summary>
    public const string RequestLimitExceeded = "REQUEST_LIMIT_EXCEEDED";

    /// <summary>The server does not implement this (HTTP 501).</summary>
    public const string NotImplemented = "NOT_IMPLEMENTED";

    /// <summary>The server is temporarily unavailable (HTTP 503).</summary>
    public const string TemporarilyUnavailable = "TEMPORARILY_UNAVAILABLE";

    /// <summary>An unexpected server error (HTTP 500).</summary>
    public const string InternalError = "INTERNAL_ERROR";

    /// <summary>The error code MLflow's client assumes for a status whose body is not an MLflow error.</summary>
    public static string FromStatus(HttpStatusCode status) => (int)status switch
    {
        400 => BadRequest,
        401 => Unauthenticated,
        403 => PermissionDenied,
        404 => EndpointNotFound,
        409 => ResourceConflict,
        429 => RequestLimitExceeded,
        501 => NotImplemented,
        503 => TemporarilyUnavailable,
        _ => InternalError,
    };
}
