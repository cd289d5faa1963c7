using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Slipway.Artifacts;
using Slipway.Serving.Inference;
using Slipway.Serving.Logging;

namespace Slipway.Monitoring.Tests.InferenceLog;

/// <summary>
/// A temp <see cref="LocalArtifactStore"/> holding a real inference log: segments come from the serving module's
/// own writer (<see cref="ParquetInferenceLog"/>) and labels from its <see cref="FeedbackStore"/>, so the reader is
/// tested against the files production writes, not a copy of their schema.
/// </summary>
internal sealed class InferenceLogKit : IDisposable
{
    public const string Endpoint = "churn";

    public InferenceLogKit()
    {
        Root = Path.Combine(Path.GetTempPath(), "slipway-window-test-" + Guid.NewGuid().ToString("N"));
        Store = new LocalArtifactStore(Root);
    }

    public string Root { get; }

    public LocalArtifactStore Store { get; }

    public static DateTimeOffset At(DateOnly day, int secondOfDay) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddSeconds(secondOfDay);

    /// <summary>Writes the records through the serving log; each call adds one new segment per UTC day they cover.</summary>
    public async Task WriteAsync(IEnumerable<InferenceLogRecord> records)
    {
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IArtifactStore>(Store)
            .AddSlipwayInferenceLog(new InferenceLogOptions { SegmentRows = 1_000_000, FlushInterval = TimeSpan.FromMinutes(10) })
            .BuildServiceProvider();
        var log = services.GetRequiredService<ParquetInferenceLog>();
        await log.StartAsync(CancellationToken.None);
        foreach (var record in records)
            Assert.True(log.TryWrite(record));
        await log.StopAsync(CancellationToken.None);
        Assert.Equal(0, log.Dropped);
    }

    /// <summary>Stores labels as the feedback API does, received at <paramref name="receivedAt"/> (which files them by day and orders them).</summary>
    public Task AddFeedbackAsync(DateTimeOffset receivedAt, params FeedbackLabel[] labels) =>
        new FeedbackStore(Store, new FixedTime(receivedAt)).AppendAsync(Endpoint, labels, CancellationToken.None);

    /// <summary>
    /// One request of <paramref name="features"/>.Length rows: input <c>x</c> [N, D] (columns <c>in_x_0..</c>),
    /// output <c>score</c> [N] (<c>out_score</c>), plus an extra input <c>z</c> [N, 1] (<c>in_z_0</c>) when given.
    /// </summary>
    public static InferenceLogRecord Request(
        string requestId, DateTimeOffset at, double[][] features, double[] scores, string version = "1", bool shadow = false, double[]? z = null)
    {
        var rows = features.Length;
        var width = features[0].Length;
        var inputs = new List<Tensor> { new("x", TensorDataType.Fp64, [rows, width], features.SelectMany(f => f).ToArray()) };
        if (z is not null)
            inputs.Add(new Tensor("z", TensorDataType.Fp64, [rows, 1], z));
        var outputs = new List<Tensor> { new("score", TensorDataType.Fp64, [rows], scores) };
        return new InferenceLogRecord(requestId, Endpoint, shadow ? "shadow" : "primary", version, at.ToUnixTimeMilliseconds(), 2.5, inputs, outputs, shadow);
    }

    /// <summary>A one-row request whose features are (<paramref name="value"/>, <paramref name="value"/> / 2).</summary>
    public static InferenceLogRecord Single(string requestId, DateTimeOffset at, double value, string version = "1", bool shadow = false) =>
        Request(requestId, at, [[value, value / 2]], [value * 10], version, shadow);

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

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
