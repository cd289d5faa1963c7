using System.Globalization;
using DuckDB.NET.Data;

namespace Slipway.Testing;

/// <summary>Reads a test server's Parquet inference log the way monitors do (DuckDB over the date partitions).</summary>
public static class InferenceLogProbe
{
    /// <summary>Waits until the background writer has flushed at least <paramref name="expected"/> rows of
    /// <paramref name="endpoint"/>'s log, or fails after <paramref name="timeout"/> (default 60 s) saying how many it holds.</summary>
    public static async Task WaitForRowsAsync(SlipwayTestServer server, string endpoint, int expected, TimeSpan? timeout = null)
    {
        var glob = Path.Combine(server.DataDirectory, "artifacts", "inference-logs", endpoint, "date=*", "*.parquet");
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        long rows = 0;
        while (rows < expected)
        {
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException($"The inference log of '{endpoint}' holds {rows} rows, expected {expected}.");
            await Task.Delay(100);
            try
            {
                using var connection = new DuckDBConnection("Data Source=:memory:");
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = $"SELECT count(*) FROM read_parquet('{glob}')";
                rows = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            }
            catch (DuckDBException)
            {
                // No segment written yet.
            }
        }
    }
}
