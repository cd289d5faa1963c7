namespace Slipway.Monitoring.Statistics;

/// <summary>
/// One of Evidently's drift tests, e.g. <c>ks</c> or <c>psi</c>. <see cref="Score"/> returns the p-value or the
/// distance (NaN where Evidently gives NaN) and throws <see cref="DriftMethodException"/> where Evidently raises,
/// so the caller records an error for that column instead of a number.
/// </summary>
public interface IDriftMethod
{
    /// <summary>Evidently's name, e.g. <c>jensenshannon</c>.</summary>
    string Name { get; }

    /// <summary>Evidently's display name, e.g. <c>Jensen-Shannon distance</c>.</summary>
    string DisplayName { get; }

    double DefaultThreshold { get; }

    DriftRule Rule { get; }

    /// <summary>Whether Evidently registers this method for the column type (the default path may still call it on others).</summary>
    bool IsRegisteredFor(ColumnType type);

    /// <summary>False for permutation tests, whose p-value depends on a random generator.</summary>
    bool IsDeterministic => true;

    DriftScore Score(DriftSample sample);
}

/// <summary>A method's score; <see cref="Statistic"/> is the test statistic where it is informative (TVD's distance).</summary>
public readonly record struct DriftScore(double Value, double? Statistic = null);

/// <summary>The inputs cannot be tested by this method (Evidently raises here); the message says why.</summary>
public sealed class DriftMethodException(string message) : Exception(message);
