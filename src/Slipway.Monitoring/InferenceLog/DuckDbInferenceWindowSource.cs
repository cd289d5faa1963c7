using DuckDB.NET.Data;
using Slipway.Artifacts;
using Slipway.Core.Errors;
using Slipway.Serving.Logging;

namespace Slipway.Monitoring.InferenceLog;

/// <summary>
/// Reads inference-log windows from the Parquet segments the serving module writes to the artifact store, with an
/// in-process DuckDB: in place for a local store, from an <see cref="InferenceSegmentCache"/> of copies for an object
/// store. Only the day folders overlapping the window are read. A window larger than
/// <see cref="InferenceWindowQuery.MaxRows"/> is sampled uniformly and repeatably (the rows with the smallest hash
/// of request id, row and route), so memory is bounded by the sample, not by the traffic.
/// </summary>
/// <param name="store">Where the log is.</param>
/// <param name="cache">Copies of segments when <paramref name="store"/> is not a local folder; null for a temporary folder.</param>
public sealed partial class DuckDbInferenceWindowSource(IArtifactStore store, InferenceSegmentCache? cache = null) : IInferenceWindowSource
{
    private readonly Lazy<InferenceSegmentCache> _cache = new(() => cache ?? InferenceSegmentCache.Create(null));

    /// <summary>The string column holding the joined feedback label.</summary>
    public const string LabelColumn = "label";

    /// <exception cref="SlipwayException">INVALID_PARAMETER_VALUE for an endpoint name that is not a log folder, From ≥ To, MaxRows ≤ 0, or a column not named <c>in_*</c>/<c>out_*</c>.</exception>
    public async Task<InferenceWindow> ReadAsync(InferenceWindowQuery query, CancellationToken ct)
    {
        Validate(query.Endpoint, query.From, query.To);
        if (query.MaxRows <= 0)
            throw SlipwayException.InvalidParameter($"MaxRows must be positive, not {query.MaxRows}.");
        foreach (var column in query.Columns)
        {
            if (!InferenceWindowSql.IsFlatColumn(column))
                throw SlipwayException.InvalidParameter($"'{column}' is not an inference-log feature or prediction column; those are named in_<input>_<j> or out_<output>[_k].");
        }

        var segments = await InferenceLogFiles.SegmentsAsync(store, query.Endpoint, query.From, query.To, ct);
        if (segments.Count == 0)
            return new InferenceWindow(WindowFrameReader.Empty([], [], query.JoinFeedback), 0, false, [], new Dictionary<string, long>());
        using var files = await LocalFilesAsync(segments, ct);
        using var feedback = await LocalFilesAsync(query.JoinFeedback ? await InferenceLogFiles.FeedbackAsync(store, query.Endpoint, query.From, ct) : [], ct);
        // DuckDB's API is synchronous; the read takes seconds on a busy day, so it runs off the caller's thread.
        return await Task.Run(() => Read(query, files.Paths, feedback.Paths, ct), ct);
    }

    /// <summary>
    /// The flat columns (<c>in_*</c>, <c>out_*</c>) of every segment overlapping [<paramref name="from"/>,
    /// <paramref name="to"/>), read from the files' footers only; for monitors that name no features.
    /// </summary>
    public async Task<IReadOnlyList<string>> ListColumnsAsync(string endpoint, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        Validate(endpoint, from, to);
        var segments = await InferenceLogFiles.SegmentsAsync(store, endpoint, from, to, ct);
        if (segments.Count == 0)
            return [];
        using var files = await LocalFilesAsync(segments, ct);
        return await Task.Run(() =>
        {
            using var connection = Open();
            return DescribeFlatColumns(connection, files.Paths, ct).Names;
        }, ct);
    }

