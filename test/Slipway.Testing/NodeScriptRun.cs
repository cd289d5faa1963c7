using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Slipway.Testing;

/// <summary>What a node script run to completion left behind.</summary>
public sealed record NodeScriptOutcome(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>
/// Runs a test's node script (a real npm client such as <c>mlflow</c>) to completion: the process's own MLflow
/// variables are never inherited, <c>SLIPWAY_NODE_CLIENTS</c> names test/clients/node so the script can resolve its
/// packages, and a script that outlives <paramref name="timeout"/> is killed and reported with its output.
/// </summary>
public static class NodeScriptRun
{
    private static readonly string[] MlflowVariables = ["MLFLOW_TRACKING_URI", "MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD", "MLFLOW_TRACKING_TOKEN"];

    public static async Task<NodeScriptOutcome> RunAsync(string script, IReadOnlyDictionary<string, string> environment, TimeSpan timeout,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null)
            start.WorkingDirectory = workingDirectory;
        start.ArgumentList.Add(script);
        foreach (var name in MlflowVariables)
            start.Environment.Remove(name);
        start.Environment["SLIPWAY_NODE_CLIENTS"] = NodeClients.Folder();
        foreach (var (name, value) in environment)
            start.Environment[name] = value;

        using var process = new Process { StartInfo = start };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"node could not be started ({e.Message}); install Node.js 18 or later and run ./scripts/test.sh.", e);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {Path.GetFileName(script)} did not finish within {timeout}:\n{Read(stdout)}\n{Read(stderr)}");
        }
        process.WaitForExit(); // drains the redirected output
        return new NodeScriptOutcome(process.ExitCode, Read(stdout), Read(stderr));
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
            return;
        lock (builder)
            builder.AppendLine(line);
    }

    private static string Read(StringBuilder builder)
    {
        lock (builder)
            return builder.ToString();
    }
}
