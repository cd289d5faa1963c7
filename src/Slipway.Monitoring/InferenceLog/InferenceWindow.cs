using Slipway.Monitoring.Data;

namespace Slipway.Monitoring.InferenceLog;

/// <summary>
/// A slice of an endpoint's inference log: rows with <c>timestamp</c> in [<see cref="From"/>, <see cref="To"/>),
/// optionally of one model version, without shadow rows unless asked. <see cref="Columns"/> are flat log columns
/// (<c>in_*</c>, <c>out_*</c>); with <see cref="JoinFeedback"/> a string column <c>label</c> holds the latest
/// feedback label per (request, row), null when none arrived.
/// </summary>
public sealed record InferenceWindowQuery(
    string Endpoint,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<string> Columns,
    int MaxRows,
    string? ModelVersion = null,
    bool IncludeShadow = false,
    bool JoinFeedback = false);

/// <summary>
/// The rows read: <see cref="Frame"/> holds the requested columns that exist (numbers as <c>Float64</c>, or
/// <c>Int64</c> when every value is whole), <see cref="RowsSeen"/> counts every row of the window even when
/// <see cref="Sampled"/> (a uniform sample of <see cref="InferenceWindowQuery.MaxRows"/> was taken),
/// <see cref="AvailableColumns"/> lists the flat columns the log has, and <see cref="ModelVersions"/> the
/// versions that answered, by row count.
/// </summary>
public sealed record InferenceWindow(
    DataFrame Frame,
    long RowsSeen,
    bool Sampled,
    IReadOnlyList<string> AvailableColumns,
    IReadOnlyDictionary<string, long> ModelVersions);

/// <summary>Reads inference-log windows for monitors.</summary>
public interface IInferenceWindowSource
{
    Task<InferenceWindow> ReadAsync(InferenceWindowQuery query, CancellationToken ct);

    /// <summary>The flat columns (<c>in_*</c>, <c>out_*</c>) the log of [<paramref name="from"/>, <paramref name="to"/>) has, read cheaply.</summary>
    Task<IReadOnlyList<string>> ListColumnsAsync(string endpoint, DateTimeOffset from, DateTimeOffset to, CancellationToken ct);
}
