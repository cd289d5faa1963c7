namespace Slipway.Pipelines.Tracking;

/// <summary>
/// The tags a tracked pipeline run writes. <c>mlflow.parentRunId</c> is MLflow's own nesting tag, so
/// the MLflow UI and <c>search_runs</c> show the step runs under the pipeline run.
/// </summary>
public static class PipelineRunTags
{
    public const string ParentRunId = "mlflow.parentRunId";
    public const string RunName = "mlflow.runName";
    public const string Pipeline = "slipway.pipeline";
    public const string PipelineFile = "slipway.pipeline.file";
    /// <summary>What started the run: manual, schedule, monitor_alert or model_version.</summary>
    public const string Trigger = "slipway.pipeline.trigger";
    public const string Step = "slipway.pipeline.step";
    public const string StepUses = "slipway.step.uses";
    public const string StepStatus = "slipway.step.status";
    public const string StepAttempts = "slipway.step.attempts";
    public const string StepError = "slipway.step.error";
    public const string StepCached = "slipway.step.cached";
    /// <summary>Prefix of the tags holding a step's outputs, e.g. <c>slipway.output.model_uri</c>.</summary>
    public const string OutputPrefix = "slipway.output.";

    /// <summary>Artifact folder of a step run's log, <c>logs/&lt;step&gt;.log</c>.</summary>
    public const string StepLogFolder = "logs";
    /// <summary>Artifact folder of the copies on the parent run, <c>steps/&lt;step&gt;.log</c>.</summary>
    public const string ParentLogFolder = "steps";
}
