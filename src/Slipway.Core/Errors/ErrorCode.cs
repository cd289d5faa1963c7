namespace Slipway.Core.Errors;

/// <summary>Error codes shared by every protocol adapter; names match MLflow's <c>ErrorCode</c> enum.</summary>
public enum ErrorCode
{
    InternalError,
    InvalidParameterValue,
    BadRequest,
    ResourceAlreadyExists,
    ResourceDoesNotExist,
    EndpointNotFound,
    PermissionDenied,
    Unauthenticated,
    ResourceConflict,
    RequestLimitExceeded,
    NotImplemented,
    TemporarilyUnavailable,
}

public static class ErrorCodes
{
    /// <summary>The wire name, e.g. <c>INVALID_PARAMETER_VALUE</c>.</summary>
    public static string WireName(this ErrorCode code) => code switch
    {
        ErrorCode.InternalError => "INTERNAL_ERROR",
        ErrorCode.InvalidParameterValue => "INVALID_PARAMETER_VALUE",
        ErrorCode.BadRequest => "BAD_REQUEST",
        ErrorCode.ResourceAlreadyExists => "RESOURCE_ALREADY_EXISTS",
        ErrorCode.ResourceDoesNotExist => "RESOURCE_DOES_NOT_EXIST",
        ErrorCode.EndpointNotFound => "ENDPOINT_NOT_FOUND",
        ErrorCode.PermissionDenied => "PERMISSION_DENIED",
        ErrorCode.Unauthenticated => "UNAUTHENTICATED",
        ErrorCode.ResourceConflict => "RESOURCE_CONFLICT",
        ErrorCode.RequestLimitExceeded => "REQUEST_LIMIT_EXCEEDED",
        ErrorCode.NotImplemented => "NOT_IMPLEMENTED",
        ErrorCode.TemporarilyUnavailable => "TEMPORARILY_UNAVAILABLE",
        _ => "INTERNAL_ERROR",
    };

    /// <summary>HTTP status per MLflow's <c>ERROR_CODE_TO_HTTP_STATUS</c> (RESOURCE_ALREADY_EXISTS is 400, not 409).</summary>
    public static int HttpStatus(this ErrorCode code) => code switch
    {
        ErrorCode.InvalidParameterValue or ErrorCode.BadRequest or ErrorCode.ResourceAlreadyExists => 400,
        ErrorCode.ResourceDoesNotExist or ErrorCode.EndpointNotFound => 404,
        ErrorCode.PermissionDenied => 403,
        ErrorCode.Unauthenticated => 401,
        ErrorCode.ResourceConflict => 409,
        ErrorCode.RequestLimitExceeded => 429,
        ErrorCode.NotImplemented => 501,
        ErrorCode.TemporarilyUnavailable => 503,
        _ => 500,
    };
}
