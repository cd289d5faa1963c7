using System.Collections.Concurrent;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Tests.Endpoints;

/// <summary>
/// A model that answers every row with <see cref="Value"/> as output <c>y</c> (FP32 <c>[N, 1]</c>) and a label
/// <c>label</c> (INT64 <c>[N]</c>); input <c>x</c> is FP32 <c>[N, 2]</c>. Running it after disposal throws, so tests
/// catch a swap that pulls a model out from under a request.
/// </summary>
internal sealed class FakeModel(float value, long label = 0, Func<Task>? beforeRun = null, Exception? failure = null) : ILoadedModel
{
    public static readonly ModelSignature FakeSignature = new(
        [new TensorSpec("x", TensorDataType.Fp32, [-1, 2])],
        [new TensorSpec("y", TensorDataType.Fp32, [-1, 1]), new TensorSpec("label", TensorDataType.Int64, [-1])]);

    private int _runs;
    private volatile bool _disposed;

    public float Value { get; } = value;

    public int Runs => Volatile.Read(ref _runs);

    public bool IsDisposed => _disposed;

    public string Platform => "fake";

    public ModelSignature Signature => FakeSignature;

    public TimeSpan LoadTime => TimeSpan.FromMilliseconds(12.5);

    public long MemoryBytes => 4096;

    public async ValueTask<IReadOnlyList<Tensor>> RunAsync(IReadOnlyList<Tensor> inputs, IReadOnlyList<string>? requestedOutputs, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Interlocked.Increment(ref _runs);
        if (beforeRun is not null)
            await beforeRun();
        if (failure is not null)
            throw failure;
        ObjectDisposedException.ThrowIf(_disposed, this);
        var rows = inputs[0].Shape[0];
        var y = new float[rows];
        Array.Fill(y, Value);
        var labels = new long[rows];
        Array.Fill(labels, label);
        return [new Tensor("y", TensorDataType.Fp32, [rows, 1], y), new Tensor("label", TensorDataType.Int64, [rows], labels)];
    }

    public void Dispose() => _disposed = true;

    public static InferenceRequest Request(int rows = 1) =>
        new(null, [new Tensor("x", TensorDataType.Fp32, [rows, 2], new float[rows * 2])], null, null);
}

/// <summary>
/// Loads "models" whose folder holds <c>model.txt</c>: a number (the model's output value) or <c>corrupt</c>. A test
/// can hold a path's load until it releases it, to look at the endpoint while a new version is loading.
/// </summary>
internal sealed class FakeModelLoader : IModelLoader
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new(StringComparer.Ordinal);

    private int _attempts;

    public ConcurrentQueue<string> Loaded { get; } = new();

    /// <summary>Loads started, failed ones included.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    public ConcurrentBag<FakeModel> Models { get; } = [];

    /// <summary>Makes loads of files whose content is <paramref name="value"/> wait until the returned source is completed.</summary>
    public TaskCompletionSource Hold(string value)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _gates[value] = gate;
        return gate;
    }

    public async Task<ILoadedModel> LoadAsync(string localPath, CancellationToken ct)
    {
        Interlocked.Increment(ref _attempts);
        var file = Directory.Exists(localPath) ? Path.Combine(localPath, "model.txt") : localPath;
        var text = (await File.ReadAllTextAsync(file, ct)).Trim();
        if (_gates.TryGetValue(text, out var gate))
            await gate.Task.WaitAsync(ct);
        if (text == "corrupt")
            throw SlipwayException.InvalidParameter("'model.txt' is not a loadable model: protobuf parsing failed.");
        var model = new FakeModel(float.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
        Loaded.Enqueue(text);
        Models.Add(model);
        return model;
    }
}
