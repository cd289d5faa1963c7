using Slipway.Core.Errors;
using Slipway.Monitoring.InferenceLog;
using Slipway.Serving.Logging;
using static Slipway.Monitoring.Tests.InferenceLog.DuckDbInferenceWindowSourceTests;
using static Slipway.Monitoring.Tests.InferenceLog.InferenceLogKit;

namespace Slipway.Monitoring.Tests.InferenceLog;

/// <summary>The feedback join and the argument checks of <see cref="DuckDbInferenceWindowSource"/>.</summary>
public sealed class InferenceWindowFeedbackTests : IDisposable
{
    private static readonly DateOnly Day1 = new(2026, 5, 1);
    private static readonly DateOnly Day2 = new(2026, 5, 2);

    private readonly InferenceLogKit _kit = new();
    private readonly DuckDbInferenceWindowSource _source;

    public InferenceWindowFeedbackTests() => _source = new DuckDbInferenceWindowSource(_kit.Store);

    public void Dispose() => _kit.Dispose();

    [Fact]
    public async Task ReadAsync_JoinFeedback_TakesTheLatestLabelPerRowWhereAWholeRequestLabelCountsForEveryRow()
    {
        double[][] twoRows = [[1, 0], [2, 0]];
        await _kit.WriteAsync(
        [
            Request("whole-then-row", At(Day1, 10), twoRows, [0, 0]),
            Request("row-then-whole", At(Day1, 20), twoRows, [0, 0]),
            Request("relabelled", At(Day1, 30), twoRows, [0, 0]),
            Request("unlabelled", At(Day1, 40), twoRows, [0, 0]),
        ]);
        await _kit.AddFeedbackAsync(At(Day1, 50), new FeedbackLabel("whole-then-row", null, "a"), new FeedbackLabel("row-then-whole", 0, "x"), new FeedbackLabel("relabelled", 0, "p"));
        // Received the next day: filed under another day folder, still joined.
        await _kit.AddFeedbackAsync(At(Day2, 5), new FeedbackLabel("whole-then-row", 1, "b"), new FeedbackLabel("row-then-whole", null, "y"), new FeedbackLabel("relabelled", 0, "q"));

        var window = await _source.ReadAsync(Query(At(Day1, 0), At(Day2, 0), ["in_x_0"]) with { JoinFeedback = true }, CancellationToken.None);

        Assert.Equal(8, window.Frame.RowCount);
        Assert.Equal(new[] { "a", "b", "y", "y", "q", null, null, null }, window.Frame.Find(DuckDbInferenceWindowSource.LabelColumn)!.Strings!.AsEnumerable());
        // The join keeps the log's order, so labels stay beside their rows.
        Assert.Equal([1.0, 2, 1, 2, 1, 2, 1, 2], window.Frame.Find("in_x_0")!.Numbers!);
    }

    [Fact]
    public async Task ReadAsync_JoinFeedbackOnASample_LabelsTheSampledRows()
    {
        await _kit.WriteAsync(Enumerable.Range(0, 2_000).Select(i => Single("r" + i, At(Day1, i), i)));
        var labels = Enumerable.Range(0, 2_000).Where(i => i % 2 == 0).Select(i => new FeedbackLabel("r" + i, null, "v" + i)).ToArray();
        await _kit.AddFeedbackAsync(At(Day1, 3_000), labels);

        var window = await _source.ReadAsync(Query(At(Day1, 0), At(Day2, 0), ["in_x_0"]) with { MaxRows = 500, JoinFeedback = true }, CancellationToken.None);

        Assert.True(window.Sampled);
        var values = window.Frame.Find("in_x_0")!.Numbers!;
        var joined = window.Frame.Find("label")!.Strings!;
        Assert.Equal(500, values.Length);
        for (var i = 0; i < values.Length; i++)
            Assert.Equal(values[i] % 2 == 0 ? "v" + values[i] : null, joined[i]);
    }

    [Fact]
    public async Task ReadAsync_JoinFeedbackWithoutAnyFeedback_GivesANullLabelColumn()
    {
        await _kit.WriteAsync([Single("a", At(Day1, 10), 1)]);

        var window = await _source.ReadAsync(Query(At(Day1, 0), At(Day2, 0), []) with { JoinFeedback = true }, CancellationToken.None);

        Assert.Equal(["label"], window.Frame.Columns.Select(c => c.Name));
        Assert.Equal(new string?[] { null }, window.Frame.Find("label")!.Strings!.AsEnumerable());
    }

    [Theory]
    [InlineData("label")]
    [InlineData("in_x\"; DROP TABLE t; --")]
    [InlineData("in_")]
    [InlineData("request_id")]
    [InlineData("IN_X_0")]
    public async Task ReadAsync_ColumnThatIsNotAFlatLogColumn_ThrowsInvalidParameter(string column)
    {
        var error = await Assert.ThrowsAsync<SlipwayException>(() => _source.ReadAsync(Query(At(Day1, 0), At(Day2, 0), [column]), CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains(column, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_BadWindowOrEndpointOrMaxRows_ThrowsInvalidParameter()
    {
        var query = Query(At(Day1, 0), At(Day2, 0), ["in_x_0"]);
        InferenceWindowQuery[] bad =
        [
            query with { To = query.From },
            query with { From = query.To.AddSeconds(1) },
            query with { Endpoint = "../other" },
            query with { MaxRows = 0 },
        ];

        foreach (var badQuery in bad)
        {
            var error = await Assert.ThrowsAsync<SlipwayException>(() => _source.ReadAsync(badQuery, CancellationToken.None));
            Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        }
        var listError = await Assert.ThrowsAsync<SlipwayException>(() => DuckDbInferenceWindowSource.ListColumnsAsync(_kit.Store, Endpoint, query.To, query.From, CancellationToken.None));
        Assert.Equal(ErrorCode.InvalidParameterValue, listError.Code);
    }
}
