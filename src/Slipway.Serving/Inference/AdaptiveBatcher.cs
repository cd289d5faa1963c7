using System.Threading.Channels;
using Slipway.Core.Errors;

namespace Slipway.Serving.Inference;

/// <summary>
/// Adaptive batching in front of one loaded model (Triton's dynamic batching semantics): requests queue; a runner
/// takes the oldest, then gathers compatible requests (same inputs, types, non-batch dimensions and requested
/// outputs) until <see cref="BatchOptions.MaxBatchSize"/> rows or <see cref="BatchOptions.MaxQueueDelay"/> has passed,
/// runs them as one batch along the first dimension and hands each request its own rows. The queue is bounded:
/// beyond <see cref="BatchOptions.MaxQueueSize"/> waiting requests a request fails at once with
/// <c>REQUEST_LIMIT_EXCEEDED</c> (429 / RESOURCE_EXHAUSTED) instead of growing latency without bound.
/// </summary>
public sealed class AdaptiveBatcher : IAsyncDisposable
{
    private readonly ILoadedModel _model;
    private readonly BatchOptions _options;
    private readonly Channel<Pending> _queue;
    private readonly Task[] _runners;
    private readonly CancellationTokenSource _stop = new();
    private Pending? _carried;
    private readonly Lock _carriedLock = new();

