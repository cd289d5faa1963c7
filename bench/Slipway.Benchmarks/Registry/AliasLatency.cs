using System.Diagnostics;
using System.Globalization;

namespace Slipway.Benchmarks.Registry;

/// <summary>
/// Per-call latency percentiles of alias resolution (BenchmarkDotNet reports means over batches, not a p99):
/// <c>dotnet run -c Release --project bench/Slipway.Benchmarks -- alias-latency</c>. Times each of 1,000,000
/// cached resolutions, and 2,000 with the cache invalidated, after a warm-up.
/// </summary>
internal static class AliasLatency
{
    public static async Task<int> RunAsync()
    {
        await using var fixture = await RegistryFixture.CreateAsync();
        var service = fixture.Service;
        for (var i = 0; i < 100_000; i++)
            await service.ResolveAliasAsync(RegistryFixture.Model, RegistryFixture.Alias, CancellationToken.None);

        var cached = new long[1_000_000];
        for (var i = 0; i < cached.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await service.ResolveAliasAsync(RegistryFixture.Model, RegistryFixture.Alias, CancellationToken.None);
            cached[i] = Stopwatch.GetTimestamp() - start;
        }
        var uncached = new long[2_000];
        for (var i = 0; i < uncached.Length; i++)
        {
            fixture.Cache.Invalidate(RegistryFixture.Model);
            var start = Stopwatch.GetTimestamp();
            await service.ResolveAliasAsync(RegistryFixture.Model, RegistryFixture.Alias, CancellationToken.None);
            uncached[i] = Stopwatch.GetTimestamp() - start;
        }
        Console.WriteLine(Describe("cached alias", cached));
        Console.WriteLine(Describe("cache invalidated (database read)", uncached));
        return 0;
    }

    private static string Describe(string what, long[] ticks)
    {
        Array.Sort(ticks);
        string At(double p) => Micros(ticks[(int)Math.Min(ticks.Length - 1, Math.Ceiling(p / 100 * ticks.Length) - 1)]);
        return string.Create(CultureInfo.InvariantCulture,
            $"{what}: n={ticks.Length:N0} p50 {At(50)} µs, p99 {At(99)} µs, p99.9 {At(99.9)} µs, max {Micros(ticks[^1])} µs");
    }

    private static string Micros(long ticks) => (ticks * 1_000_000.0 / Stopwatch.Frequency).ToString("0.00", CultureInfo.InvariantCulture);
}
