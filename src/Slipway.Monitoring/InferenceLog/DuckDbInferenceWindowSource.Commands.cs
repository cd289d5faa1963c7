using DuckDB.NET.Data;
using Slipway.Core.Errors;
using Slipway.Serving.Logging;

namespace Slipway.Monitoring.InferenceLog;

/// <summary>Connections, parameters, cancellation and argument checks shared by the window reads.</summary>
public sealed partial class DuckDbInferenceWindowSource
{
    private static void Validate(string endpoint, DateTimeOffset from, DateTimeOffset to)
    {
        // Throws INVALID_PARAMETER_VALUE for a name that would not be one folder.
        _ = InferenceLogPaths.EndpointFolder(endpoint);
        if (from >= to)
            throw SlipwayException.InvalidParameter($"The window's start ({from:O}) must be before its end ({to:O}).");
    }

    /// <summary>
    /// DuckDB's own buffers are capped (its default is 80% of the machine's memory): the window read shares the
    /// server with serving, and the sample it returns is what bounds monitoring's memory, not DuckDB's caches.
    /// </summary>
    public const string MemoryLimit = "512MB";

    private static DuckDBConnection Open()
    {
        var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var settings = connection.CreateCommand();
        settings.CommandText = $"SET memory_limit = '{MemoryLimit}'";
        settings.ExecuteNonQuery();
        return connection;
    }

    private static DuckDBCommand Command(DuckDBConnection connection, string sql, InferenceWindowQuery query, List<string> files)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add(new DuckDBParameter(InferenceWindowSql.Files, files));
        command.Parameters.Add(new DuckDBParameter(InferenceWindowSql.From, CeilingMilliseconds(query.From)));
        command.Parameters.Add(new DuckDBParameter(InferenceWindowSql.To, CeilingMilliseconds(query.To)));
        if (query.ModelVersion is { } version)
            command.Parameters.Add(new DuckDBParameter(InferenceWindowSql.Version, version));
        return command;
    }

    /// <summary>
    /// The log keeps whole milliseconds, so a row at millisecond t is in [from, to) exactly when
    /// ceil(from) ≤ t &lt; ceil(to); flooring would let in a row just before a start with sub-millisecond ticks.
    /// </summary>
    private static long CeilingMilliseconds(DateTimeOffset time)
    {
        var milliseconds = time.ToUnixTimeMilliseconds();
        return time.UtcTicks % TimeSpan.TicksPerMillisecond == 0 ? milliseconds : milliseconds + 1;
    }

    /// <summary>Runs a DuckDB call that <paramref name="ct"/> interrupts, reporting the interruption as cancellation.</summary>
    private static T Run<T>(DuckDBCommand command, CancellationToken ct, Func<DuckDBCommand, T> run)
    {
        ct.ThrowIfCancellationRequested();
        using var registration = ct.Register(command.Cancel);
        try
        {
            return run(command);
        }
        catch (DuckDBException) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct);
        }
    }
}
