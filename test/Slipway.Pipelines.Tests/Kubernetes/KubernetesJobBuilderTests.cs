using k8s;
using k8s.Models;
using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Executors.Kubernetes;

namespace Slipway.Pipelines.Tests.Kubernetes;

public class KubernetesJobBuilderTests
{
    private static StepInvocation Invocation(string uses = "command", int attempt = 1) => new()
    {
        PipelineName = "churn",
        RunId = "3f2a9c1e0b7d4e5f8a6b2c9d1e0f3a4b",
        StepId = "prepare",
        Uses = uses,
        Attempt = attempt,
        Run = ["python", "prepare.py", "--rows", "1000; rm -rf /"],
        Env = new Dictionary<string, string> { ["PYTHONUNBUFFERED"] = "1" },
        WorkingDirectory = "/work",
        Log = NullStepLog.Instance,
        TrackingUri = "http://127.0.0.1:5000",
        MlflowRunId = "child-run-1",
    };

    private static V1Job RoundTripYaml(V1Job job) => KubernetesYaml.Deserialize<V1Job>(KubernetesYaml.Serialize(job));

    [Fact]
    public void Build_CommandStep_YamlRoundTripHasEveryRequiredField()
    {
        var options = new KubernetesExecutorOptions { Namespace = "ml", ServiceAccountName = "slipway-runner" };
        options.Labels["team"] = "risk";

        var job = RoundTripYaml(new KubernetesJobBuilder(options).Build(Invocation(), TimeSpan.FromSeconds(90.5)));

        Assert.Equal("batch/v1", job.ApiVersion);
        Assert.Equal("Job", job.Kind);
        Assert.Equal("ml", job.Metadata.NamespaceProperty);
        Assert.Equal(0, job.Spec.BackoffLimit);
        Assert.Equal(91, job.Spec.ActiveDeadlineSeconds);
        Assert.Equal(3600, job.Spec.TtlSecondsAfterFinished);
        var pod = job.Spec.Template.Spec;
        Assert.Equal("Never", pod.RestartPolicy);
        Assert.Equal("slipway-runner", pod.ServiceAccountName);
        var container = Assert.Single(pod.Containers);
        Assert.Equal("step", container.Name);
        Assert.Equal(KubernetesExecutorOptions.DefaultImage, container.Image);
        Assert.Equal("IfNotPresent", container.ImagePullPolicy);
        // The argv is the command itself: no shell, so "; rm -rf /" stays one harmless argument.
        Assert.Equal(["python", "prepare.py", "--rows", "1000; rm -rf /"], container.Command);
        Assert.Null(container.Args);
        var env = container.Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("http://127.0.0.1:5000", env["MLFLOW_TRACKING_URI"]);
        Assert.Equal("child-run-1", env["MLFLOW_RUN_ID"]);
        Assert.Equal("/dev/termination-log", env["SLIPWAY_OUTPUTS"]);
        Assert.Equal("prepare", env["SLIPWAY_STEP_ID"]);
        Assert.Equal("1", env["PYTHONUNBUFFERED"]);
        Assert.Equal("/dev/termination-log", container.TerminationMessagePath);
        Assert.Equal("File", container.TerminationMessagePolicy);
        Assert.Equal("500m", container.Resources.Requests["cpu"].ToString());
        Assert.Equal("512Mi", container.Resources.Requests["memory"].ToString());
        Assert.Equal("4Gi", container.Resources.Limits["memory"].ToString());
        foreach (var labels in new[] { job.Metadata.Labels, job.Spec.Template.Metadata.Labels })
        {
            Assert.Equal("slipway", labels["app.kubernetes.io/managed-by"]);
            Assert.Equal("churn", labels["slipway.dev/pipeline"]);
            Assert.Equal("3f2a9c1e0b7d4e5f8a6b2c9d1e0f3a4b", labels["slipway.dev/run-id"]);
            Assert.Equal("prepare", labels["slipway.dev/step"]);
            Assert.Equal("risk", labels["team"]);
        }
        Assert.Equal(job.Metadata.Name, job.Spec.Template.Metadata.Labels["slipway.dev/job-name"]);
    }

    [Fact]
    public void Build_CommandStep_JsonRoundTripKeepsTheManifest()
    {
        var original = new KubernetesJobBuilder(new KubernetesExecutorOptions()).Build(Invocation());

        var json = KubernetesJson.Serialize(original);
        var parsed = KubernetesJson.Deserialize<V1Job>(json);

        Assert.Contains("\"restartPolicy\":\"Never\"", json, StringComparison.Ordinal);
        Assert.Equal(original.Metadata.Name, parsed.Metadata.Name);
        Assert.Equal(original.Spec.Template.Spec.Containers[0].Command, parsed.Spec.Template.Spec.Containers[0].Command);
        Assert.Null(parsed.Spec.ActiveDeadlineSeconds);
    }

