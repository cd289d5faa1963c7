namespace Slipway.Client;

/// <summary>A key/value tag on an experiment, a run or a dataset input.</summary>
/// <param name="Key">The tag key (at most 250 characters).</param>
/// <param name="Value">The tag value.</param>
public readonly record struct Tag(string Key, string Value);

/// <summary>A run parameter. Parameters are immutable once logged: logging a different value for the same key fails.</summary>
/// <param name="Key">The parameter key (at most 250 characters).</param>
/// <param name="Value">The parameter value (the server truncates values over 6000 characters).</param>
public readonly record struct Param(string Key, string Value);

/// <summary>One metric observation. NaN and ±Infinity are legal values.</summary>
/// <param name="Key">The metric key.</param>
/// <param name="Value">
/// The value. The server stores ±Infinity as ±<see cref="double.MaxValue"/>, so a value read back is
/// <c>±1.7976931348623157e308</c> rather than infinity; NaN round-trips as NaN.
/// </param>
/// <param name="Timestamp">Milliseconds since the Unix epoch, as given by the client.</param>
/// <param name="Step">The training step (may be negative).</param>
public readonly record struct Metric(string Key, double Value, long Timestamp, long Step);
