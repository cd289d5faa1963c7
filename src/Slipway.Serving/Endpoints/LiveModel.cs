using Slipway.Serving.Inference;

namespace Slipway.Serving.Endpoints;

/// <summary>
/// A loaded model version as the router uses it. Requests enter and exit around each run; retiring it waits the grace
/// period and then until no request is inside before disposing, so a swap never pulls a model out from under a
/// request (one that arrives after disposal is told to re-read the routing table instead).
/// </summary>
internal sealed class LiveModel(ResolvedModel source, ILoadedModel model)
{
    // Requests inside RunAsync; int.MinValue once disposed, so that a late TryEnter sees a negative count and backs off.
    private int _uses;

    public ResolvedModel Source { get; } = source;

    public ILoadedModel Model { get; } = model;

    /// <summary><c>model/version</c>, computed once because every response carries it.</summary>
    public string DisplayName { get; } = source.DisplayName;

    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _uses) > 0)
            return true;
        Interlocked.Decrement(ref _uses);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _uses);

    public async Task RetireAsync(TimeSpan grace, TimeProvider clock)
    {
        if (grace > TimeSpan.Zero)
            await Task.Delay(grace, clock);
        while (Interlocked.CompareExchange(ref _uses, int.MinValue, 0) != 0)
            await Task.Delay(TimeSpan.FromMilliseconds(20), clock);
        Model.Dispose();
    }
}
