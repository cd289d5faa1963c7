using Slipway.Core.Errors;
using Slipway.Serving.Batch.Jobs;
using Slipway.Serving.DataPlane;
using Slipway.Serving.Endpoints;

namespace Slipway.Serving.Tests.Batch;

/// <summary><see cref="BatchJobQueue"/> without a runner: what it accepts, and that a full queue refuses with 429.</summary>
public sealed class JobsQueueTests
{
    private readonly BatchJobQueue _queue = new(new AnyModelSource(), TimeProvider.System);

    [Fact]
    public void Submit_QueueFull_RequestLimitExceededAndJobNotKept()
    {
        for (var i = 0; i < BatchJobQueue.MaxQueuedJobs; i++)
            Submit($"out{i}.parquet");

        var error = Assert.Throws<SlipwayException>(() => Submit("one-too-many.parquet"));

        Assert.Equal(ErrorCode.RequestLimitExceeded, error.Code);
        Assert.Equal(BatchJobQueue.MaxQueuedJobs, _queue.List(BatchJobQueue.MaxRetainedJobs).Count);
        Assert.DoesNotContain(_queue.List(BatchJobQueue.MaxRetainedJobs), j => j.Output.EndsWith("one-too-many.parquet", StringComparison.Ordinal));
    }

    [Fact]
    public void Submit_ValidRequest_QueuedWithNormalizedPathsAndDefaultChunk()
    {
        var job = _queue.Submit("models:/m/1", "mlflow-artifacts:/a//b/in.CSV", "mlflow-artifacts:/a/out.parquet", null, "alice");

        Assert.Equal(BatchJobStatus.Queued, job.Status);
        Assert.Equal("mlflow-artifacts:/a/b/in.CSV", job.Input);
        Assert.Equal(10_000, job.ChunkRows);
        Assert.Same(job, _queue.Get(job.Id));
    }

    private BatchJob Submit(string output) =>
        _queue.Submit("models:/m/1", "mlflow-artifacts:/d/in.csv", "mlflow-artifacts:/d/" + output, 10, "alice");

    private sealed class AnyModelSource : IModelSource
    {
        public void Validate(string reference)
        {
        }

        public ValueTask<ResolvedModel> ResolveAsync(string reference, CancellationToken ct) => throw new NotSupportedException();

        public Task<string> MaterializeAsync(ResolvedModel model, CancellationToken ct) => throw new NotSupportedException();
    }
}
