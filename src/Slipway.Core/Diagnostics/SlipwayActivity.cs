using System.Diagnostics;

namespace Slipway.Core.Diagnostics;

/// <summary>
/// The <see cref="ActivitySource"/> the modules start their own spans on (inference, monitor runs, pipeline steps).
/// With no listener (tracing off, the default) <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns
/// null and each helper here costs one branch, so the hot path pays nothing for tracing it does not use.
/// </summary>
public static class SlipwayActivity
{
    /// <summary>Name of the source; the host subscribes to it when tracing is enabled.</summary>
    public const string SourceName = "Slipway";

    /// <summary>Span name of one model execution for a routed inference request.</summary>
    public const string InferenceSpanName = "slipway.inference";

    /// <summary>Span name of one monitor run.</summary>
    public const string MonitorRunSpanName = "slipway.monitor.run";

    /// <summary>Span name of one pipeline step.</summary>
    public const string PipelineStepSpanName = "slipway.pipeline.step";

    /// <summary>The shared source; modules call the helpers below rather than starting spans with ad-hoc names.</summary>
    public static ActivitySource Source { get; } = new(SourceName, typeof(SlipwayActivity).Assembly.GetName().Version?.ToString());

    /// <summary>A span around one model execution of an endpoint's route; null when nobody listens.</summary>
    public static Activity? StartInference(string endpoint, string route, string modelVersion)
    {
        var activity = Source.StartActivity(InferenceSpanName, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("slipway.endpoint", endpoint);
            activity.SetTag("slipway.route", route);
            activity.SetTag("slipway.model_version", modelVersion);
        }
        return activity;
    }

    /// <summary>A span around one monitor run; <paramref name="trigger"/> is manual, schedule or api.</summary>
    public static Activity? StartMonitorRun(string monitor, string trigger)
    {
        var activity = Source.StartActivity(MonitorRunSpanName, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("slipway.monitor", monitor);
            activity.SetTag("slipway.trigger", trigger);
        }
        return activity;
    }

    /// <summary>A span around one step of a pipeline run; <paramref name="uses"/> is the step's executor.</summary>
    public static Activity? StartPipelineStep(string pipelineRun, string step, string uses)
    {
        var activity = Source.StartActivity(PipelineStepSpanName, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("slipway.pipeline_run", pipelineRun);
            activity.SetTag("slipway.step", step);
            activity.SetTag("slipway.step_uses", uses);
        }
        return activity;
    }
}
