using Slipway.Monitoring.Data;

namespace Slipway.Monitoring.Statistics;

/// <summary>
/// Evidently's <c>DataDriftPreset</c>: infers each column's type from the current data, cleans each side, picks the
/// default method (or the configured one), scores every column in parallel and derives the dataset share.
/// </summary>
public static class DriftCalculator
{
    /// <exception cref="Core.Errors.SlipwayException">INVALID_PARAMETER_VALUE for a column missing from either side, an unknown method name, or a method that does not apply to the column's type.</exception>
    public static DriftResult Compute(DataFrame reference, DataFrame current, DriftOptions options) =>
        throw new NotImplementedException();
}
