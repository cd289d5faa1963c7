using System.Reflection;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Logging;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;
using Slipway.Serving.Security;

namespace Slipway.Serving.Protocols.Grpc;

/// <summary>
/// The Open Inference Protocol over gRPC (<c>inference.GRPCInferenceService</c>, the service Triton, KServe and
/// MLServer serve). An OIP model is a Slipway endpoint; this class only translates to and from
/// <see cref="IInferenceTarget"/>, whose <see cref="SlipwayException"/>s become the call's status.
/// </summary>
/// <remarks>
/// Server liveness and readiness are open to anyone (probes); every model call first asks the
/// <see cref="IInferenceAuthorizer"/> whether the caller (metadata <c>authorization: Bearer …</c>) may use that endpoint.
/// </remarks>
public sealed class OipGrpcService(IInferenceTargets targets, IInferenceAuthorizer authorizer, ILogger<OipGrpcService> logger)
    : GRPCInferenceService.GRPCInferenceServiceBase
{
    public const string ProtocolName = "oip-grpc";

    private static readonly string ServerVersion = ReadServerVersion();

    [AllowAnonymous]
    public override Task<ServerLiveResponse> ServerLive(ServerLiveRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerLiveResponse { Live = true });

    [AllowAnonymous]
    public override Task<ServerReadyResponse> ServerReady(ServerReadyRequest request, ServerCallContext context)
    {
        var ready = true;
        foreach (var target in targets.All)
            ready &= target.IsReady;
        return Task.FromResult(new ServerReadyResponse { Ready = ready });
    }

    public override Task<ServerMetadataResponse> ServerMetadata(ServerMetadataRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerMetadataResponse { Name = "slipway", Version = ServerVersion, Extensions = { "binary_tensor_data" } });

    /// <summary>Unknown model: NOT_FOUND. A version the model does not serve is simply not ready.</summary>
    public override async Task<ModelReadyResponse> ModelReady(ModelReadyRequest request, ServerCallContext context)
    {
        await AuthorizeAsync(context, request.Name);
        var target = targets.Find(request.Name) ?? throw OipGrpcErrors.ModelNotFound(request.Name);
        var ready = target.IsReady && (request.Version.Length == 0 || Serves(target, request.Version));
        return new ModelReadyResponse { Ready = ready };
    }

    public override async Task<ModelMetadataResponse> ModelMetadata(ModelMetadataRequest request, ServerCallContext context)
    {
        await AuthorizeAsync(context, request.Name);
        var target = FindTarget(request.Name, request.Version);
        var signature = target.Signature ?? throw OipGrpcErrors.NotLoaded(target.Name);
        var response = new ModelMetadataResponse { Name = target.Name, Platform = target.Platform };
        response.Versions.AddRange(target.Versions);
        foreach (var spec in signature.Inputs)
            response.Inputs.Add(Metadata(spec));
        foreach (var spec in signature.Outputs)
            response.Outputs.Add(Metadata(spec));
        return response;
    }

    public override async Task<ModelInferResponse> ModelInfer(ModelInferRequest request, ServerCallContext context)
    {
        try
        {
            await authorizer.AuthorizeAsync(context.GetHttpContext(), request.ModelName, context.CancellationToken);
            var target = FindTarget(request.ModelName, request.ModelVersion);
            var inputs = OipGrpcRequestReader.ReadInputs(request);
            var id = request.Id.Length > 0 ? request.Id : Guid.NewGuid().ToString();
            var inference = new InferenceRequest(
                id,
                inputs,
                OipGrpcRequestReader.ReadRequestedOutputs(request.Outputs),
                OipGrpcRequestReader.ReadParameters(request.Parameters));
            var headers = context.RequestHeaders;
            var caller = new InferenceContext(id, name => Header(headers, name), ProtocolName);
            var result = await target.InferAsync(inference, caller, context.CancellationToken);
            return OipGrpcResponseWriter.Write(target.Name, id, result, raw: request.RawInputContents.Count > 0);
        }
        catch (SlipwayException e)
        {
            throw OipGrpcErrors.ToRpcException(e);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw OipGrpcErrors.Cancelled();
        }
        catch (Exception e) when (e is not RpcException)
        {
            OipGrpcLog.InferenceFailed(logger, e, request.ModelName);
            throw OipGrpcErrors.Internal();
        }
    }

    private async ValueTask AuthorizeAsync(ServerCallContext context, string endpoint)
    {
        try
        {
            await authorizer.AuthorizeAsync(context.GetHttpContext(), endpoint, context.CancellationToken);
        }
        catch (SlipwayException e)
        {
            throw OipGrpcErrors.ToRpcException(e);
        }
    }

    private IInferenceTarget FindTarget(string name, string version)
    {
        var target = targets.Find(name) ?? throw OipGrpcErrors.ModelNotFound(name);
        // The target routes by its own policy (weights, sticky header); a version is only checked to be served.
        if (version.Length > 0 && !Serves(target, version))
            throw OipGrpcErrors.VersionNotFound(name, version);
        return target;
    }

    private static bool Serves(IInferenceTarget target, string version)
    {
        foreach (var served in target.Versions)
        {
            if (served == version)
                return true;
        }
        return false;
    }

    /// <summary>gRPC metadata keys are lower case; binary (<c>-bin</c>) entries are not headers a router can read.</summary>
    private static string? Header(Metadata headers, string name) =>
        headers.Get(name.ToLowerInvariant()) is { IsBinary: false } entry ? entry.Value : null;

    private static ModelMetadataResponse.Types.TensorMetadata Metadata(TensorSpec spec)
    {
        var metadata = new ModelMetadataResponse.Types.TensorMetadata { Name = spec.Name, Datatype = spec.DataType.WireName() };
        metadata.Shape.AddRange(spec.Shape);
        return metadata;
    }

    private static string ReadServerVersion()
    {
        var version = typeof(OipGrpcService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var metadataStart = version.IndexOf('+', StringComparison.Ordinal);
        return metadataStart < 0 ? version : version[..metadataStart];
    }
}
