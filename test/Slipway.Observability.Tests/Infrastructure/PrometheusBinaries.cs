using System.Diagnostics;

namespace Slipway.Observability.Tests.Infrastructure;

/// <summary>
/// The real <c>prometheus</c> and <c>promtool</c> (Debian package <c>prometheus</c>, installed by scripts/test.sh), or
/// the ones in the folder named by <c>SLIPWAY_TEST_PROMETHEUS</c>. A missing binary fails the test: it is never skipped.
/// </summary>
internal static class PrometheusBinaries
{
    public const string FolderVariable = "SLIPWAY_TEST_PROMETHEUS";

    public static string Promtool => Find("promtool");

    public static string Prometheus => Find("prometheus");

    /// <summary>Runs a tool to completion (bounded wait) and returns its exit code and combined output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string tool, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? "" };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {tool}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(tool)} {string.Join(' ', start.ArgumentList)} did not finish within 2 minutes.");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string Find(string name)
    {
        var folder = Environment.GetEnvironmentVariable(FolderVariable);
        var path = string.IsNullOrEmpty(folder) ? Path.Combine("/usr/bin", name) : Path.Combine(folder, name);
        if (!File.Exists(path))
            Assert.Fail($"{name} not found at {path}: install the Debian package 'prometheus' (scripts/test.sh does) or set {FolderVariable} to the folder holding it.");
        return path;
    }
}
