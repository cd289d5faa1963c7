using BenchmarkDotNet.Running;
using Slipway.Benchmarks.Registry;

if (args is ["alias-latency"])
    return await AliasLatency.RunAsync();
BenchmarkSwitcher.FromAssembly(typeof(Slipway.Benchmarks.Sqlite.MetricInsertBenchmarks).Assembly).Run(args);
return 0;
