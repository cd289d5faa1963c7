namespace Slipway.Tracking.Domain;

/// <summary>Audit actions of tracking: deletions and restores, the changes that lose or bring back data.</summary>
public static class TrackingActions
{
    public const string ExperimentDeleted = "experiment.deleted";
    public const string ExperimentRestored = "experiment.restored";
    public const string ExperimentTagDeleted = "experiment_tag.deleted";
    public const string RunDeleted = "run.deleted";
    public const string RunRestored = "run.restored";
    public const string RunTagDeleted = "run_tag.deleted";
}
