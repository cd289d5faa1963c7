using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Executors.Kubernetes;
using Slipway.Pipelines.Parsing;

namespace Slipway.Pipelines.Tests.Kubernetes;

/// <summary>
/// The executor against <see cref="FakeKubernetesApi"/>, a fake API server on 127.0.0.1 (there is
/// no cluster here): real HTTP through KubernetesClient, scripted pod outcomes.
/// </summary>
public sealed class KubernetesStepExecutorTests : IAsyncLifetime
{
    private FakeKubernetesApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeKubernetesApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private KubernetesStepExecutor Executor(string ns = "ml", TimeSpan? deadline = null, int backoffLimit = 0) => new(_api.CreateClient(), new KubernetesExecutorOptions
    {
        Namespace = ns,
        BackoffLimit = backoffLimit,
        PollInterval = TimeSpan.FromMilliseconds(20),
        MaxPollInterval = TimeSpan.FromMilliseconds(100),
        DefaultActiveDeadline = deadline,
    });

    private static StepInvocation Invocation(InMemoryStepLog log, string uses = "command") => new()
    {
        PipelineName = "churn",
        RunId = "run-1",
        StepId = "prepare",
        Uses = uses,
        Run = uses == "command" ? ["python", "prepare.py"] : [],
        With = uses == "train"
            ? new Dictionary<string, string> { ["data"] = "d.parquet", ["label"] = "churned", ["task"] = "binary" }
            : new Dictionary<string, string>(),
        WorkingDirectory = ".",
        Log = log,
    };

