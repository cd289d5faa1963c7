using System.Diagnostics;

namespace Slipway.LoadTest;

/// <summary>
/// CPU used by the server, by this load generator and by everything else on the machine (other engineers'
/// builds, on a shared box) over a phase. Server CPU per request is the figure that survives contention.
/// </summary>
internal readonly record struct CpuSample(TimeSpan Server, TimeSpan LoadGenerator, TimeSpan Machine, long Timestamp)
{
    public static CpuSample Take(ServerProcess server) =>
        new(server.CpuTime(), Process.GetCurrentProcess().TotalProcessorTime, MachineBusyTime(), Stopwatch.GetTimestamp());

    /// <summary>e.g. "server 1.62 cores = 190 µs/request; load generator 0.31 cores; other processes 0.05 cores".</summary>
    public string Describe(CpuSample end, long operations, string unit)
    {
        var wall = Stopwatch.GetElapsedTime(Timestamp, end.Timestamp).TotalSeconds;
        var server = (end.Server - Server).TotalSeconds;
        var generator = (end.LoadGenerator - LoadGenerator).TotalSeconds;
        var others = Math.Max(0, (end.Machine - Machine).TotalSeconds - server - generator);
        var perOp = operations > 0 ? server * 1e6 / operations : double.NaN;
        return $"CPU: server {server / wall:0.00} cores = {perOp:0.#} µs/{unit}; load generator {generator / wall:0.00} cores; other processes {others / wall:0.00} cores";
    }

    /// <summary>Busy time of all CPUs (everything but idle and iowait) from the first line of /proc/stat.</summary>
    private static TimeSpan MachineBusyTime()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long busy = 0;
        for (var i = 1; i < fields.Length && i <= 8; i++)
        {
            if (i is 4 or 5)
                continue; // idle, iowait
            busy += long.Parse(fields[i]);
        }
        return TimeSpan.FromSeconds(busy / 100.0); // USER_HZ
    }
}
