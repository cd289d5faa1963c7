using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Errors;
using Slipway.Registry.Domain;
using Slipway.Serving.Endpoints;
using Slipway.Serving.Inference;
using static Slipway.Serving.Tests.Endpoints.EndpointTestHost;

namespace Slipway.Serving.Tests.Endpoints;

/// <summary>The live routing layer on real stores: following aliases, hot swaps, failed loads, sharing and removal.</summary>
public sealed class EndpointManagerTests
{
    [Fact]
    public async Task AliasMove_LoadsNewVersionWhileOldServes_ThenSwaps()
    {
        await using var host = await EndpointTestHost.StartAsync();
        var v1 = await host.AddVersionAsync("fraud", "1");
        var v2 = await host.AddVersionAsync("fraud", "2");
        await host.SetAliasAsync("fraud", "champion", v1);
        await host.CreateEndpointAsync("fraud-ep", Route("main", "models:/fraud@champion"));
        await host.Manager.ReconcileAsync(default);
        Assert.Equal("fraud/1", (await host.InferAsync("fraud-ep")).ModelVersion);

        var hold = host.Loader.Hold("2");
        await host.SetAliasAsync("fraud", "champion", v2);
        var reconcile = host.Manager.ReconcileAsync(default);
        await RouterTests.WaitUntilAsync(() => host.Manager.GetStatus("fraud-ep")!.Routes[0].State == RouteStates.Loading);

        var loading = host.Manager.GetStatus("fraud-ep")!.Routes[0];
        Assert.Equal(("1", "2"), (loading.ServingVersion, loading.PendingVersion));
        Assert.Equal("fraud/1", (await host.InferAsync("fraud-ep")).ModelVersion);

        hold.SetResult();
        await reconcile;
        var swapped = host.Manager.GetStatus("fraud-ep")!.Routes[0];
        Assert.Equal((RouteStates.Ready, "2", null), (swapped.State, swapped.ServingVersion, swapped.PendingVersion));
        Assert.Equal("fraud/2", (await host.InferAsync("fraud-ep")).ModelVersion);
        await RouterTests.WaitUntilAsync(() => host.Loader.Models.Single(m => m.Value == 1).IsDisposed);
        Assert.Equal(["1", "2"], host.Loader.Loaded);
    }

    [Fact]
    public async Task AliasMove_WithLoopRunning_FollowedWithinTheInterval()
    {
        await using var host = await EndpointTestHost.StartAsync();
        var v1 = await host.AddVersionAsync("follow", "1");
        var v2 = await host.AddVersionAsync("follow", "2");
        await host.SetAliasAsync("follow", "prod", v1);
        await host.StartLoopAsync();
        await host.CreateEndpointAsync("follow-ep", Route("main", "models:/follow@prod"));
        await RouterTests.WaitUntilAsync(() => host.Manager.FindEndpoint("follow-ep")?.IsReady == true);

        await host.SetAliasAsync("follow", "prod", v2);

        await RouterTests.WaitUntilAsync(() => host.Served("follow-ep").Versions.SequenceEqual(["2"]));
        Assert.Equal("follow/2", (await host.InferAsync("follow-ep")).ModelVersion);
    }

