using System.Globalization;
using Slipway.Storage.Rows;
using Slipway.Tracking.Domain;

namespace Slipway.Storage.Tracking;

/// <summary>Explicit row → domain mapping.</summary>
internal static class RowMapping
{
    public static Experiment ToExperiment(ExperimentRow row, IReadOnlyList<Tag> tags) => new(
        row.ExperimentId.ToString(CultureInfo.InvariantCulture),
        row.Name,
        row.ArtifactLocation,
        row.LifecycleStage,
        row.CreationTime,
        row.LastUpdateTime,
        tags);

    public static RunInfo ToRunInfo(RunRow row) => new(
        row.RunUuid,
        row.ExperimentId.ToString(CultureInfo.InvariantCulture),
        row.Name,
        row.UserId,
        row.Status,
        row.StartTime,
        row.EndTime,
        row.ArtifactUri,
        row.LifecycleStage);

    public static Metric ToMetric(string key, double value, bool isNan, long timestamp, long step) =>
        new(key, isNan ? double.NaN : value, timestamp, step);
}
