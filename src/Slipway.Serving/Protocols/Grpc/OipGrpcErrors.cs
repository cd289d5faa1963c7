using Grpc.Core;
using Slipway.Core.Errors;

namespace Slipway.Serving.Protocols.Grpc;

/// <summary>Turns Slipway's domain errors into gRPC status codes; the status detail is the error's message.</summary>
internal static class OipGrpcErrors
{
    public static StatusCode StatusCodeFor(ErrorCode code) => code switch
    {
        ErrorCode.InvalidParameterValue or ErrorCode.BadRequest => StatusCode.InvalidArgument,
        ErrorCode.ResourceDoesNotExist or ErrorCode.EndpointNotFound => StatusCode.NotFound,
        ErrorCode.RequestLimitExceeded => StatusCode.ResourceExhausted,
        ErrorCode.TemporarilyUnavailable => StatusCode.Unavailable,
        ErrorCode.ResourceAlreadyExists => StatusCode.AlreadyExists,
        ErrorCode.ResourceConflict => StatusCode.Aborted,
        ErrorCode.PermissionDenied => StatusCode.PermissionDenied,
        ErrorCode.Unauthenticated => StatusCode.Unauthenticated,
        ErrorCode.NotImplemented => StatusCode.Unimplemented,
        _ => StatusCode.Internal,
    };

    public static RpcException ToRpcException(SlipwayException error) => new(new Status(StatusCodeFor(error.Code), error.Message));

    public static RpcException ModelNotFound(string name) =>
        new(new Status(StatusCode.NotFound, $"Model '{name}' does not exist."));

    public static RpcException VersionNotFound(string name, string version) =>
        new(new Status(StatusCode.NotFound, $"Model '{name}' does not serve version '{version}'."));

    public static RpcException NotLoaded(string name) =>
        new(new Status(StatusCode.Unavailable, $"Model '{name}' is not loaded yet."));

    public static RpcException Cancelled() => new(new Status(StatusCode.Cancelled, "The call was cancelled."));

    public static RpcException Internal() =>
        new(new Status(StatusCode.Internal, "The server failed to run the inference; see its log."));
}
