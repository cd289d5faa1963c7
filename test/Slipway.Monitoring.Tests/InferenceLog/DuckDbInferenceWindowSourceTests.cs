using Slipway.Serving.Inference;
using Slipway.Serving.Logging;
using Slipway.Monitoring.Data;
using Slipway.Monitoring.InferenceLog;
using static Slipway.Monitoring.Tests.InferenceLog.InferenceLogKit;

namespace Slipway.Monitoring.Tests.InferenceLog;

public sealed class DuckDbInferenceWindowSourceTests : IDisposable
{
    private static readonly DateOnly Day1 = new(2026, 5, 1);
    private static readonly DateOnly Day2 = new(2026, 5, 2);
    private static readonly DateOnly Day3 = new(2026, 5, 3);

    private readonly InferenceLogKit _kit = new();
    private readonly DuckDbInferenceWindowSource _source;

    public DuckDbInferenceWindowSourceTests() => _source = new DuckDbInferenceWindowSource(_kit.Store);

    public void Dispose() => _kit.Dispose();

    [Fact]
    public async Task ReadAsync_WindowOverTwoDays_ReadsOnlyItsRowsWithoutShadowAndCountsVersions()
    {
        await _kit.WriteAsync(
        [
            Single("before", At(Day1, 3_599), 1),
            Single("a", At(Day1, 3_600), 2, version: "1"),
            Single("b", At(Day1, 80_000), 3, version: "2"),
            Single("shadow", At(Day1, 80_000), 4, version: "2", shadow: true),
            Single("c", At(Day2, 100), 5, version: "2"),
            Single("end", At(Day2, 7_200), 6),
        ]);
        // A day outside the window is never opened: were it read, this file would fail the query.
        Directory.CreateDirectory(Path.Combine(_kit.Root, "inference-logs", Endpoint, "date=2026-05-03"));
        await File.WriteAllTextAsync(Path.Combine(_kit.Root, "inference-logs", Endpoint, "date=2026-05-03", "part-broken.parquet"), "not parquet");

        var window = await _source.ReadAsync(Query(At(Day1, 3_600), At(Day2, 7_200), ["in_x_0", "out_score"]), CancellationToken.None);

        Assert.Equal(3, window.RowsSeen);
        Assert.False(window.Sampled);
        Assert.Equal([2.0, 3, 5], window.Frame.Find("in_x_0")!.Numbers!);
        Assert.Equal([20.0, 30, 50], window.Frame.Find("out_score")!.Numbers!);
        Assert.Equal(new Dictionary<string, long> { ["1"] = 1, ["2"] = 2 }, window.ModelVersions);
        Assert.Equal(["in_x_0", "in_x_1", "out_score"], window.AvailableColumns);
        // The broken file is really there: a window over its day does fail.
        await Assert.ThrowsAnyAsync<Exception>(() => _source.ReadAsync(Query(At(Day2, 0), At(Day3, 1), ["in_x_0"]), CancellationToken.None));
    }

    [Fact]
    public async Task ReadAsync_OneTensorPerColumn_LogsNumericAndTextColumnsByInputName()
    {
        // The signature of a model trained by `slipway train`: one [N] tensor per column, strings as BYTES.
        static InferenceLogRecord PerColumn(string id, DateTimeOffset at, float[] ages, string[] plans) =>
            new(id, Endpoint, "primary", "1", at.ToUnixTimeMilliseconds(), 1.0,
                [
                    new Tensor("age", TensorDataType.Fp32, [ages.Length], ages),
                    new Tensor("plan", TensorDataType.Bytes, [plans.Length, 1], plans.Select(p => System.Text.Encoding.UTF8.GetBytes(p)).ToArray()),
                ],
                [new Tensor("Probability", TensorDataType.Fp32, [ages.Length], ages.Select(a => a / 100).ToArray())],
                false);
        await _kit.WriteAsync([PerColumn("a", At(Day1, 10), [30, 41], ["basic", "pro"]), PerColumn("b", At(Day1, 20), [52], ["basic"])]);

        var window = await _source.ReadAsync(Query(At(Day1, 0), At(Day2, 0), ["in_age", "in_plan", "out_Probability"]), CancellationToken.None);

        Assert.Equal(["in_age", "in_plan", "out_Probability"], window.AvailableColumns);
        Assert.Equal([30.0, 41, 52], window.Frame.Find("in_age")!.Numbers!);
        Assert.Equal(["basic", "pro", "basic"], window.Frame.Find("in_plan")!.Strings!.Select(s => s!));
        Assert.Equal(ColumnDtype.String, window.Frame.Find("in_plan")!.Dtype);
    }

    [Fact]
    public async Task ReadAsync_ShadowAndVersionFilters_SelectTheMatchingRows()
    {
        await _kit.WriteAsync(
        [
            Single("a", At(Day1, 10), 1, version: "1"),
            Single("a", At(Day1, 10), 1, version: "2", shadow: true),
            Single("b", At(Day1, 20), 2, version: "2"),
        ]);
        var from = At(Day1, 0);
        var to = At(Day2, 0);

        var withShadow = await _source.ReadAsync(Query(from, to, ["in_x_0"]) with { IncludeShadow = true }, CancellationToken.None);
        var version2 = await _source.ReadAsync(Query(from, to, ["in_x_0"]) with { ModelVersion = "2" }, CancellationToken.None);
        var version2WithShadow = await _source.ReadAsync(Query(from, to, ["in_x_0"]) with { ModelVersion = "2", IncludeShadow = true }, CancellationToken.None);

        Assert.Equal(3, withShadow.RowsSeen);
        Assert.Equal(new Dictionary<string, long> { ["1"] = 1, ["2"] = 2 }, withShadow.ModelVersions);
        Assert.Equal([2.0], version2.Frame.Find("in_x_0")!.Numbers!);
        Assert.Equal(2, version2WithShadow.RowsSeen);
    }

