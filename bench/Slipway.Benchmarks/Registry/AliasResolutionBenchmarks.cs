using BenchmarkDotNet.Attributes;

namespace Slipway.Benchmarks.Registry;

/// <summary>
/// <c>models:/name@alias</c> → version through <see cref="Slipway.Registry.RegistryService.ResolveAliasAsync"/>:
/// answered from the alias cache, and (baseline) with the cache invalidated first so that every call reads the database.
/// </summary>
[MemoryDiagnoser]
public class AliasResolutionBenchmarks
{
    private RegistryFixture _fixture = null!;

    [GlobalSetup]
    public void Setup() => _fixture = RegistryFixture.CreateAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _fixture.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "cached alias")]
    public long? Cached() => _fixture.Service.ResolveAliasAsync(RegistryFixture.Model, RegistryFixture.Alias, CancellationToken.None).GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "cache invalidated: database read")]
    public long? Uncached()
    {
        _fixture.Cache.Invalidate(RegistryFixture.Model);
        return _fixture.Service.ResolveAliasAsync(RegistryFixture.Model, RegistryFixture.Alias, CancellationToken.None).GetAwaiter().GetResult();
    }
}