    /// <inheritdoc cref="ListColumnsAsync(string, DateTimeOffset, DateTimeOffset, CancellationToken)"/>
    public static Task<IReadOnlyList<string>> ListColumnsAsync(IArtifactStore store, string endpoint, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        new DuckDbInferenceWindowSource(store).ListColumnsAsync(endpoint, from, to, ct);

    /// <summary>Files DuckDB can open: a local store's own files, or cached copies of an object store's.</summary>
    private async Task<InferenceSegmentCache.SegmentLease> LocalFilesAsync(List<SegmentFile> segments, CancellationToken ct)
    {
        if (store is LocalArtifactStore local)
            return new InferenceSegmentCache.SegmentLease(null, segments.ConvertAll(s => InferenceLogFiles.CheckNoGlob(local.Root, Path.Combine(local.Root, s.StorePath))));
        return segments.Count == 0 ? new InferenceSegmentCache.SegmentLease(null, []) : await _cache.Value.AcquireAsync(store, segments, ct);
    }

    private static InferenceWindow Read(InferenceWindowQuery query, List<string> files, List<string> feedback, CancellationToken ct)
    {
        using var connection = Open();
        var (available, text) = DescribeFlatColumns(connection, files, ct);
        var present = new HashSet<string>(available, StringComparer.Ordinal);
        var columns = query.Columns.Where(present.Contains).Distinct(StringComparer.Ordinal).ToList();
        var isText = columns.ConvertAll(text.Contains);

        var versions = CountByVersion(connection, query, files, ct);
        var rowsSeen = versions.Values.Sum();
        var sampled = rowsSeen > query.MaxRows;
        var capacity = (int)Math.Min(rowsSeen, query.MaxRows);
        if (capacity == 0 || (columns.Count == 0 && !query.JoinFeedback))
            return new InferenceWindow(WindowFrameReader.Empty(columns, isText, query.JoinFeedback), rowsSeen, sampled, available, versions);

        using var command = Command(connection, InferenceWindowSql.Rows(query, columns, isText, sampled, feedback.Count > 0), query, files);
        if (sampled)
            command.Parameters.Add(new DuckDBParameter(InferenceWindowSql.Cut, SampleCut(connection, query, files, ct)));
        if (query.JoinFeedback && feedback.Count > 0)
            command.Parameters.Add(new DuckDBParameter(InferenceWindowSql.FeedbackFiles, feedback));
        // Not streamed: a materialized result lets DuckDB scan on every core (5M rows to a 1M sample: 1.9 s instead
        // of 3.4 s on 2 cores) for one extra copy of the sample, which MaxRows bounds like the frame itself.
        command.UseStreamingMode = false;
        var frame = Run(command, ct, c =>
        {
            using var reader = c.ExecuteReader();
            return WindowFrameReader.Read(reader, columns, isText, query.JoinFeedback, capacity, ct);
        });
        return new InferenceWindow(frame, rowsSeen, sampled, available, versions);
    }

    /// <summary>The flat columns of the files, and which of them hold text (BYTES inputs) rather than numbers.</summary>
    private static (List<string> Names, HashSet<string> Text) DescribeFlatColumns(DuckDBConnection connection, List<string> files, CancellationToken ct)
    {
        using var command = connection.CreateCommand();
        command.CommandText = InferenceWindowSql.Describe;
        command.Parameters.Add(new DuckDBParameter(InferenceWindowSql.Files, files));
        return Run(command, ct, c =>
        {
            var names = new List<string>();
            var text = new HashSet<string>(StringComparer.Ordinal);
            using var reader = c.ExecuteReader();
            while (reader.Read())
            {
                var name = reader.GetString(0);
                if (!InferenceWindowSql.IsFlatColumn(name))
                    continue;
                names.Add(name);
                if (reader.GetString(1) == "VARCHAR")
                    text.Add(name);
            }
            return (names, text);
        });
    }

    private static Dictionary<string, long> CountByVersion(DuckDBConnection connection, InferenceWindowQuery query, List<string> files, CancellationToken ct)
    {
        using var command = Command(connection, InferenceWindowSql.CountByVersion(query), query, files);
        return Run(command, ct, c =>
        {
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            using var reader = c.ExecuteReader();
            while (reader.Read())
                counts[reader.GetString(0)] = reader.GetInt64(1);
            return counts;
        });
    }

    private static ulong SampleCut(DuckDBConnection connection, InferenceWindowQuery query, List<string> files, CancellationToken ct)
    {
        using var command = Command(connection, InferenceWindowSql.SampleCut(query), query, files);
        command.Parameters.Add(new DuckDBParameter(InferenceWindowSql.MaxRows, (long)query.MaxRows));
        return Run(command, ct, c => (ulong)c.ExecuteScalar()!);
    }
}
