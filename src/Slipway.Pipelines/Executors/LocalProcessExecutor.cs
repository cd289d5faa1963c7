using System.Diagnostics;
using Slipway.Pipelines.Execution;

namespace Slipway.Pipelines.Executors;

/// <summary>
/// Runs <c>uses: command</c> steps as local processes: the executable and its arguments are
/// passed as an argument list, never through a shell, so values from parameters cannot inject
/// commands. A step reports outputs by writing <c>key=value</c> lines to <c>$SLIPWAY_OUTPUTS</c>.
/// </summary>
public sealed class LocalProcessExecutor : IStepExecutor
{
    public const string OutputsVariable = "SLIPWAY_OUTPUTS";

    public async Task<StepResult> ExecuteAsync(StepInvocation invocation, CancellationToken cancellationToken)
    {
        if (invocation.Run.Count == 0)
            return StepResult.Failure("run names no executable");

        var outputsFile = Path.Combine(Path.GetTempPath(), $"slipway-outputs-{Guid.NewGuid():N}");
        try
        {
            await File.WriteAllTextAsync(outputsFile, "", cancellationToken);
            using var process = new Process { StartInfo = CreateStartInfo(invocation, outputsFile) };
            process.OutputDataReceived += (_, e) => Forward(invocation.Log, StepLogStream.Stdout, e.Data);
            process.ErrorDataReceived += (_, e) => Forward(invocation.Log, StepLogStream.Stderr, e.Data);
            try
            {
                process.Start();
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                return StepResult.Failure($"cannot start '{invocation.Run[0]}': {e.Message}");
            }
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The step's children (a Python script's workers, say) must not outlive the step.
                Kill(process);
                invocation.Log.Write(StepLogStream.System, $"killed process {process.Id} and its children");
                throw;
            }
            // WaitForExitAsync returns once the output streams are drained too.
            if (process.ExitCode != 0)
                return StepResult.Failure($"'{invocation.Run[0]}' exited with code {process.ExitCode}");
            var outputs = OutputsFileParser.Parse(await File.ReadAllTextAsync(outputsFile, cancellationToken));
            return StepResult.Success(outputs);
        }
        finally
        {
            TryDelete(outputsFile);
        }
    }

    private static ProcessStartInfo CreateStartInfo(StepInvocation invocation, string outputsFile)
    {
        var startInfo = new ProcessStartInfo(invocation.Run[0])
        {
            WorkingDirectory = invocation.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        for (var i = 1; i < invocation.Run.Count; i++)
            startInfo.ArgumentList.Add(invocation.Run[i]);
        foreach (var (name, value) in invocation.Env)
            startInfo.Environment[name] = value;
        if (invocation.TrackingUri is not null)
            startInfo.Environment["MLFLOW_TRACKING_URI"] = invocation.TrackingUri;
        if (invocation.MlflowRunId is not null)
            startInfo.Environment["MLFLOW_RUN_ID"] = invocation.MlflowRunId;
        startInfo.Environment["SLIPWAY_RUN_ID"] = invocation.RunId;
        startInfo.Environment["SLIPWAY_STEP_ID"] = invocation.StepId;
        startInfo.Environment[OutputsVariable] = outputsFile;
        return startInfo;
    }

    private static void Forward(IStepLog log, StepLogStream stream, string? line)
    {
        if (line is not null)
            log.Write(stream, line);
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (InvalidOperationException)
        {
            // It exited between the cancellation and the kill.
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>
/// Reads the outputs file a command step writes, in GitHub Actions' GITHUB_OUTPUT format:
/// <c>key=value</c> lines, and <c>key&lt;&lt;DELIMITER</c> … <c>DELIMITER</c> for multi-line values.
/// A later line for the same key wins, as a script may refine a value.
/// </summary>
public static class OutputsFileParser
{
    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0)
                continue;
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var heredoc = line.IndexOf("<<", StringComparison.Ordinal);
            if (heredoc > 0 && (equals < 0 || heredoc < equals))
            {
                var key = line[..heredoc].Trim();
                var delimiter = line[(heredoc + 2)..];
                var body = new List<string>();
                while (++i < lines.Length && lines[i] != delimiter)
                    body.Add(lines[i]);
                outputs[key] = string.Join('\n', body);
                continue;
            }
            if (equals > 0)
                outputs[line[..equals].Trim()] = line[(equals + 1)..];
        }
        return outputs;
    }
}
