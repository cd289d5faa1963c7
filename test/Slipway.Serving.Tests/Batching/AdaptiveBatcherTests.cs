using System.Collections.Concurrent;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Tests.Batching;

public sealed class AdaptiveBatcherTests
{
    [Fact]
    public async Task RunAsync_ConcurrentRequests_BatchedTogetherAndEachGetsItsOwnRows()
    {
        var model = new DoublingModel();
        await using var batcher = new AdaptiveBatcher(model, new BatchOptions(64, TimeSpan.FromMilliseconds(50), 1000, Runners: 1));

        var requests = Enumerable.Range(0, 32).Select(i => batcher.RunAsync([Row(i, i + 0.5f)], null, CancellationToken.None)).ToList();
        var answers = await Task.WhenAll(requests);

        for (var i = 0; i < answers.Length; i++)
        {
            var output = Assert.Single(answers[i]);
            Assert.Equal([1L, 2L], output.Shape);
            Assert.Equal(new[] { 2f * i, 2f * (i + 0.5f) }, (float[])output.Data);
        }
        Assert.True(model.BatchSizes.Max() > 1, "at least one run should have combined several requests");
        Assert.Equal(32, model.BatchSizes.Sum());
    }

    [Fact]
    public async Task RunAsync_MaxBatchSize_NeverExceeded()
    {
        var model = new DoublingModel();
        await using var batcher = new AdaptiveBatcher(model, new BatchOptions(8, TimeSpan.FromMilliseconds(20), 1000, Runners: 2));

        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => batcher.RunAsync([Row(i, i)], null, CancellationToken.None)));

        Assert.All(model.BatchSizes, size => Assert.InRange(size, 1, 8));
        Assert.Equal(100, model.BatchSizes.Sum());
    }

    [Fact]
    public async Task RunAsync_IncompatibleShapes_RunSeparatelyWithCorrectResults()
    {
        var model = new DoublingModel();
        await using var batcher = new AdaptiveBatcher(model, new BatchOptions(64, TimeSpan.FromMilliseconds(30), 1000, Runners: 1));

        var narrow = batcher.RunAsync([Row(1, 2)], null, CancellationToken.None);
        var wide = batcher.RunAsync([new Tensor("x", TensorDataType.Fp32, [1, 3], new[] { 1f, 2f, 3f })], null, CancellationToken.None);

        Assert.Equal(new[] { 2f, 4f }, (float[])(await narrow)[0].Data);
        Assert.Equal(new[] { 2f, 4f, 6f }, (float[])(await wide)[0].Data);
    }

    [Fact]
    public async Task RunAsync_QueueFull_RequestLimitExceededAtOnce()
    {
        var model = new DoublingModel { Gate = new ManualResetEventSlim(false) };
        await using var batcher = new AdaptiveBatcher(model, new BatchOptions(1, TimeSpan.Zero, 2, Runners: 1));
        var running = batcher.RunAsync([Row(0, 0)], null, CancellationToken.None);
        model.Started.Wait(TimeSpan.FromSeconds(10));
        var queued = new[] { batcher.RunAsync([Row(1, 1)], null, CancellationToken.None), batcher.RunAsync([Row(2, 2)], null, CancellationToken.None) };

        var error = Assert.Throws<SlipwayException>(() => { _ = batcher.RunAsync([Row(3, 3)], null, CancellationToken.None); });

        Assert.Equal(ErrorCode.RequestLimitExceeded, error.Code);
        model.Gate.Set();
        await running;
        await Task.WhenAll(queued);
    }

    [Fact]
    public async Task RunAsync_ModelThrows_EveryRequestOfTheBatchFails()
    {
        var model = new DoublingModel { Failure = new InvalidOperationException("boom") };
        await using var batcher = new AdaptiveBatcher(model, new BatchOptions(16, TimeSpan.FromMilliseconds(20), 100, Runners: 1));

        var calls = Enumerable.Range(0, 4).Select(i => batcher.RunAsync([Row(i, i)], null, CancellationToken.None)).ToList();

        foreach (var call in calls)
            await Assert.ThrowsAsync<InvalidOperationException>(() => call);
    }

    private static Tensor Row(float a, float b) => new("x", TensorDataType.Fp32, [1, 2], new[] { a, b });

    /// <summary>Doubles its FP32 input; records the rows of every run; can hold a run until released.</summary>
    private sealed class DoublingModel : ILoadedModel
    {
        public ConcurrentBag<int> BatchSizes { get; } = [];

        public ManualResetEventSlim? Gate { get; init; }

        public ManualResetEventSlim Started { get; } = new(false);

        public Exception? Failure { get; init; }

        public string Platform => "test";

        public ModelSignature Signature { get; } = new([new TensorSpec("x", TensorDataType.Fp32, [-1, -1])], [new TensorSpec("y", TensorDataType.Fp32, [-1, -1])]);

        public TimeSpan LoadTime => TimeSpan.Zero;

        public long MemoryBytes => 0;

        public ValueTask<IReadOnlyList<Tensor>> RunAsync(IReadOnlyList<Tensor> inputs, IReadOnlyList<string>? requestedOutputs, CancellationToken ct)
        {
            Started.Set();
            Gate?.Wait(TimeSpan.FromSeconds(30));
            if (Failure is not null)
                throw Failure;
            var input = inputs[0];
            BatchSizes.Add((int)input.Shape[0]);
            var data = ((float[])input.Data).Select(v => v * 2).ToArray();
            return ValueTask.FromResult<IReadOnlyList<Tensor>>([new Tensor("y", TensorDataType.Fp32, (long[])input.Shape.Clone(), data)]);
        }

        public void Dispose()
        {
            Gate?.Dispose();
            Started.Dispose();
        }
    }
}