    [Fact]
    public void Build_StepEnvAndWithImage_OverrideDefaults()
    {
        var options = new KubernetesExecutorOptions { TrackingUri = "http://slipway.ml.svc:5000" };
        var invocation = Invocation() with
        {
            With = new Dictionary<string, string> { ["image"] = " python:3.12-slim " },
            Env = new Dictionary<string, string> { ["SLIPWAY_OUTPUTS"] = "/tmp/out" },
        };

        var container = new KubernetesJobBuilder(options).Build(invocation).Spec.Template.Spec.Containers[0];

        Assert.Equal("python:3.12-slim", container.Image);
        var env = container.Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("/tmp/out", env["SLIPWAY_OUTPUTS"]);
        Assert.Single(container.Env, e => e.Name == "SLIPWAY_OUTPUTS");
        Assert.Equal("http://slipway.ml.svc:5000", env["MLFLOW_TRACKING_URI"]);
    }

    [Fact]
    public void Build_TrainStep_RunsSlipwayTrainWithFlagsFromWith()
    {
        var invocation = Invocation("train") with
        {
            StepId = "fit",
            Run = [],
            With = new Dictionary<string, string>
            {
                ["data"] = "runs:/abc/data/train.parquet",
                ["label"] = "churned",
                ["task"] = "binary",
                ["register-as"] = "churn",
                ["exclude"] = "customer_id, signup_date",
                ["cv"] = "0",
            },
        };

        var container = new KubernetesJobBuilder(new KubernetesExecutorOptions()).Build(invocation).Spec.Template.Spec.Containers[0];

        Assert.Equal(KubernetesExecutorOptions.DefaultImage, container.Image);
        Assert.Equal(
            ["slipway", "train", "--data", "runs:/abc/data/train.parquet", "--label", "churned", "--task", "binary",
             "--trainer", "lightgbm", "--experiment", "churn", "--register-as", "churn",
             "--exclude", "customer_id", "--exclude", "signup_date", "--run-name", "fit", "--json"],
            container.Command);
    }

    [Theory]
    [InlineData("true", false)]
    [InlineData("yes", false)]
    [InlineData("false", true)]
    [InlineData("0", true)]
    public void Build_TrainStepWithOnnx_PassesNoOnnxOnlyWhenFalse(string onnx, bool noOnnx)
    {
        var invocation = Invocation("train") with
        {
            StepId = "fit",
            With = new Dictionary<string, string> { ["data"] = "d.csv", ["label"] = "y", ["task"] = "binary", ["onnx"] = onnx },
        };

        var command = new KubernetesJobBuilder(new KubernetesExecutorOptions()).Build(invocation).Spec.Template.Spec.Containers[0].Command;

        Assert.Equal(noOnnx, command.Contains("--no-onnx"));
        Assert.DoesNotContain("onnx", command.Where(c => c != "--no-onnx").Select(c => c.ToLowerInvariant()));
        Assert.Equal(["--run-name", "fit", "--json"], command.TakeLast(3));
    }

    [Fact]
    public void Build_TrainStepWithUnreadableOnnx_ThrowsNamingIt()
    {
        var invocation = Invocation("train") with
        {
            With = new Dictionary<string, string> { ["data"] = "d.csv", ["label"] = "y", ["task"] = "binary", ["onnx"] = "maybe" },
        };

        var e = Assert.Throws<KubernetesManifestException>(() => new KubernetesJobBuilder(new KubernetesExecutorOptions()).Build(invocation));

        Assert.Equal("step 'prepare': with: onnx = 'maybe' is not true or false", e.Message);
    }

    [Theory]
    [InlineData("colour", "does not take 'with: colour'")]
    [InlineData("min_data_in_leaf", "has no 'slipway train' flag")]
    public void Build_TrainStepWithUnusableKey_ThrowsNamingIt(string key, string expected)
    {
        var invocation = Invocation("train") with
        {
            With = new Dictionary<string, string> { ["data"] = "d.csv", ["label"] = "y", ["task"] = "binary", [key] = "5" },
        };

        var e = Assert.Throws<KubernetesManifestException>(() => new KubernetesJobBuilder(new KubernetesExecutorOptions()).Build(invocation));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_TrainStepWithoutData_ThrowsNamingTheKey()
    {
        var invocation = Invocation("train") with { With = new Dictionary<string, string> { ["label"] = "y", ["task"] = "binary" } };

        var e = Assert.Throws<KubernetesManifestException>(() => new KubernetesJobBuilder(new KubernetesExecutorOptions()).Build(invocation));

        Assert.Equal("step 'prepare' needs 'with: data'", e.Message);
    }

    [Theory]
    [InlineData("gate")]
    [InlineData("deploy")]
    public void Build_ControlPlaneKind_Throws(string uses)
    {
        var e = Assert.Throws<KubernetesManifestException>(
            () => new KubernetesJobBuilder(new KubernetesExecutorOptions()).Build(Invocation(uses)));

        Assert.Contains("control plane", e.Message, StringComparison.Ordinal);
        Assert.False(KubernetesJobBuilder.RunsAsJob(uses));
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryProblem()
    {
        var options = new KubernetesExecutorOptions { Namespace = "ML_Team", ImagePullPolicy = "Sometimes" };
        options.ResourceLimits["memory"] = "lots";

        var e = Assert.Throws<ArgumentException>(() => new KubernetesJobBuilder(options));

        Assert.Contains("namespace 'ML_Team'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'Sometimes'", e.Message, StringComparison.Ordinal);
        Assert.Contains("memory: 'lots'", e.Message, StringComparison.Ordinal);
    }
}
