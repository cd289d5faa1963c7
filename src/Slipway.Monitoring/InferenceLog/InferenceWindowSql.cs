using System.Text;
using System.Text.RegularExpressions;

namespace Slipway.Monitoring.InferenceLog;

/// <summary>
/// The DuckDB statements behind a window read. Every value (file lists, times, version, limits) is a parameter;
/// the only text spliced in is a flat column name, which must match <c>^(in|out)_[A-Za-z0-9_]+$</c> and is quoted.
/// </summary>
internal static partial class InferenceWindowSql
{
    public const string Files = "files";
    public const string FeedbackFiles = "feedback";
    public const string From = "from";
    public const string To = "to";
    public const string Version = "version";
    public const string MaxRows = "max_rows";
    public const string Cut = "cut";

    /// <summary>
    /// Segments written before an input or output existed lack its columns; union_by_name reads them as NULL.
    /// Hive partitioning is off because the files were already chosen by day.
    /// </summary>
    private const string Log = "read_parquet($files, union_by_name = true, hive_partitioning = false)";

    // A fixed key makes the sample the same on every read of the same window, so a re-run reproduces its result.
    // The route is part of it because a shadow row shares its request id and row with the primary one.
    private const string SampleKey = "hash(request_id, \"row\", route, 20240501)";

    public const string Describe = "DESCRIBE SELECT * FROM " + Log;

    [GeneratedRegex("^(in|out)_[A-Za-z0-9_]+$", RegexOptions.CultureInvariant)]
    private static partial Regex FlatColumnName();

    public static bool IsFlatColumn(string name) => FlatColumnName().IsMatch(name);

    public static string CountByVersion(InferenceWindowQuery query) =>
        $"SELECT coalesce(model_version, ''), count(*) FROM {Log} WHERE {Filter(query)} GROUP BY ALL";

    /// <summary>The largest sample key among the <c>$max_rows</c> smallest: keeping keys up to it keeps exactly that many rows.</summary>
    public static string SampleCut(InferenceWindowQuery query) =>
        $"SELECT max(k) FROM (SELECT {SampleKey} AS k FROM {Log} WHERE {Filter(query)} ORDER BY k LIMIT $max_rows)";

    /// <summary>
    /// The rows: the requested columns as DOUBLE (text ones as VARCHAR), then <c>label</c> when feedback is joined. Without a join the
    /// scan keeps the files' order; a hash join does not, so the joined read is put back into file order.
    /// </summary>
    public static string Rows(InferenceWindowQuery query, IReadOnlyList<string> columns, IReadOnlyList<bool> isText, bool sampled, bool hasFeedback)
    {
        var filter = Filter(query) + (sampled ? $" AND {SampleKey} <= $cut" : "");
        var select = new StringBuilder();
        var quoted = new StringBuilder();
        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i];
            select.Append("CAST(w.\"").Append(column).Append(isText[i] ? "\" AS VARCHAR), " : "\" AS DOUBLE), ");
            quoted.Append(", \"").Append(column).Append('"');
        }
        if (!query.JoinFeedback)
            return $"SELECT {select.ToString().TrimEnd(',', ' ')} FROM {Log} w WHERE {filter}";

        var window = $"""
            SELECT request_id, "row", filename, file_row_number{quoted}
            FROM read_parquet($files, union_by_name = true, hive_partitioning = false, filename = true, file_row_number = true)
            WHERE {filter}
            """;
        if (!hasFeedback)
            return $"SELECT {select}CAST(NULL AS VARCHAR) FROM ({window}) w";
        return $"""
            WITH w AS ({window}),
            fb AS (
                SELECT request_id, "row", label, (timestamp, filename, file_row_number) AS k
                FROM read_parquet($feedback, union_by_name = true, hive_partitioning = false, filename = true, file_row_number = true)),
            by_row AS (SELECT request_id, "row", arg_max(label, k) AS label, max(k) AS k FROM fb WHERE "row" IS NOT NULL GROUP BY request_id, "row"),
            by_request AS (SELECT request_id, arg_max(label, k) AS label, max(k) AS k FROM fb WHERE "row" IS NULL GROUP BY request_id)
            SELECT {select}CASE WHEN r.k IS NULL OR q.k > r.k THEN q.label ELSE r.label END
            FROM w
            LEFT JOIN by_row r ON r.request_id = w.request_id AND r."row" = w."row"
            LEFT JOIN by_request q ON q.request_id = w.request_id
            ORDER BY w.filename, w.file_row_number
            """;
    }

    /// <summary>The window's rows: timestamp in [$from, $to), one model version if asked, shadow rows only if asked.</summary>
    private static string Filter(InferenceWindowQuery query) =>
        "timestamp >= $from AND timestamp < $to"
        + (query.ModelVersion is null ? "" : " AND model_version = $version")
        + (query.IncludeShadow ? "" : " AND NOT shadow");
}
