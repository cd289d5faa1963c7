using Slipway.Core.Pipelines;
using Slipway.Pipelines.Server;

namespace Slipway.Web.Pages.Pipelines;

/// <summary>The run page's view of a run's steps: which are running now, and which one to open first.</summary>
internal static class PipelineRunSteps
{
    private static readonly string[] SelectionOrder = ["failed", "timedout", "running", "cancelled"];

    /// <summary>The step a reader most likely came for: the first failed one, else timed out, running, cancelled, else the first.</summary>
    public static string? FirstWorthReading(IReadOnlyList<StoredStepState> steps)
    {
        foreach (var status in SelectionOrder)
        {
            if (steps.FirstOrDefault(s => s.Status == status) is { } step)
                return step.StepId;
        }
        return steps.FirstOrDefault()?.StepId;
    }

    /// <summary>
    /// The store records a step when it ends, so a step executing now is still <c>pending</c> there; one whose log
    /// this process holds has started, and is shown as running. (A step running on another replica stays pending.)
    /// </summary>
    public static List<StoredStepState> ShowRunning(PipelineRunRecord run, List<StoredStepState> steps, PipelineRunCoordinator coordinator)
    {
        if (run.Status != PipelineRunStates.Running)
            return steps;
        for (var i = 0; i < steps.Count; i++)
        {
            // Steps are stored when they end; one that is writing a log in this process has started.
            if (steps[i].Status == "pending" && coordinator.HasLiveLog(run.Id, steps[i].StepId))
                steps[i] = steps[i] with { Status = "running" };
        }
        return steps;
    }
}
