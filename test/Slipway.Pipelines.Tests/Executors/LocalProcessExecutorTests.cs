using System.Diagnostics;
using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Executors;

namespace Slipway.Pipelines.Tests.Executors;

public class LocalProcessExecutorTests
{
    private readonly InMemoryStepLog _log = new();

    private StepInvocation Shell(string script, Dictionary<string, string>? env = null) => new()
    {
        PipelineName = "p",
        RunId = "run-1",
        StepId = "s",
        Uses = "command",
        Run = ["/bin/sh", "-c", script],
        Env = env ?? [],
        WorkingDirectory = Path.GetTempPath(),
        Log = _log,
        TrackingUri = "http://127.0.0.1:5000",
        MlflowRunId = "child-9",
    };

    [Fact]
    public async Task ExecuteAsync_SuccessfulProcess_CapturesStdoutAndStderr()
    {
        var result = await new LocalProcessExecutor().ExecuteAsync(Shell("echo hello; echo oops >&2"), CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal("hello", _log.Text(StepLogStream.Stdout));
        Assert.Equal("oops", _log.Text(StepLogStream.Stderr));
    }

    [Fact]
    public async Task ExecuteAsync_ArgumentsWithSpaces_PassedWithoutShell()
    {
        var invocation = Shell("") with { Run = ["/bin/echo", "a  b", "$HOME", "; rm -rf x"] };

        var result = await new LocalProcessExecutor().ExecuteAsync(invocation, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal("a  b $HOME ; rm -rf x", _log.Text(StepLogStream.Stdout));
    }

    [Fact]
    public async Task ExecuteAsync_Environment_IncludesStepEnvAndMlflowVariables()
    {
        var result = await new LocalProcessExecutor().ExecuteAsync(
            Shell("echo \"$THRESHOLD $MLFLOW_TRACKING_URI $MLFLOW_RUN_ID\"", new() { ["THRESHOLD"] = "0.8" }),
            CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal("0.8 http://127.0.0.1:5000 child-9", _log.Text(StepLogStream.Stdout));
    }

    [Fact]
    public async Task ExecuteAsync_NonZeroExit_Fails()
    {
        var result = await new LocalProcessExecutor().ExecuteAsync(Shell("exit 3"), CancellationToken.None);

        Assert.Equal((false, "'/bin/sh' exited with code 3"), (result.Succeeded, result.Error));
    }

    [Fact]
    public async Task ExecuteAsync_MissingExecutable_FailsWithClearError()
    {
        var invocation = Shell("") with { Run = ["/no/such/binary"] };

        var result = await new LocalProcessExecutor().ExecuteAsync(invocation, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.StartsWith("cannot start '/no/such/binary'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_OutputsFile_ParsedIntoOutputs()
    {
        const string script = """
            echo "model_uri=models:/churn/3" >> "$SLIPWAY_OUTPUTS"
            echo "auc=0.91=rounded" >> "$SLIPWAY_OUTPUTS"
            printf 'notes<<EOF\nline one\nline two\nEOF\n' >> "$SLIPWAY_OUTPUTS"
            """;

        var result = await new LocalProcessExecutor().ExecuteAsync(Shell(script), CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal("models:/churn/3", result.Outputs["model_uri"]);
        Assert.Equal("0.91=rounded", result.Outputs["auc"]);
        Assert.Equal("line one\nline two", result.Outputs["notes"]);
    }

    [Fact]
    public async Task ExecuteAsync_Cancelled_KillsTheProcessTree()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"slipway-child-{Guid.NewGuid():N}");
        using var timeout = new CancellationTokenSource();
        // The child `sleep` is a grandchild of the executor: killing only the shell would orphan it.
        var invocation = Shell($"sleep 60 & echo $! > {pidFile}; wait");
        var execution = new LocalProcessExecutor().ExecuteAsync(invocation, timeout.Token);
        await WaitForFileAsync(pidFile);
        var sleepPid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);

        var started = Stopwatch.StartNew();
        await timeout.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => execution);

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10));
        Assert.True(await ExitedAsync(sleepPid), $"sleep {sleepPid} survived the kill");
        File.Delete(pidFile);
    }

    private static async Task WaitForFileAsync(string path)
    {
        for (var i = 0; i < 200 && !(File.Exists(path) && new FileInfo(path).Length > 0); i++)
            await Task.Delay(25);
    }

    private static async Task<bool> ExitedAsync(int pid)
    {
        // A killed child may linger briefly as a zombie; /proc shows its state.
        for (var i = 0; i < 100; i++)
        {
            var stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat) || File.ReadAllText(stat).Contains(") Z ", StringComparison.Ordinal))
                return true;
            await Task.Delay(50);
        }
        return false;
    }
}
