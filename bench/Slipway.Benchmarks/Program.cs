using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Slipway.Benchmarks.Sqlite.MetricInsertBenchmarks).Assembly).Run(args);