    [Fact]
    public async Task ExecuteAsync_JobCompletes_ReturnsOutputsFromTerminationMessageAndCopiesLog()
    {
        _api.Script = _ => new FakeJobScript
        {
            Log = ["reading data", "wrote 1000 rows"],
            TerminationMessage = "rows=1000\nsummary<<EOF\nline one\nline two\nEOF\n",
        };
        var log = new InMemoryStepLog();

        var result = await Executor().ExecuteAsync(Invocation(log), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("1000", result.Outputs["rows"]);
        Assert.Equal("line one\nline two", result.Outputs["summary"]);
        Assert.Equal("reading data\nwrote 1000 rows", log.Text(StepLogStream.Stdout));
        var created = Assert.Single(_api.Created);
        Assert.Equal("ml", created.Metadata.NamespaceProperty);
        Assert.Contains(log.Lines, l => l.Line.StartsWith($"created job ml/{created.Metadata.Name}", StringComparison.Ordinal));
        Assert.Empty(_api.Deletions);
    }

    [Fact]
    public async Task ExecuteAsync_StepTimeout_BecomesTheJobsActiveDeadline()
    {
        _api.Script = _ => new FakeJobScript { TerminationMessage = "ok=1" };

        var result = await Executor().ExecuteAsync(Invocation(new InMemoryStepLog()) with { Timeout = TimeSpan.FromMinutes(7) }, CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(420, Assert.Single(_api.Created).Spec.ActiveDeadlineSeconds);
    }

    [Fact]
    public async Task ExecuteAsync_LogCannotBeFollowed_ReadsItWhenThePodEnds()
    {
        _api.Script = _ => new FakeJobScript { FollowFails = true, Log = ["one", "two"], TerminationMessage = "n=2" };
        var log = new InMemoryStepLog();

        var result = await Executor().ExecuteAsync(Invocation(log), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("one\ntwo", log.Text(StepLogStream.Stdout));
        Assert.Contains("the log stream broke off", log.Text(StepLogStream.System), StringComparison.Ordinal);
        Assert.Equal("2", result.Outputs["n"]);
    }

    [Fact]
    public async Task ExecuteAsync_ContainerExitsNonZero_FailsWithExitCode()
    {
        _api.Script = _ => new FakeJobScript { ExitCode = 3, Log = ["Traceback (most recent call last):", "ValueError: no rows"] };
        var log = new InMemoryStepLog();

        var result = await Executor().ExecuteAsync(Invocation(log), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.StartsWith("'python' exited with code 3 in pod ", result.Error, StringComparison.Ordinal);
        Assert.Contains("ValueError: no rows", log.Text(StepLogStream.Stdout), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_OutOfMemory_SaysSo()
    {
        _api.Script = _ => new FakeJobScript { ExitCode = 137 };

        var result = await Executor().ExecuteAsync(Invocation(new InMemoryStepLog()), CancellationToken.None);

        Assert.Contains("code 137 (OOMKilled: it ran out of memory", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_DeadlineExceeded_FailsWithTheDeadline()
    {
        _api.Script = _ => new FakeJobScript { ExitCode = 1, JobFailureReason = "DeadlineExceeded" };

        var result = await Executor(deadline: TimeSpan.FromMinutes(2)).ExecuteAsync(Invocation(new InMemoryStepLog()), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.EndsWith("ran past its deadline of 120s and was stopped (DeadlineExceeded)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_ImagePullBackOff_FailsAndDeletesTheJob()
    {
        _api.Script = _ => new FakeJobScript { WaitingReason = "ImagePullBackOff" };

        var result = await Executor().ExecuteAsync(Invocation(new InMemoryStepLog()), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("its image cannot be pulled (image ghcr.io/slipway/slipway:latest; ImagePullBackOff", result.Error, StringComparison.Ordinal);
        var (name, policy) = Assert.Single(_api.Deletions);
        Assert.Equal(_api.Created.Single().Metadata.Name, name);
        Assert.Equal("Background", policy);
    }

    [Fact]
    public async Task ExecuteAsync_Cancelled_DeletesTheJobWithBackgroundPropagation()
    {
        _api.Script = _ => new FakeJobScript { ExitCode = null, Log = ["epoch 1"] };
        var log = new InMemoryStepLog();
        using var cancellation = new CancellationTokenSource();
        var execution = Executor().ExecuteAsync(Invocation(log), cancellation.Token);
        // Cancel once the pod runs and its log is being followed.
        await WaitUntilAsync(() => log.Text(StepLogStream.Stdout).Contains("epoch 1", StringComparison.Ordinal));

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => execution);
        var (name, policy) = Assert.Single(_api.Deletions);
        Assert.Equal(_api.Created.Single().Metadata.Name, name);
        Assert.Equal("Background", policy);
        Assert.Empty(_api.Jobs);
        Assert.Contains(log.Lines, l => l.Line.Contains("deleted job", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExecuteAsync_ApiServerRefusesTheJob_FailsWithItsMessage()
    {
        var result = await Executor("forbidden").ExecuteAsync(Invocation(new InMemoryStepLog()), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.StartsWith("cannot create job forbidden/churn-prepare-a1-", result.Error, StringComparison.Ordinal);
        Assert.Contains("403 jobs.batch is forbidden: User", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_TrainStep_ReadsOutputsFromTheJsonOutcome()
    {
        _api.Script = _ => new FakeJobScript
        {
            Log =
            [
                "train: reading (10%)",
                "{",
                "  \"run_id\": \"abc123\",",
                "  \"model_uri\": \"runs:/abc123/model\",",
                "  \"metrics\": {",
                "    \"accuracy\": 0.87,",
                "    \"auc\": 0.912",
                "  },",
                "  \"registered_model\": \"churn\",",
                "  \"version\": \"4\"",
                "}",
            ],
        };

        var result = await Executor().ExecuteAsync(Invocation(new InMemoryStepLog(), "train"), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("abc123", result.Outputs["run_id"]);
        Assert.Equal("runs:/abc123/model", result.Outputs["model_uri"]);
        Assert.Equal("auc", result.Outputs["metric"]);
        Assert.Equal("0.912", result.Outputs["value"]);
        Assert.Equal("churn", result.Outputs["model_name"]);
        Assert.Equal("4", result.Outputs["version"]);
        Assert.Equal("", result.Outputs["onnx_uri"]);
        Assert.Equal("slipway", _api.Created.Single().Spec.Template.Spec.Containers[0].Command[0]);
    }

    [Fact]
    public async Task ExecuteAsync_FirstPodFailsAndRetrySucceeds_FollowsTheNewestPod()
    {
        _api.Script = _ => new FakeJobScript
        {
            ExitCode = 1,
            Log = ["attempt one: reading", "attempt one: connection reset"],
            TerminationMessage = "rows=1\nstale=yes\n",
            NextPod = new FakeJobScript { Log = ["attempt two: reading", "attempt two: wrote 1000 rows"], TerminationMessage = "rows=1000\n" },
        };
        var log = new InMemoryStepLog();

        var result = await Executor(backoffLimit: 1).ExecuteAsync(Invocation(log), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("1000", result.Outputs["rows"]);
        Assert.False(result.Outputs.ContainsKey("stale"));
        Assert.Equal(
            "attempt one: reading\nattempt one: connection reset\nattempt two: reading\nattempt two: wrote 1000 rows",
            log.Text(StepLogStream.Stdout));
        var job = Assert.Single(_api.Jobs.Values);
        Assert.Equal(1, job.Job.Spec.BackoffLimit);
        Assert.Equal(2, job.PodList.Count);
        var (first, second) = (job.PodList[0].Name, job.PodList[1].Name);
        Assert.Contains($"pod {first} replaced by {second} (attempt 2)", log.Text(StepLogStream.System), StringComparison.Ordinal);
        Assert.Contains($"pod {second} started; following its log", log.Text(StepLogStream.System), StringComparison.Ordinal);
        Assert.Empty(_api.Deletions);
    }

    [Fact]
    public async Task ExecuteAsync_PodReplacedBetweenTwoPolls_StillCopiesItsLogFirst()
    {
        // The first pod starts, fails and is replaced before the executor ever sees it running.
        _api.Script = _ => new FakeJobScript
        {
            ExitCode = 2,
            PollsBeforeEnd = 1,
            Log = ["ImportError: no module named churn"],
            NextPod = new FakeJobScript { Log = ["retry ok"], TerminationMessage = "ok=1" },
        };
        var log = new InMemoryStepLog();

        var result = await Executor(backoffLimit: 3).ExecuteAsync(Invocation(log), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("1", result.Outputs["ok"]);
        Assert.Equal("ImportError: no module named churn\nretry ok", log.Text(StepLogStream.Stdout));
        var pods = Assert.Single(_api.Jobs.Values).PodList;
        Assert.Equal(2, pods.Count);
        Assert.Contains($"pod {pods[0].Name} replaced by {pods[1].Name} (attempt 2)", log.Text(StepLogStream.System), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_RetriedPodFailsToo_FailsWithTheNewestPodsExitCode()
    {
        _api.Script = _ => new FakeJobScript
        {
            ExitCode = 1,
            Log = ["first"],
            NextPod = new FakeJobScript { ExitCode = 4, Log = ["second"] },
        };
        var log = new InMemoryStepLog();

        var result = await Executor(backoffLimit: 1).ExecuteAsync(Invocation(log), CancellationToken.None);

        Assert.False(result.Succeeded);
        var second = Assert.Single(_api.Jobs.Values).PodList[1].Name;
        Assert.Equal($"'python' exited with code 4 in pod {second}", result.Error);
        Assert.Equal("first\nsecond", log.Text(StepLogStream.Stdout));
    }

    [Fact]
    public async Task ExecuteAsync_TrainStepRetried_ReadsTheOutcomeFromTheNewestPod()
    {
        // More progress lines than the executor keeps: the outcome at the end is still found.
        var progress = Enumerable.Range(0, JobWatch.MaxOutcomeLines + 500).Select(i => $"train: boosting round {i}");
        _api.Script = _ => new FakeJobScript
        {
            ExitCode = 1,
            Log = ["train: reading (10%)", "error: the tracking server is unreachable"],
            NextPod = new FakeJobScript
            {
                Log =
                [
                    .. progress,
                    "{",
                    "  \"run_id\": \"abc123\",",
                    "  \"model_uri\": \"runs:/abc123/model\",",
                    "  \"metrics\": { \"auc\": 0.912 }",
                    "}",
                ],
            },
        };
        var log = new InMemoryStepLog();

        var result = await Executor(backoffLimit: 1).ExecuteAsync(Invocation(log, "train"), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("abc123", result.Outputs["run_id"]);
        Assert.Equal("runs:/abc123/model", result.Outputs["model_uri"]);
        Assert.Equal("0.912", result.Outputs["value"]);
        var stdout = log.Lines.Where(l => l.Stream == StepLogStream.Stdout).Select(l => l.Line).ToList();
        Assert.Equal(2 + JobWatch.MaxOutcomeLines + 500 + 5, stdout.Count);
        Assert.Equal("error: the tracking server is unreachable", stdout[1]);
    }

    [Fact]
    public async Task ExecuteAsync_TrainStepRetriedWithoutOutcome_IgnoresTheFailedPodsOutcome()
    {
        _api.Script = _ => new FakeJobScript
        {
            // The first attempt got as far as printing an outcome, then failed.
            ExitCode = 1,
            Log = ["{", "  \"run_id\": \"stale\",", "  \"model_uri\": \"runs:/stale/model\"", "}"],
            NextPod = new FakeJobScript { Log = ["train: done, no outcome printed"] },
        };

        var result = await Executor(backoffLimit: 1).ExecuteAsync(Invocation(new InMemoryStepLog(), "train"), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.False(result.Outputs.ContainsKey("run_id"));
        Assert.False(result.Outputs.ContainsKey("model_uri"));
    }

    [Fact]
    public async Task JobWatch_KeepsOnlyABoundedTailAndOnlyForTrainSteps()
    {
        var text = string.Join('\n', Enumerable.Range(0, JobWatch.MaxOutcomeLines + 10).Select(i => $"line {i}")) + "\n";
        var trainLog = new InMemoryStepLog();
        await using var train = new JobWatch(Invocation(trainLog, "train"), "job");
        var commandLog = new InMemoryStepLog();
        await using var command = new JobWatch(Invocation(commandLog), "job");

        await train.CopyRemainingAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), CancellationToken.None);
        await command.CopyRemainingAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), CancellationToken.None);

        Assert.Equal(JobWatch.MaxOutcomeLines, train.OutcomeLines.Count);
        Assert.Equal("line 10", train.OutcomeLines[0]);
        Assert.Equal($"line {JobWatch.MaxOutcomeLines + 9}", train.OutcomeLines[^1]);
        Assert.Empty(command.OutcomeLines);
        // The step log still gets every line.
        Assert.Equal(JobWatch.MaxOutcomeLines + 10, trainLog.Lines.Count(l => l.Stream == StepLogStream.Stdout));
        Assert.Equal(JobWatch.MaxOutcomeLines + 10, commandLog.Lines.Count(l => l.Stream == StepLogStream.Stdout));
    }

    [Fact]
    public async Task RunAsync_PipelineOnKubernetes_PassesOutputsBetweenJobsAndDeletesTimedOutJob()
    {
        const string yaml = """
            name: churn
            steps:
              - id: prepare
                uses: command
                run: ["python", "prepare.py"]
                outputs: [rows]
              - id: fit
                uses: command
                needs: [prepare]
                run: ["python", "fit.py", "--rows", "${{ steps.prepare.outputs.rows }}"]
                timeout: 1s
            """;
        _api.Script = job => job.Metadata.Labels["slipway.dev/step"] == "prepare"
            ? new FakeJobScript { TerminationMessage = "rows=1000\n" }
            : new FakeJobScript { ExitCode = null };
        var (definition, problems) = PipelineParser.Parse(yaml, "churn.yaml");
        Assert.Empty(problems);
        var runner = new PipelineRunner(new Dictionary<string, IStepExecutor> { ["command"] = Executor() });

        var result = await runner.RunAsync(definition!, new PipelineRunRequest { RunId = "run-9", WorkingDirectory = "." });

        Assert.Equal(StepStatus.Succeeded, result.Steps["prepare"].Status);
        Assert.Equal(StepStatus.TimedOut, result.Steps["fit"].Status);
        var fit = _api.Created.Single(j => j.Metadata.Labels["slipway.dev/step"] == "fit");
        Assert.Equal(["python", "fit.py", "--rows", "1000"], fit.Spec.Template.Spec.Containers[0].Command);
        Assert.Equal([(fit.Metadata.Name, (string?)"Background")], _api.Deletions);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
            await Task.Delay(10, timeout.Token);
    }
}
