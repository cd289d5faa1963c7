using Slipway.Testing;

namespace Slipway.Pipelines.Tests.Server;

/// <summary>A fresh server per test, started as <see cref="PipelineServerKit.StartAsync"/> does, with a client on it.</summary>
public abstract class PipelineServerTest : SlipwayServerFixture
{
    protected override Task<SlipwayTestServer> StartServerAsync() => PipelineServerKit.StartAsync();
}
