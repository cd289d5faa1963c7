using System.Collections.Concurrent;
using Slipway.Serving.Models;

namespace Slipway.Serving.Tests.Models;

/// <summary>One model, one session, many threads: every result must still be the right one.</summary>
public sealed class OnnxModelConcurrencyTests
{
    private const int Threads = 8;
    private const int RunsPerThread = 200;

    [Theory]
    [InlineData("mixed_tabular")]
    [InlineData("logreg_breast_cancer")]
    public async Task RunAsync_EightThreadsSharingOneModel_AllResultsCorrect(string name)
    {
        var golden = GoldenModel.Read(name);
        using var model = await new OnnxModelLoader().LoadAsync(golden.ModelFile, CancellationToken.None);
        var failures = new ConcurrentQueue<string>();
        var completed = 0;
        using var start = new Barrier(Threads);

        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < RunsPerThread; i++)
            {
                // Different threads run different rows and batch sizes at the same time.
                var row = (t * 7 + i) % golden.Rows;
                var count = Math.Min(1 + (i % 3), golden.Rows - row);
                try
                {
                    var outputs = model.RunAsync(golden.InputBatch(row, count), null, CancellationToken.None).AsTask().GetAwaiter().GetResult();
                    golden.AssertOutputs(outputs, row, count);
                    Interlocked.Increment(ref completed);
                }
                catch (Exception e)
                {
                    failures.Enqueue($"thread {t} run {i}: {e.Message}");
                }
            }
        })).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());

        Assert.Empty(failures);
        Assert.Equal(Threads * RunsPerThread, completed);
    }

    [Fact]
    public async Task Dispose_WhileThreadsAreRunning_RunningCallsFinishAndLaterCallsSeeDisposed()
    {
        var golden = GoldenModel.Read("mlp_digits");
        var model = await new OnnxModelLoader().LoadAsync(golden.ModelFile, CancellationToken.None);
        var failures = new ConcurrentQueue<string>();
        int succeeded = 0, refused = 0;
        using var running = new CountdownEvent(Threads);

        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            var signalled = false;
            // Runs until the model refuses: a fixed number of runs could all finish before Dispose on a fast machine.
            for (var i = 0; i < 50_000_000; i++)
            {
                try
                {
                    var outputs = model.RunAsync(golden.InputBatch(i % golden.Rows, 1), null, CancellationToken.None).AsTask().GetAwaiter().GetResult();
                    golden.AssertOutputs(outputs, i % golden.Rows, 1);
                    Interlocked.Increment(ref succeeded);
                }
                catch (ObjectDisposedException)
                {
                    Interlocked.Increment(ref refused);
                    break;
                }
                catch (Exception e)
                {
                    failures.Enqueue($"thread {t} run {i}: {e.GetType().Name}: {e.Message}");
                }

                if (!signalled)
                {
                    running.Signal();
                    signalled = true;
                }
            }
        })).ToList();
        threads.ForEach(thread => thread.Start());
        running.Wait();
        model.Dispose();
        threads.ForEach(thread => thread.Join());

        Assert.Empty(failures);
        Assert.True(succeeded >= Threads, $"only {succeeded} runs succeeded");
        Assert.Equal(Threads, refused);
    }
}
