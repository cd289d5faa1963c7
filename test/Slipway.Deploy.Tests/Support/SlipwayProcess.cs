using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Slipway.Deploy.Tests.Support;

/// <summary>
/// The <c>slipway</c> command run as its own process, the way a container runs the image's entrypoint: with exactly the
/// arguments and environment a rendered pod would get (nothing inherited that configures Slipway or an MLflow client)
/// and a working folder standing in for the pod's <c>/data</c>. A separate process keeps each run's environment
/// variables, such as <c>SLIPWAY_ADMIN_PASSWORD</c>, out of the other tests. Dispose stops it and deletes the folder.
/// </summary>
internal sealed partial class SlipwayProcess : IDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);
    private static readonly string[] InheritedPrefixes = ["SLIPWAY_", "Slipway__", "MLFLOW_", "AWS_", "AZURE_"];

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _workingDirectory;

    private SlipwayProcess(Process process, string workingDirectory)
    {
        _process = process;
        _workingDirectory = workingDirectory;
    }

    /// <summary>Everything the process wrote to standard output and error so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public static SlipwayProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var workingDirectory = Directory.CreateTempSubdirectory("slipway-pod-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "slipway.dll"));
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var inherited in start.Environment.Keys.Where(k => InheritedPrefixes.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList())
            start.Environment.Remove(inherited);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;

        var process = new Process { StartInfo = start };
        var running = new SlipwayProcess(process, workingDirectory);
        process.OutputDataReceived += (_, e) => running.Append(e.Data);
        process.ErrorDataReceived += (_, e) => running.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    /// <summary>Waits for the "listening on" line and returns the REST address; fails with the output if the process exits first.</summary>
    public async Task<Uri> WaitForAddressAsync()
    {
        using var timeout = new CancellationTokenSource(StartDeadline);
        while (ListeningPattern().Match(Output) is not { Success: true } match)
        {
            Assert.False(_process.HasExited, $"slipway exited with {(_process.HasExited ? _process.ExitCode : 0)} before listening:\n{Output}");
            await Task.Delay(100, timeout.Token);
        }
        return new Uri(ListeningPattern().Match(Output).Groups[1].Value);
    }

    /// <summary>Waits for the process to end by itself (a refused configuration) and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(StartDeadline);
        await _process.WaitForExitAsync(timeout.Token);
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
        Directory.Delete(_workingDirectory, recursive: true);
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    [GeneratedRegex(@"listening on (http://[^\s]+)")]
    private static partial Regex ListeningPattern();
}
