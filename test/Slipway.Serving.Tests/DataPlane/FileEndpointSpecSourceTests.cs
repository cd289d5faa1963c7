using Slipway.Core.Errors;
using Slipway.Serving.DataPlane;
using Slipway.Serving.Tests.Models;

namespace Slipway.Serving.Tests.DataPlane;

/// <summary>How an endpoints file turns into revisions the manager follows, and which files it refuses.</summary>
public sealed class FileEndpointSpecSourceTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ListAsync_OneEndpointEdited_OnlyItsRevisionGrows()
    {
        var source = Source("endpoints.json", """[{ "name": "a", "routes": [{ "model": "a.onnx" }] }, { "name": "b", "routes": [{ "model": "b.onnx" }] }]""");
        var first = await source.ListAsync(default);

        _folder.File("endpoints.json", """[{ "name": "a", "routes": [{ "model": "a2.onnx" }] }, { "name": "b", "routes": [{ "model": "b.onnx" }] }]""");
        var second = await source.ListAsync(default);
        var unchanged = await source.ListAsync(default);

        Assert.Equal([("a", 1L), ("b", 1L)], first.Select(r => (r.Spec.Name, r.Revision)));
        Assert.Equal([("a", 2L), ("b", 1L)], second.Select(r => (r.Spec.Name, r.Revision)));
        Assert.Same(second, unchanged);
        Assert.Equal("a2.onnx", second[0].Spec.Routes[0].Model);
    }

    [Fact]
    public async Task ListAsync_EndpointRemovedThenBack_GetsAHigherRevision()
    {
        var source = Source("endpoints.yaml", "- name: a\n  routes: [{ model: a.onnx }]\n");
        await source.ListAsync(default);
        _folder.File("endpoints.yaml", "[]");
        var removed = await source.ListAsync(default);
        _folder.File("endpoints.yaml", "- name: a\n  routes: [{ model: other.onnx }]\n");

        var back = await source.ListAsync(default);

        Assert.Empty(removed);
        Assert.Equal(2, Assert.Single(back).Revision);
    }

    [Fact]
    public async Task ListAsync_YamlSpec_ReadsTypedValues()
    {
        using var controlPlane = new Slipway.Client.SlipwayClient(new Uri("http://127.0.0.1:9"));
        var source = Source("endpoints.yml", """
            endpoints:
              - name: typed
                description: "123"
                routes:
                  - { name: live, model: m.onnx, weight: 90 }
                  - { name: canary, model: "models:/m/2", weight: 10 }
                sticky_header: X-User
                batching: { max_batch_size: 8, max_queue_delay_ms: 2.5 }
                log_sample_rate: 0.25
            """, registry: new RemoteModelSource(controlPlane, _folder.Path));

        var spec = Assert.Single(await source.ListAsync(default)).Spec;

        Assert.Equal("123", spec.Description);
        Assert.Equal([("live", 90), ("canary", 10)], spec.Routes.Select(r => (r.Name, r.Weight)));
        Assert.Equal("X-User", spec.StickyHeader);
        Assert.Equal((8, TimeSpan.FromMilliseconds(2.5)), (spec.Batching!.MaxBatchSize, spec.Batching.MaxQueueDelay));
        Assert.Equal(0.25, spec.LogSampleRate);
    }

    [Fact]
    public async Task ListAsync_DuplicateNamesAndBadJson_Refused()
    {
        var duplicates = Source("dup.json", """[{ "name": "a", "routes": [{ "model": "x" }] }, { "name": "a", "routes": [{ "model": "y" }] }]""");
        var malformed = Source("bad.json", """[{ "name": "a", """);

        var duplicate = await Assert.ThrowsAsync<SlipwayException>(() => duplicates.ListAsync(default));
        var parse = await Assert.ThrowsAsync<SlipwayException>(() => malformed.ListAsync(default));

        Assert.Contains("endpoints[1] ('a'): the name is used by an earlier endpoint", duplicate.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be read", parse.Message, StringComparison.Ordinal);
    }

    private FileEndpointSpecSource Source(string name, string text, IModelSource? registry = null) =>
        new(_folder.File(name, text), new FileModelSource(_folder.Path, registry), TimeProvider.System);
}
