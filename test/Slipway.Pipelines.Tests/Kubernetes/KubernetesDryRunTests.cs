using k8s;
using k8s.Models;
using Slipway.Pipelines.Definition;
using Slipway.Pipelines.Executors.Kubernetes;
using Slipway.Pipelines.Parsing;

namespace Slipway.Pipelines.Tests.Kubernetes;

public class KubernetesDryRunTests
{
    // The file lists `report` first: the dry run must still put it after the steps it needs.
    private const string Yaml = """
        name: churn
        params: {data: data/train.csv, market: eu}
        steps:
          - id: report
            uses: command
            needs: [fit]
            run: ["python", "report.py", "--model", "${{ steps.fit.outputs.model_uri }}", "--rows", "${{ steps.prepare.outputs.rows }}"]
          - id: prepare
            uses: command
            run: ["python", "prepare.py", "--data", "${{ params.data }}", "--tag", "${{ params.market }}-${{ run.id }}"]
            outputs: [rows]
            timeout: 10m
          - id: fit
            uses: train
            needs: [prepare]
            with: {data: "${{ params.data }}", label: churned, task: binary, image: "registry.local/slipway:1.2"}
          - id: gate
            uses: gate
            needs: [fit]
            with: {metric: auc, threshold: "0.8", candidate: "${{ steps.fit.outputs.model_uri }}"}
        """;

    private static PipelineDefinition Parse()
    {
        var (definition, problems) = PipelineParser.Parse(Yaml, "churn.yaml");
        Assert.Empty(problems);
        return definition!;
    }

    [Fact]
    public void Render_MultiStepPipeline_JobsParseBackInDagOrder()
    {
        var options = new KubernetesExecutorOptions { Namespace = "ml" };

        var yaml = KubernetesDryRun.Render(Parse(), new Dictionary<string, string> { ["market"] = "us" }, options, "run-7");

        var jobs = KubernetesYaml.LoadAllFromString(yaml).Cast<V1Job>().ToList();
        Assert.Equal(["prepare", "fit", "report"], jobs.Select(j => j.Metadata.Labels["slipway.dev/step"]));
        Assert.All(jobs, j => Assert.Equal("ml", j.Metadata.NamespaceProperty));
        Assert.All(jobs, j => Assert.Equal("run-7", j.Metadata.Labels["slipway.dev/run-id"]));
        var prepare = jobs[0].Spec.Template.Spec.Containers[0];
        Assert.Equal(["python", "prepare.py", "--data", "data/train.csv", "--tag", "us-run-7"], prepare.Command);
        Assert.Equal(600, jobs[0].Spec.ActiveDeadlineSeconds);
        var fit = jobs[1].Spec.Template.Spec.Containers[0];
        Assert.Equal("registry.local/slipway:1.2", fit.Image);
        Assert.Equal(["slipway", "train", "--data", "data/train.csv"], fit.Command.Take(4));
        var report = jobs[2].Spec.Template.Spec.Containers[0];
        Assert.Equal(
            ["python", "report.py", "--model", "${{ steps.fit.outputs.model_uri }}", "--rows", "${{ steps.prepare.outputs.rows }}"],
            report.Command);
    }

    [Fact]
    public void Render_ControlPlaneStep_IsACommentNotAJob()
    {
        var yaml = KubernetesDryRun.Render(Parse(), new Dictionary<string, string>(), new KubernetesExecutorOptions());

        Assert.Contains("# step 'gate' (uses: gate, needs: fit) runs in the Slipway control plane as API calls, not as a Job", yaml, StringComparison.Ordinal);
        Assert.Equal(3, KubernetesYaml.LoadAllFromString(yaml).Count);
        Assert.DoesNotContain("name: churn-gate", yaml, StringComparison.Ordinal);
        Assert.Equal(3, yaml.Split('\n').Count(l => l == "---"));
    }

    [Fact]
    public void Render_SameRunId_GivesTheSameText()
    {
        var definition = Parse();
        var parameters = new Dictionary<string, string>();

        Assert.Equal(
            KubernetesDryRun.Render(definition, parameters, new KubernetesExecutorOptions()),
            KubernetesDryRun.Render(definition, parameters, new KubernetesExecutorOptions()));
    }

    [Fact]
    public void Render_UndeclaredParameter_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => KubernetesDryRun.Render(
            Parse(), new Dictionary<string, string> { ["epochs"] = "3" }, new KubernetesExecutorOptions()));

        Assert.Contains("declares no parameter(s): epochs", e.Message, StringComparison.Ordinal);
    }
}
