using System.Data.Common;
using DuckDB.NET.Data;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Artifacts;
using Slipway.Serving.Inference;
using Slipway.Serving.Logging;

namespace Slipway.Serving.Tests.Logging;

/// <summary>A temp folder with a real <see cref="LocalArtifactStore"/>, DuckDB queries over it, and record builders.</summary>
internal sealed class LogTestKit : IDisposable
{
    public LogTestKit()
    {
        Root = Path.Combine(Path.GetTempPath(), "slipway-log-test-" + Guid.NewGuid().ToString("N"));
        Store = new LocalArtifactStore(Root);
    }

    public string Root { get; }

    public LocalArtifactStore Store { get; }

    /// <summary>The log built the way the server builds it, over <paramref name="store"/> (default: <see cref="Store"/>).</summary>
    public ServiceProvider BuildLog(InferenceLogOptions options, IArtifactStore? store = null) =>
        new ServiceCollection()
            .AddLogging()
            .AddSingleton<IArtifactStore>(store ?? Store)
            .AddSlipwayInferenceLog(options)
            .BuildServiceProvider();

    /// <summary>A glob below the artifact root, as DuckDB wants it (forward slashes).</summary>
    public string Glob(string relative) => Path.Combine(Root, relative).Replace('\\', '/');

    public List<object?[]> Query(string sql)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using DbDataReader reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    public object? Scalar(string sql) => Query(sql).Single()[0];

    public IReadOnlyList<string> Columns(string glob) =>
        Query($"DESCRIBE SELECT * FROM read_parquet('{glob}', hive_partitioning = true)").Select(r => (string)r[0]!).ToList();

    public static long UnixMilliseconds(DateOnly date, int secondOfDay) =>
        new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddSeconds(secondOfDay).ToUnixTimeMilliseconds();

    public static Tensor Fp32(string name, long[] shape, params float[] data) => new(name, TensorDataType.Fp32, shape, data);

    public static Tensor Fp64(string name, long[] shape, params double[] data) => new(name, TensorDataType.Fp64, shape, data);

    public static Tensor Int64(string name, long[] shape, params long[] data) => new(name, TensorDataType.Int64, shape, data);

    public static Tensor Bytes(string name, long[] shape, params string[] data) =>
        new(name, TensorDataType.Bytes, shape, data.Select(s => System.Text.Encoding.UTF8.GetBytes(s)).ToArray());

    public static InferenceLogRecord Record(string endpoint, string requestId, long timestamp, IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor> outputs, double latency = 1.5) =>
        new(requestId, endpoint, "primary", endpoint + "/1", timestamp, latency, inputs, outputs, Shadow: false);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>An artifact store whose writes wait at a gate: the log's writer is stuck while the test fills the queue.</summary>
internal sealed class GatedArtifactStore(IArtifactStore inner) : IArtifactStore
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource FirstWriteStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Open() => _gate.TrySetResult();

    public async Task WriteAsync(string path, Stream content, CancellationToken ct)
    {
        FirstWriteStarted.TrySetResult();
        await _gate.Task;
        await inner.WriteAsync(path, content, ct);
    }

    public Task<Stream?> OpenReadAsync(string path, CancellationToken ct) => inner.OpenReadAsync(path, ct);

    public Task<IReadOnlyList<ArtifactEntry>> ListAsync(string path, CancellationToken ct) => inner.ListAsync(path, ct);

    public Task<bool> DeleteAsync(string path, CancellationToken ct) => inner.DeleteAsync(path, ct);
}
