using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Slipway.LoadTest;

/// <summary>The machine a result was measured on, for the report header.</summary>
internal static class MachineInfo
{
    public static string Describe(LoadTestOptions options)
    {
        var repo = LoadTestOptions.FindRepositoryRoot();
        var memTotalKib = ReadField("/proc/meminfo", "MemTotal:");
        var cpuModel = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"')
            : null;
        return string.Join('\n',
            $"- Date (UTC): {DateTime.UtcNow:yyyy-MM-dd HH:mm}; budgets: {(options.Quick ? "--quick (smoke run, not comparable with the targets)" : "full")}",
            $"- Machine: {Environment.ProcessorCount} cores ({cpuModel ?? "unknown CPU"}), {memTotalKib / 1024.0 / 1024.0:0.0} GiB RAM, {os ?? RuntimeInformation.OSDescription} (kernel {Environment.OSVersion.Version})",
            $"- .NET: SDK {Run("dotnet", "--version") ?? "?"}, runtime {RuntimeInformation.FrameworkDescription}",
            $"- Server: {options.ServerPath}, built {File.GetLastWriteTimeUtc(options.ServerPath + ".dll"):yyyy-MM-dd HH:mm} UTC{ServerCommit(options.ServerPath, repo)}",
            $"- Load average at start: {LoadAverage()}");
    }

    /// <summary>The repository commit, when the server was built from this checkout.</summary>
    private static string ServerCommit(string serverPath, string repo)
    {
        if (!serverPath.StartsWith(repo + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            return " (outside this checkout)";
        var commit = Run("git", "rev-parse --short HEAD", repo) ?? "?";
        var dirty = string.IsNullOrEmpty(Run("git", "status --porcelain src", repo)) ? "" : ", src/ has uncommitted changes";
        return $" from commit {commit}{dirty}";
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static long ReadField(string path, string name)
    {
        if (!File.Exists(path))
            return 0;
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
    }

    private static string? Run(string file, string arguments, string? workingDirectory = null)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
            });
            if (process is null)
                return null;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