    [Fact]
    public async Task ReadAsync_SegmentsWithDifferentFlatColumns_UnionsThemWithNaNWhereASegmentLacksOne()
    {
        await _kit.WriteAsync([Request("old", At(Day1, 10), [[1, 0.5], [2, 1.5]], [1, 0])]);
        await _kit.WriteAsync([Request("new", At(Day1, 20), [[3, 2.5]], [1], z: [7])]);

        var window = await _source.ReadAsync(Query(At(Day1, 0), At(Day2, 0), ["in_x_0", "in_x_1", "in_z_0", "out_score", "in_gone_0"]), CancellationToken.None);

        Assert.Equal(["in_x_0", "in_x_1", "out_score", "in_z_0"], window.AvailableColumns);
        Assert.Equal(["in_x_0", "in_x_1", "in_z_0", "out_score"], window.Frame.Columns.Select(c => c.Name));
        var x0 = window.Frame.Find("in_x_0")!;
        Assert.Equal([1.0, 2, 3], x0.Numbers!);
        Assert.Equal(ColumnDtype.Int64, x0.Dtype);
        Assert.Equal(ColumnDtype.Float64, window.Frame.Find("in_x_1")!.Dtype);
        var z = window.Frame.Find("in_z_0")!;
        Assert.Equal(ColumnDtype.Float64, z.Dtype);
        Assert.True(double.IsNaN(z.Numbers![0]) && double.IsNaN(z.Numbers[1]));
        Assert.Equal(7, z.Numbers[2]);
        Assert.Equal(["in_x_0", "in_x_1", "out_score", "in_z_0"], await DuckDbInferenceWindowSource.ListColumnsAsync(_kit.Store, Endpoint, At(Day1, 0), At(Day2, 0), CancellationToken.None));
    }

    [Fact]
    public async Task ReadAsync_MoreRowsThanMaxRows_TakesARepeatableUniformSampleOfExactlyMaxRows()
    {
        var records = Enumerable.Range(0, 3_000).Select(i => Single("r" + i, At(Day1, i), i, version: i % 3 == 0 ? "2" : "1"));
        await _kit.WriteAsync(records);
        var query = Query(At(Day1, 0), At(Day2, 0), ["in_x_0", "in_x_1"]) with { MaxRows = 1_000 };

        var first = await _source.ReadAsync(query, CancellationToken.None);
        var second = await _source.ReadAsync(query, CancellationToken.None);

        Assert.True(first.Sampled);
        Assert.Equal(3_000, first.RowsSeen);
        Assert.Equal(new Dictionary<string, long> { ["1"] = 2_000, ["2"] = 1_000 }, first.ModelVersions);
        var values = first.Frame.Find("in_x_0")!.Numbers!;
        Assert.Equal(1_000, values.Length);
        Assert.Equal(1_000, values.Distinct().Count());
        Assert.All(values, v => Assert.InRange(v, 0, 2_999));
        // Rows stay whole: each sampled row keeps its own second feature.
        Assert.Equal(values.Select(v => v / 2), first.Frame.Find("in_x_1")!.Numbers!);
        Assert.Equal(values, second.Frame.Find("in_x_0")!.Numbers!);
        // Every third of the log is represented about equally (a hash cut, not the first rows).
        Assert.All(new[] { 0, 1_000, 2_000 }, start => Assert.InRange(values.Count(v => v >= start && v < start + 1_000), 250, 420));
    }

    [Fact]
    public async Task ReadAsync_NoRowsInTheWindowOrNoLog_ReturnsAnEmptyFrame()
    {
        await _kit.WriteAsync([Single("a", At(Day1, 10), 1)]);

        var empty = await _source.ReadAsync(Query(At(Day1, 20), At(Day1, 30), ["in_x_0"]) with { JoinFeedback = true }, CancellationToken.None);
        var otherDay = await _source.ReadAsync(Query(At(Day3, 0), At(Day3, 60), ["in_x_0"]), CancellationToken.None);
        var noLog = await _source.ReadAsync(Query(At(Day1, 0), At(Day2, 0), ["in_x_0"]) with { Endpoint = "unknown" }, CancellationToken.None);

        Assert.Equal(0, empty.RowsSeen);
        Assert.Equal(0, empty.Frame.RowCount);
        Assert.Equal(["in_x_0", "label"], empty.Frame.Columns.Select(c => c.Name));
        Assert.Equal(0, otherDay.RowsSeen);
        Assert.Empty(otherDay.AvailableColumns);
        Assert.Equal(0, noLog.Frame.RowCount);
        Assert.Empty(noLog.ModelVersions);
    }

    [Fact]
    public async Task ReadAsync_CancelledToken_Throws()
    {
        await _kit.WriteAsync([Single("a", At(Day1, 10), 1)]);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _source.ReadAsync(Query(At(Day1, 0), At(Day2, 0), ["in_x_0"]), cancelled.Token));
    }

    internal static InferenceWindowQuery Query(DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string> columns) =>
        new(Endpoint, from, to, columns, MaxRows: 1_000_000);
}
