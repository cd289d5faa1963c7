using Prometheus;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Endpoints;

/// <summary>Shadow traffic of one endpoint since it was loaded in this process.</summary>
/// <param name="Requests">Requests copied to the shadow.</param>
/// <param name="Completed">Shadow runs that have finished, compared or failed.</param>
/// <param name="Errors">Shadow runs that failed (never seen by callers).</param>
/// <param name="Disagreements">Shadow answers that differed from the primary's.</param>
/// <param name="Dropped">Copies not made because too many shadow runs were already in flight.</param>
public sealed record ShadowStatistics(long Requests, long Completed, long Errors, long Disagreements, long Dropped);

/// <summary>
/// One live endpoint: picks a route per request by weight (or sticky header), runs its model, and copies the request to
/// the shadow route without waiting for it. Which model each route runs is the <see cref="RoutingTable"/> that
/// <see cref="EndpointManager"/> publishes; a request reads it once, so a swap never affects a request in flight.
/// </summary>
public sealed partial class ServedEndpoint : IInferenceTarget
{
    /// <summary>Most tensor elements one request may carry (16 Mi).</summary>
    public const long MaxRequestElements = 16_777_216;

    // A model is only unusable between its retirement and the next table; a request that meets one re-reads the table.
    private const int MaxAttempts = 3;

    private RoutingTable _table = RoutingTable.Empty;

    internal ServedEndpoint(string name)
    {
        Name = name;
        _shadowRequestsMetric = ServingMetrics.ShadowRequests.WithLabels(name);
        _shadowDisagreementsMetric = ServingMetrics.ShadowDisagreements.WithLabels(name);
    }

    public string Name { get; }

    public bool IsReady => Table.TotalWeight > 0;

    public ModelSignature? Signature => Table.Primary?.Model.Model.Signature;

    public string Platform => Table.Primary?.Model.Model.Platform ?? "";

    public IReadOnlyList<string> Versions => Table.Versions;

    internal RoutingTable Table => Volatile.Read(ref _table);

    internal void Publish(RoutingTable table) => Volatile.Write(ref _table, table);

    public async ValueTask<InferenceResult> InferAsync(InferenceRequest request, InferenceContext context, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var table = Table;
            if (table.TotalWeight == 0)
                throw NotReady(table.NotReadyReason);
            var route = table.Pick(context);
            var model = route.Model;
            if (!model.TryEnter())
            {
                if (attempt < MaxAttempts)
                    continue;
                throw NotReady("its models are being replaced");
            }

            IReadOnlyList<Tensor> outputs;
            try
            {
                SignatureValidator.Validate(model.Model.Signature, request.Inputs, request.RequestedOutputs, MaxRequestElements);
                outputs = await model.Model.RunAsync(request.Inputs, request.RequestedOutputs, ct);
            }
            finally
            {
                model.Exit();
            }
            if (table.Shadow is { } shadow)
                StartShadow(shadow, request, outputs);
            return new InferenceResult(model.DisplayName, route.Name, outputs);
        }
    }

    private SlipwayException NotReady(string reason) =>
        new(ErrorCode.TemporarilyUnavailable, $"Endpoint {Name} is not ready: {reason}.");
}
