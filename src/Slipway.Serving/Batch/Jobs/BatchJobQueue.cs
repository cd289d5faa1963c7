using System.Collections.Concurrent;
using System.Threading.Channels;
using Slipway.Core.Errors;
using Slipway.Serving.DataPlane;

namespace Slipway.Serving.Batch.Jobs;

/// <summary>
/// The server's batch prediction jobs: accepts requests into a bounded queue that <see cref="BatchJobRunner"/> works
/// through one job at a time, and keeps every job's latest state for the REST API. Jobs live in memory only: a restart
/// forgets them, and a job queued or running at shutdown is never finished (its output, if any, stays in the store).
/// The most recent <see cref="MaxRetainedJobs"/> are kept; older finished ones are dropped.
/// </summary>
public sealed class BatchJobQueue(IModelSource models, TimeProvider time)
{
    public const int MaxQueuedJobs = 100;
    public const int MaxRetainedJobs = 1000;

    private readonly Channel<string> _queue = Channel.CreateBounded<string>(new BoundedChannelOptions(MaxQueuedJobs)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly ConcurrentDictionary<string, BatchJob> _jobs = new(StringComparer.Ordinal);
    private readonly Lock _submitLock = new();

    internal ChannelReader<string> Pending => _queue.Reader;

    /// <summary>Validates and queues a job; REQUEST_LIMIT_EXCEEDED when <see cref="MaxQueuedJobs"/> are waiting already.</summary>
    public BatchJob Submit(string model, string input, string output, int? chunkRows, string createdBy)
    {
        var request = BatchJobRequest.Create(models, model, input, output, chunkRows);
        var job = new BatchJob(Guid.NewGuid().ToString("N"), request.Model, request.Input, request.Output, request.ChunkRows,
            createdBy, time.GetUtcNow().ToUnixTimeMilliseconds());
        lock (_submitLock)
        {
            _jobs[job.Id] = job;
            if (!_queue.Writer.TryWrite(job.Id))
            {
                _jobs.TryRemove(job.Id, out _);
                throw new SlipwayException(ErrorCode.RequestLimitExceeded,
                    $"{MaxQueuedJobs} batch prediction jobs are queued already; try again when some have finished.");
            }
            DropOldJobs();
        }
        return job;
    }

    /// <summary>The job's latest state; RESOURCE_DOES_NOT_EXIST for an unknown (or forgotten) id.</summary>
    public BatchJob Get(string id) =>
        _jobs.TryGetValue(id, out var job) ? job : throw SlipwayException.NotFound($"Batch prediction job '{id}' does not exist.");

    /// <summary>The newest <paramref name="maxResults"/> jobs, newest first.</summary>
    public IReadOnlyList<BatchJob> List(int maxResults) =>
        [.. _jobs.Values.OrderByDescending(j => j.CreatedTimestamp).ThenByDescending(j => j.Id, StringComparer.Ordinal).Take(maxResults)];

    internal void Update(BatchJob job) => _jobs[job.Id] = job;

    private void DropOldJobs()
    {
        if (_jobs.Count <= MaxRetainedJobs)
            return;
        var finished = _jobs.Values.Where(j => j.IsFinished).OrderBy(j => j.CreatedTimestamp).Take(_jobs.Count - MaxRetainedJobs);
        foreach (var job in finished.ToList())
            _jobs.TryRemove(job.Id, out _);
    }
}