    public AdaptiveBatcher(ILoadedModel model, BatchOptions options)
    {
        _model = model;
        _options = options;
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(options.MaxQueueSize)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = false,
            SingleReader = options.Runners == 1,
        });
        _runners = new Task[options.Runners];
        for (var i = 0; i < _runners.Length; i++)
            _runners[i] = Task.Run(RunLoopAsync);
    }

    /// <summary>Requests waiting for a runner.</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>Called with the number of rows of every batch run (for the batch-size histogram).</summary>
    public Action<int>? BatchRan { get; init; }

    public Task<IReadOnlyList<Tensor>> RunAsync(IReadOnlyList<Tensor> inputs, IReadOnlyList<string>? requestedOutputs, CancellationToken ct)
    {
        var pending = new Pending(inputs, requestedOutputs, Rows(inputs));
        if (!_queue.Writer.TryWrite(pending))
            throw new SlipwayException(ErrorCode.RequestLimitExceeded,
                $"The batching queue is full ({_options.MaxQueueSize} requests waiting); retry later.");
        return ct.CanBeCanceled ? pending.Completion.Task.WaitAsync(ct) : pending.Completion.Task;
    }

    private async Task RunLoopAsync()
    {
        var batch = new List<Pending>();
        while (!_stop.IsCancellationRequested)
        {
            batch.Clear();
            Pending first;
            try
            {
                first = TakeCarried() ?? await _queue.Reader.ReadAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ChannelClosedException)
            {
                break;
            }
            batch.Add(first);
            await GatherAsync(batch, first);
            try
            {
                Execute(batch);
            }
            catch (Exception e)
            {
                foreach (var pending in batch)
                    pending.Completion.TrySetException(e);
            }
        }
    }

    /// <summary>Adds compatible queued requests until the batch is full or the delay since the first one has passed.</summary>
    private async Task GatherAsync(List<Pending> batch, Pending first)
    {
        var rows = first.Rows;
        if (rows >= _options.MaxBatchSize)
            return;
        // Monotonic: a wall-clock step must not stretch or cut the batching window.
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (rows < _options.MaxBatchSize)
        {
            if (_queue.Reader.TryRead(out var next))
            {
                if (!Compatible(first, next) || rows + next.Rows > _options.MaxBatchSize)
                {
                    Carry(next);
                    return;
                }
                batch.Add(next);
                rows += next.Rows;
                continue;
            }
            var remaining = _options.MaxQueueDelay - System.Diagnostics.Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
                return;
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            wait.CancelAfter(remaining);
            try
            {
                if (!await _queue.Reader.WaitToReadAsync(wait.Token))
                    return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Execute(List<Pending> batch)
    {
        if (batch.Count == 1)
        {
            var single = batch[0];
            single.Completion.TrySetResult(RunModel(single.Inputs, single.RequestedOutputs, single.Rows));
            return;
        }
        var total = 0;
        foreach (var pending in batch)
            total += pending.Rows;
        var inputs = new List<Tensor>(batch[0].Inputs.Count);
        for (var i = 0; i < batch[0].Inputs.Count; i++)
            inputs.Add(Concatenate(batch, i, total));
        var outputs = RunModel(inputs, batch[0].RequestedOutputs, total);
        if (outputs.Any(o => o.Shape.Length == 0 || o.Shape[0] != total))
        {
            // An output without the batch as its first dimension cannot be split by rows: run each request alone.
            foreach (var pending in batch)
                pending.Completion.TrySetResult(RunModel(pending.Inputs, pending.RequestedOutputs, pending.Rows));
            return;
        }
        var offset = 0;
        foreach (var pending in batch)
        {
            var slices = new List<Tensor>(outputs.Count);
            foreach (var output in outputs)
                slices.Add(Slice(output, offset, pending.Rows));
            offset += pending.Rows;
            pending.Completion.TrySetResult(slices);
        }
    }

    private IReadOnlyList<Tensor> RunModel(IReadOnlyList<Tensor> inputs, IReadOnlyList<string>? outputs, int rows)
    {
        BatchRan?.Invoke(rows);
        var run = _model.RunAsync(inputs, outputs, CancellationToken.None);
        return run.IsCompletedSuccessfully ? run.Result : run.AsTask().GetAwaiter().GetResult();
    }

    private static Tensor Concatenate(List<Pending> batch, int inputIndex, int totalRows)
    {
        var template = batch[0].Inputs[inputIndex];
        var rowSize = RowSize(template);
        var data = Array.CreateInstance(template.Data.GetType().GetElementType()!, checked(totalRows * rowSize));
        var at = 0;
        foreach (var pending in batch)
        {
            var part = pending.Inputs[inputIndex].Data;
            Array.Copy(part, 0, data, at, part.Length);
            at += part.Length;
        }
        var shape = (long[])template.Shape.Clone();
        shape[0] = totalRows;
        return new Tensor(template.Name, template.DataType, shape, data);
    }

    private static Tensor Slice(Tensor output, int firstRow, int rows)
    {
        var rowSize = RowSize(output);
        var data = Array.CreateInstance(output.Data.GetType().GetElementType()!, rows * rowSize);
        Array.Copy(output.Data, firstRow * rowSize, data, 0, rows * rowSize);
        var shape = (long[])output.Shape.Clone();
        shape[0] = rows;
        return new Tensor(output.Name, output.DataType, shape, data);
    }

    private static int RowSize(Tensor tensor) => tensor.Shape.Length <= 1 ? 1 : (int)ShapeMath.ElementCount(tensor.Shape.AsSpan(1));

    private static int Rows(IReadOnlyList<Tensor> inputs) => inputs.Count == 0 || inputs[0].Shape.Length == 0 ? 1 : (int)inputs[0].Shape[0];

    private static bool Compatible(Pending a, Pending b)
    {
        if (a.Inputs.Count != b.Inputs.Count || !SameOutputs(a.RequestedOutputs, b.RequestedOutputs))
            return false;
        for (var i = 0; i < a.Inputs.Count; i++)
        {
            var x = a.Inputs[i];
            var y = b.Inputs[i];
            if (x.Name != y.Name || x.DataType != y.DataType || x.Shape.Length != y.Shape.Length || x.Shape.Length == 0)
                return false;
            for (var d = 1; d < x.Shape.Length; d++)
            {
                if (x.Shape[d] != y.Shape[d])
                    return false;
            }
        }
        return true;
    }

    private static bool SameOutputs(IReadOnlyList<string>? a, IReadOnlyList<string>? b)
    {
        if ((a is null || a.Count == 0) && (b is null || b.Count == 0))
            return true;
        return a is not null && b is not null && a.SequenceEqual(b);
    }

    /// <summary>A request that did not fit the batch being gathered starts the next one (it keeps its place).</summary>
    private void Carry(Pending pending)
    {
        lock (_carriedLock)
        {
            if (_carried is null)
            {
                _carried = pending;
                return;
            }
        }
        // Another runner already holds a carried request: run this one alone right away.
        try
        {
            pending.Completion.TrySetResult(RunModel(pending.Inputs, pending.RequestedOutputs, pending.Rows));
        }
        catch (Exception e)
        {
            pending.Completion.TrySetException(e);
        }
    }

    private Pending? TakeCarried()
    {
        lock (_carriedLock)
        {
            var carried = _carried;
            _carried = null;
            return carried;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        await Task.WhenAll(_runners).ConfigureAwait(false);
        var unavailable = new SlipwayException(ErrorCode.TemporarilyUnavailable, "The model was unloaded before the request ran; retry.");
        while (_queue.Reader.TryRead(out var pending))
            pending.Completion.TrySetException(unavailable);
        TakeCarried()?.Completion.TrySetException(unavailable);
        _stop.Dispose();
    }

    private sealed record Pending(IReadOnlyList<Tensor> Inputs, IReadOnlyList<string>? RequestedOutputs, int Rows)
    {
        public TaskCompletionSource<IReadOnlyList<Tensor>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>Batching settings of one model on one endpoint; <see cref="Runners"/> batches may run at once.</summary>
public sealed record BatchOptions(int MaxBatchSize, TimeSpan MaxQueueDelay, int MaxQueueSize, int Runners);
