using System.Diagnostics;
using System.Globalization;

namespace Slipway.LoadTest;

/// <summary>What a one-shot command did: wall time, peak memory (VmHWM, polled every 5 ms) and its output.</summary>
internal sealed record MeasuredRun(TimeSpan Wall, double PeakMib, string Output, string Errors);

/// <summary>
/// Runs a command such as <c>slipway monitor report</c> or <c>slipway train</c> to completion as a child process, timing
/// it from start to exit and polling its peak resident memory from <c>/proc</c>; a non-zero exit throws with stderr.
/// </summary>
internal static class MeasuredProcess
{
    public static async Task<MeasuredRun> RunAsync(string executable, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);

        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        double peak = 0;
        while (!process.HasExited)
        {
            peak = Math.Max(peak, PeakMib(process.Id));
            await Task.Delay(5);
        }
        await process.WaitForExitAsync();
        var wall = Stopwatch.GetElapsedTime(started);
        var (output, errors) = (await stdout, await stderr);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(executable)} {string.Join(' ', start.ArgumentList.Take(2))} exited with {process.ExitCode}: {errors}");
        return new MeasuredRun(wall, peak, output, errors);
    }

    /// <summary>VmHWM in MiB, or 0 once the process is gone.</summary>
    private static double PeakMib(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
