using Microsoft.AspNetCore.Http;
using Slipway.Core.Errors;
using Slipway.Core.Pipelines;
using Slipway.Core.Security;
using Slipway.Pipelines.Parsing;
using Slipway.Tracking.Api;

namespace Slipway.Pipelines.Server.Api;

/// <summary>
/// Which pipeline a pipeline RPC acts on: the <c>{name}</c> route value, the pipeline a run id (<c>pipelines/runs/{id}</c>)
/// belongs to, or, for an apply, the pipeline its YAML names: applying a new one creates it (the creator gets MANAGE),
/// applying over an existing one edits it. An RPC this resolver does not know is refused, so a new route must be
/// added here first.
/// </summary>
internal sealed class PipelineResolver(IPipelineStore store) : IRpcResourceResolver
{
    public ResourceKind Kind => ResourceKind.Pipeline;

    public async ValueTask<RpcTarget> ResolveAsync(string rpcName, RequestArgs args, HttpContext context, CancellationToken ct) => rpcName switch
    {
        "ApplyPipeline" => await AppliedAsync(args.Body is null ? null : args.String("yaml"), ct),
        "ListPipelines" => RpcTarget.ListsMany,
        "GetPipeline" or "DeletePipeline" or "StartPipelineRun" or "ListPipelineRuns"
            => await store.GetAsync(Route(context, "name"), ct) is { } pipeline
                ? RpcTarget.On(ResourceKind.Pipeline, pipeline.Name)
                : RpcTarget.NotFound,
        "GetPipelineRun" or "CancelPipelineRun" or "GetPipelineRunLogs"
            => await store.GetRunAsync(Route(context, "id"), ct) is { } run
                ? RpcTarget.On(ResourceKind.Pipeline, run.Pipeline)
                : RpcTarget.NotFound,
        _ => throw new SlipwayException(ErrorCode.PermissionDenied, $"Permission denied: '{rpcName}' has no pipeline permission check."),
    };

    /// <summary>
    /// The pipeline an apply names: EDIT on it when it exists, else a create. YAML that does not parse touches no
    /// pipeline, so it goes on to the handler, which reports every problem with its line.
    /// </summary>
    private async Task<RpcTarget> AppliedAsync(string? yaml, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(yaml) || PipelineParser.Parse(yaml, "pipeline.yaml").Definition is not { } definition)
            return RpcTarget.CreatesNew;
        return await store.GetAsync(definition.Name, ct) is { } existing
            ? RpcTarget.On(ResourceKind.Pipeline, existing.Name)
            : RpcTarget.CreatesNew;
    }

    private static string Route(HttpContext context, string name) => (string)context.Request.RouteValues[name]!;
}
