using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Tracking;

namespace Slipway.Pipelines.Tests.Tracking;

/// <summary>The bounded in-memory step log behind live logs and step-log artifacts.</summary>
public sealed class InMemoryStepLogTests
{
    [Fact]
    public void Write_MoreThanCapacity_KeepsTheLastLinesAfterADroppedNote()
    {
        var log = new InMemoryStepLog(capacity: 3);

        for (var i = 1; i <= 5; i++)
            log.Write(i % 2 == 0 ? StepLogStream.Stderr : StepLogStream.Stdout, $"line {i}");

        Assert.Equal(2, log.Dropped);
        Assert.Equal(
            [
                (StepLogStream.System, "2 earlier line(s) dropped (only the last 3 are kept)"),
                (StepLogStream.Stdout, "line 3"),
                (StepLogStream.Stderr, "line 4"),
                (StepLogStream.Stdout, "line 5"),
            ],
            log.Lines);
        Assert.Equal("line 3\nline 5", log.Text(StepLogStream.Stdout));
        Assert.Equal("[slipway] 2 earlier line(s) dropped (only the last 3 are kept)\nline 3\n[stderr] line 4\nline 5\n",
            TrackedPipelineRun.FormatLiveLog(log));
    }

    [Fact]
    public void Write_DefaultCapacity_HoldsTenThousandLines()
    {
        var log = new InMemoryStepLog();

        for (var i = 0; i < InMemoryStepLog.DefaultCapacity + 1; i++)
            log.Write(StepLogStream.Stdout, i.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(10_000, InMemoryStepLog.DefaultCapacity);
        Assert.Equal(1, log.Dropped);
        Assert.Equal(10_001, log.Lines.Count);
        Assert.Equal("1", log.Lines[1].Line);
        Assert.Equal("10000", log.Lines[^1].Line);
    }

    [Fact]
    public void Write_UnderCapacity_NoNote()
    {
        var log = new InMemoryStepLog(capacity: 3);

        log.Write(StepLogStream.Stdout, "only");

        Assert.Equal(0, log.Dropped);
        Assert.Equal([(StepLogStream.Stdout, "only")], log.Lines);
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryStepLog(capacity: 0));
    }
}