    [Fact]
    public async Task AliasMovesUnderLoad_EightTasksHammering_NoRequestFails()
    {
        await using var host = await EndpointTestHost.StartAsync();
        var versions = new List<long>();
        for (var i = 1; i <= 4; i++)
            versions.Add(await host.AddVersionAsync("busy", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await host.SetAliasAsync("busy", "live", versions[0]);
        await host.CreateEndpointAsync("busy-ep", Route("main", "models:/busy@live"));
        await host.Manager.ReconcileAsync(default);

        using var stop = new CancellationTokenSource();
        var failures = 0;
        var answered = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var endpoint = host.Served("busy-ep");
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var result = await endpoint.InferAsync(FakeModel.Request(), new("r", _ => null, "test"), default);
                    answered.AddOrUpdate(result.ModelVersion, 1, (_, n) => n + 1);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();

        // Back and forth, so that versions are loaded, swapped in and disposed (grace period 0) under load.
        foreach (var version in new[] { versions[1], versions[2], versions[3], versions[0], versions[1] })
        {
            await Task.Delay(50);
            await host.SetAliasAsync("busy", "live", version);
            await host.Manager.ReconcileAsync(default);
        }
        await Task.Delay(50);
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        Assert.Equal(0, failures);
        Assert.Equal("2", host.Manager.GetStatus("busy-ep")!.Routes[0].ServingVersion);
        Assert.True(answered.Count >= 4, "requests were answered by " + string.Join(", ", answered.Keys));
        Assert.True(host.Loader.Models.Count(m => m.IsDisposed) >= 4);
    }

    [Fact]
    public async Task CorruptVersion_OldVersionKeepsServing_StatusFailedWithError()
    {
        await using var host = await EndpointTestHost.StartAsync();
        var good = await host.AddVersionAsync("risky", "5");
        var corrupt = await host.AddVersionAsync("risky", "corrupt");
        await host.SetAliasAsync("risky", "champion", good);
        await host.CreateEndpointAsync("risky-ep", Route("main", "models:/risky@champion"));
        await host.Manager.ReconcileAsync(default);

        await host.SetAliasAsync("risky", "champion", corrupt);
        await host.Manager.ReconcileAsync(default);

        var route = (await host.Endpoints.GetAsync("risky-ep", default)).Status.Routes[0];
        Assert.Equal((RouteStates.Failed, "1", "2"), (route.State, route.ServingVersion, route.PendingVersion));
        Assert.Contains("risky/2 failed to load", route.Error, StringComparison.Ordinal);
        Assert.Contains("not a loadable model", route.Error, StringComparison.Ordinal);
        Assert.Equal("risky/1", (await host.InferAsync("risky-ep")).ModelVersion);
        Assert.True(host.Served("risky-ep").IsReady);

        // Not retried at every pass: the failed version waits for the retry interval (or a spec change).
        await host.Manager.ReconcileAsync(default);
        Assert.Equal(RouteStates.Failed, host.Manager.GetStatus("risky-ep")!.Routes[0].State);
        Assert.Equal(2, host.Loader.Attempts);
    }

    [Fact]
    public async Task CorruptFirstVersion_EndpointNotReady_InferenceTemporarilyUnavailable()
    {
        await using var host = await EndpointTestHost.StartAsync();
        await host.AddVersionAsync("broken", "corrupt");
        await host.CreateEndpointAsync("broken-ep", Route("main", "models:/broken/1"));
        await host.Manager.ReconcileAsync(default);

        var error = await Assert.ThrowsAsync<SlipwayException>(() => host.InferAsync("broken-ep"));

        Assert.Equal(ErrorCode.TemporarilyUnavailable, error.Code);
        Assert.Contains("broken-ep is not ready: route 'main' failed: broken/1 failed to load", error.Message, StringComparison.Ordinal);
        Assert.False(host.Manager.GetStatus("broken-ep")!.Ready);
    }

    [Fact]
    public async Task MissingAlias_RouteFailedWithTheReason()
    {
        await using var host = await EndpointTestHost.StartAsync();
        await host.AddVersionAsync("lonely", "1");
        await host.CreateEndpointAsync("lonely-ep", Route("main", "models:/lonely@nobody"));
        await host.Manager.ReconcileAsync(default);

        var route = host.Manager.GetStatus("lonely-ep")!.Routes[0];

        Assert.Equal(RouteStates.Failed, route.State);
        Assert.Equal("Registered model 'lonely' has no alias 'nobody'.", route.Error);
    }

    [Fact]
    public async Task SameVersionOnTwoEndpoints_LoadedOnce_DisposedWhenBothAreGone()
    {
        await using var host = await EndpointTestHost.StartAsync();
        await host.AddVersionAsync("shared", "3");
        await host.CreateEndpointAsync("shared-a", Route("main", "models:/shared/1"));
        await host.CreateEndpointAsync("shared-b", Route("x", "models:/shared/1", 50), Route("y", "models:/shared/1", 50));
        await host.Manager.ReconcileAsync(default);

        Assert.Single(host.Loader.Loaded);
        Assert.Equal(1, host.Manager.LoadedModelCount);
        var model = Assert.Single(host.Loader.Models);

        await host.Endpoints.DeleteAsync("shared-a", Alice, default);
        Assert.Null(host.Manager.Find("shared-a"));
        Assert.False(model.IsDisposed);
        await host.Endpoints.DeleteAsync("shared-b", Alice, default);
        await RouterTests.WaitUntilAsync(() => model.IsDisposed);
        Assert.Equal(0, host.Manager.LoadedModelCount);
    }

    [Fact]
    public async Task UpdateWeightsOnly_KeepsServingWithoutReloading()
    {
        await using var host = await EndpointTestHost.StartAsync();
        await host.AddVersionAsync("ab", "1");
        await host.AddVersionAsync("ab", "2");
        await host.CreateEndpointAsync("ab-ep", Route("a", "models:/ab/1", 90), Route("b", "models:/ab/2", 10));
        await host.Manager.ReconcileAsync(default);

        var updated = await host.Endpoints.UpdateAsync(Spec("ab-ep", Route("a", "models:/ab/1", 10), Route("b", "models:/ab/2", 90)), Alice, default);

        Assert.True(updated.Status.Ready);
        Assert.Equal([(10, "1"), (90, "2")], updated.Status.Routes.Select(r => (r.Weight, r.ServingVersion)));
        Assert.Equal(2, host.Loader.Loaded.Count);
    }

    [Fact]
    public async Task DeletedEndpoint_NotFoundByTheProtocols()
    {
        await using var host = await EndpointTestHost.StartAsync();
        await host.AddVersionAsync("gone", "1");
        await host.CreateEndpointAsync("gone-ep", Route("main", "models:/gone/1"));
        await host.Manager.ReconcileAsync(default);
        Assert.NotNull(host.Manager.Find("gone-ep"));

        await host.Endpoints.DeleteAsync("gone-ep", Alice, default);

        Assert.Null(host.Manager.Find("gone-ep"));
        Assert.Empty(host.Manager.All);
    }

    [Fact]
    public async Task Lineage_ShowsTheEndpointsServingAVersion()
    {
        await using var host = await EndpointTestHost.StartAsync();
        await host.AddVersionAsync("traced", "1");
        await host.AddVersionAsync("traced", "2");
        await host.CreateEndpointAsync("traced-ep", Route("stable", "models:/traced/1", 90), Route("canary", "models:/traced/2", 10));
        await host.Manager.ReconcileAsync(default);

        var graph = await host.Registry.GetLineageAsync("traced", 2, host.Services.GetServices<ILineageContributor>(), default);

        var node = Assert.Single(graph.Nodes, n => n.Type == "endpoint");
        Assert.Equal("endpoint:traced-ep", node.Id);
        Assert.Equal(("canary", "10"), (node.Attributes["route"], node.Attributes["weight"]));
        Assert.Contains(graph.Edges, e => e is { From: "endpoint:traced-ep", To: "model_version:traced/2", Relation: "serves" });
    }

    [Fact]
    public async Task RealMlflowModelDirectory_LoadedFromTheArtifactStoreThroughTheCache()
    {
        await using var host = await EndpointTestHost.StartAsync(realLoader: new Slipway.Serving.Models.OnnxModelLoader());
        var modelFolder = Path.Combine(AppContext.BaseDirectory, "TestData", "onnx", "logreg_breast_cancer", "mlflow_model");
        await host.AddVersionFromFolderAsync("cancer", modelFolder);
        await host.CreateEndpointAsync("cancer-ep", Route("main", "models:/cancer/1"));
        await host.Manager.ReconcileAsync(default);

        var served = host.Served("cancer-ep");
        var request = new InferenceRequest(null, [new Tensor("input", TensorDataType.Fp32, [1, 30], new float[30])], null, null);
        var result = await served.InferAsync(request, new("r", _ => null, "test"), default);

        Assert.Equal("cancer/1", result.ModelVersion);
        Assert.Equal(["label", "probabilities"], result.Outputs.Select(o => o.Name));
        Assert.True(File.Exists(Path.Combine(host.Folder, "model-cache", "cancer", "1", "MLmodel")));
        var status = host.Manager.GetStatus("cancer-ep")!.Routes[0];
        Assert.True(status.LoadMilliseconds > 0 && status.MemoryBytes > 0);
    }
}
