using System.Collections.Concurrent;
using System.Globalization;
using Slipway.Serving.Endpoints;
using Slipway.Serving.Inference;
using Slipway.Serving.Tests.Endpoints;
using static Slipway.Serving.Tests.Endpoints.EndpointTestHost;

namespace Slipway.Serving.Tests.EndToEnd;

/// <summary>
/// The swap of a batching route, made deterministic: the serving module on real stores with a model whose runs can be
/// held, so that requests are provably inside the old version's batcher (running, and queued) when the alias moves.
/// The real-server load tests cannot hold a model mid-run; this is the same path with the timing pinned down.
/// </summary>
public sealed class BatchedSwapTests
{
    // A held run that found its model disposed would throw ObjectDisposedException, and a request dropped from a disposed
    // batcher's queue would fail with TEMPORARILY_UNAVAILABLE: either fails the WhenAll below.
    [Fact]
    public async Task AliasMove_RequestsRunningAndQueuedInOldBatcher_AllAnsweredByOldVersionBeforeItIsDisposed()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loader = new HeldLoader(release.Task);
        await using var host = await EndpointTestHost.StartAsync(realLoader: loader);
        var v1 = await host.AddVersionAsync("held", "1");
        var v2 = await host.AddVersionAsync("held", "2");
        await host.SetAliasAsync("held", "champion", v1);
        // One row per batch, so that beyond one request per runner the rest wait in the queue.
        var spec = Spec("held-ep", Route("main", "models:/held@champion")) with { Batching = new BatchingSpec(1, TimeSpan.FromMilliseconds(1), 100) };
        await host.Endpoints.CreateAsync(spec, Alice, default);
        await host.Manager.ReconcileAsync(default);
        var runners = Environment.ProcessorCount;
        var context = new InferenceContext("r", _ => null, "test");
        var inFlight = Enumerable.Range(0, runners + 2).Select(_ => host.Served("held-ep").InferAsync(FakeModel.Request(), context, default).AsTask()).ToList();
        var v1Model = loader.Models["1"];
        await RouterTests.WaitUntilAsync(() => v1Model.Runs == runners && host.Manager.GetQueueDepths("held-ep")["main"] == 2);

        await host.SetAliasAsync("held", "champion", v2);
        await host.Manager.ReconcileAsync(default);
        var afterSwap = await host.InferAsync("held-ep");
        release.SetResult();
        var answers = await Task.WhenAll(inFlight);
        await RouterTests.WaitUntilAsync(() => v1Model.IsDisposed);

        Assert.Equal("held/2", afterSwap.ModelVersion);
        Assert.All(answers, a => Assert.Equal("held/1", a.ModelVersion));
        Assert.Equal(runners + 2, v1Model.Runs);
        Assert.False(loader.Models["2"].IsDisposed);
    }

    /// <summary>Loads fake models (<c>model.txt</c> holds the value); version 1's runs wait for <paramref name="release"/>.</summary>
    private sealed class HeldLoader(Task release) : IModelLoader
    {
        public ConcurrentDictionary<string, FakeModel> Models { get; } = new(StringComparer.Ordinal);

        public async Task<ILoadedModel> LoadAsync(string localPath, CancellationToken ct)
        {
            var text = (await File.ReadAllTextAsync(Path.Combine(localPath, "model.txt"), ct)).Trim();
            var value = float.Parse(text, CultureInfo.InvariantCulture);
            var model = text == "1" ? new FakeModel(value, beforeRun: () => release) : new FakeModel(value);
            Models[text] = model;
            return model;
        }
    }
}
