namespace Slipway.Client
{
    /// <summary>A pipeline stored on the server: its YAML, what it declares, and its next scheduled slot. Times are unix ms.</summary>
    public sealed record PipelineInfo
    {
        /// <summary>The pipeline's name (<c>name:</c>).</summary>
        public required string Name { get; init; }

        /// <summary>The YAML as applied.</summary>
        public string Yaml { get; init; } = "";

        /// <summary>SHA-256 of the YAML: equal hashes mean an unchanged definition.</summary>
        public string DefinitionHash { get; init; } = "";

        /// <summary>Whether its schedules and triggers are active.</summary>
        public bool Enabled { get; init; }

        /// <summary>How many runs may be running at once; further runs wait as <c>queued</c>.</summary>
        public int Concurrency { get; init; }

        /// <summary>When it was first applied.</summary>
        public long CreationTime { get; init; }

        /// <summary>When it was last applied.</summary>
        public long LastUpdatedTime { get; init; }

        /// <summary>The next cron slot, when the pipeline has an <c>on: schedule</c>.</summary>
        public long? NextScheduleTime { get; init; }

        /// <summary>The folder on the server its runs work in unless a run names another; null for a fresh folder per run.</summary>
        public string? WorkingDirectory { get; init; }

        /// <summary>Declared parameters with their defaults.</summary>
        public Dictionary<string, string> Params { get; init; } = [];

        /// <summary>The steps in file order.</summary>
        public List<PipelineStepInfo> Steps { get; init; } = [];

        /// <summary>Its <c>on:</c> block.</summary>
        public PipelineTriggerSpec Triggers { get; init; } = new();
    }

    /// <summary>A step as declared: its id, kind and the steps it needs.</summary>
    public sealed record PipelineStepInfo(string Id, string Uses, List<string>? Needs);

    /// <summary>The <c>on:</c> block of a stored pipeline.</summary>
    public sealed record PipelineTriggerSpec
    {
        /// <summary>Cron expressions (UTC).</summary>
        public List<string> Schedule { get; init; } = [];

        /// <summary>Monitors whose alerts start the pipeline.</summary>
        public List<string> MonitorAlert { get; init; } = [];

        /// <summary>Registered models whose new versions start the pipeline.</summary>
        public List<string> ModelVersion { get; init; } = [];
    }

    /// <summary>What started a pipeline run; fields that do not apply are empty strings.</summary>
    public sealed record PipelineRunTrigger
    {
        /// <summary><c>manual</c>, <c>schedule</c>, <c>monitor_alert</c> or <c>model_version</c>.</summary>
        public string Kind { get; init; } = "manual";

        /// <summary>The monitor whose alert started the run.</summary>
        public string Monitor { get; init; } = "";

        /// <summary>The alert episode that started the run.</summary>
        public string AlertId { get; init; } = "";

        /// <summary>The registered model whose new version started the run.</summary>
        public string Model { get; init; } = "";

        /// <summary>The new model version that started the run.</summary>
        public string Version { get; init; } = "";

        /// <summary>The cron slot of a scheduled run (RFC 3339, UTC).</summary>
        public string ScheduledAt { get; init; } = "";
    }

    /// <summary>One run of a stored pipeline. <see cref="Id"/> is its MLflow parent run id. Times are unix ms.</summary>
    public sealed record PipelineRun
    {
        /// <summary>The run's id: its MLflow parent run id.</summary>
        public required string Id { get; init; }

        /// <summary>The pipeline the run belongs to.</summary>
        public string Pipeline { get; init; } = "";

        /// <summary><c>queued</c>, <c>running</c>, <c>succeeded</c>, <c>failed</c> or <c>cancelled</c>.</summary>
        public string Status { get; init; } = "";

        /// <summary>What started the run.</summary>
        public PipelineRunTrigger Trigger { get; init; } = new();

        /// <summary>The parameter overrides the run was started with.</summary>
        public Dictionary<string, string> Params { get; init; } = [];

        /// <summary>Every step in file order with its state so far.</summary>
        public List<PipelineStepRun> Steps { get; init; } = [];

        /// <summary>The MLflow experiment of the parent and child runs.</summary>
        public string? ExperimentId { get; init; }

        /// <summary>The folder the steps run in, when the request gave one.</summary>
        public string? WorkingDirectory { get; init; }

        /// <summary>When it was first applied.</summary>
        public long CreationTime { get; init; }

        /// <summary>When it started running.</summary>
        public long? StartTime { get; init; }

        /// <summary>When it ended.</summary>
        public long? EndTime { get; init; }

        /// <summary>The server process that executes (or executed) the run.</summary>
        public string? Replica { get; init; }

        /// <summary>Whether a cancel was asked for.</summary>
        public bool CancelRequested { get; init; }

        /// <summary>Why it failed or was cancelled.</summary>
        public string? Error { get; init; }

        /// <summary>True once the run has succeeded, failed or been cancelled.</summary>
        public bool IsFinished => Status is "succeeded" or "failed" or "cancelled";
    }

    /// <summary>A step of a run: status, attempts, outputs and its MLflow child run. Times are unix ms.</summary>
    public sealed record PipelineStepRun
    {
        /// <summary>The step's id.</summary>
        public required string StepId { get; init; }

        /// <summary>The step kind (<c>uses:</c>).</summary>
        public string Uses { get; init; } = "";

        /// <summary>pending, running, succeeded, cached, failed, timedout, skipped or cancelled.</summary>
        public string Status { get; init; } = "pending";

        /// <summary>How many attempts ran.</summary>
        public int Attempts { get; init; }

        /// <summary>Why it failed or was cancelled.</summary>
        public string? Error { get; init; }

        /// <summary>The outputs the step produced (or reused from the cache).</summary>
        public Dictionary<string, string> Outputs { get; init; } = [];

        /// <summary>When it started running.</summary>
        public long? StartTime { get; init; }

        /// <summary>When it ended.</summary>
        public long? EndTime { get; init; }

        /// <summary>The step's MLflow child run, once the step has finished.</summary>
        public string? RunId { get; init; }

        /// <summary>True once the step has reached a final state.</summary>
        public bool IsFinished => Status is not ("pending" or "running");
    }

    /// <summary>A step's log: live while it runs on the server, the <c>steps/&lt;id&gt;.log</c> artifact once it has finished.</summary>
    public sealed record PipelineStepLog(string StepId, string Status, string? Log);
}

namespace Slipway.Client.Protocol
{
    // Request and response bodies of Slipway's pipeline API (/api/slipway/v1/pipelines…).

    internal sealed record ApplyPipelineRequest(string Yaml, string? FileName, string? WorkingDirectory);

    internal sealed record ApplyPipelineResponse(PipelineInfo? Pipeline, bool Created);

    internal sealed record PipelineResponse(PipelineInfo? Pipeline, List<PipelineRun>? Runs);

    internal sealed record PipelinesResponse(List<PipelineInfo>? Pipelines);

    internal sealed record StartPipelineRunRequest(Dictionary<string, string>? Params, string? WorkingDirectory);

    internal sealed record PipelineRunResponse(PipelineRun? Run);

    internal sealed record PipelineRunsResponse(List<PipelineRun>? Runs, string? NextPageToken);

    internal sealed record PipelineLogsResponse(string? Status, List<PipelineStepLog>? Logs);
}
