using Slipway.Serving.Inference;

namespace Slipway.Serving.Models;

/// <summary>
/// What every runtime's loaded model shares: the signature and load figures, and a lifetime that lets requests
/// already running finish when the model is disposed (a route switched to a new version). The native resources
/// are freed (<see cref="Free"/>) when the last running call leaves; calls that start later throw
/// <see cref="ObjectDisposedException"/>.
/// </summary>
public abstract class SharedModel(ModelSignature signature, string sourcePath) : ILoadedModel
{
    // 1 for the owner plus 1 per running call; the model is freed when it drops to 0.
    private int _references = 1;
    private int _disposed;

    public abstract string Platform { get; }

    public ModelSignature Signature { get; } = signature;

    /// <summary>The file the model was loaded from.</summary>
    public string SourcePath { get; } = sourcePath;

    public TimeSpan LoadTime { get; private set; }

    public long MemoryBytes { get; private set; }

    public ValueTask<IReadOnlyList<Tensor>> RunAsync(IReadOnlyList<Tensor> inputs, IReadOnlyList<string>? requestedOutputs, CancellationToken ct)
    {
        try
        {
            return new ValueTask<IReadOnlyList<Tensor>>(Run(inputs, requestedOutputs, ct));
        }
        catch (Exception e)
        {
            return ValueTask.FromException<IReadOnlyList<Tensor>>(e);
        }
    }

    /// <summary>Runs the model synchronously; implementations bracket the native call with <see cref="Enter"/> and <see cref="Leave"/>.</summary>
    internal abstract Tensor[] Run(IReadOnlyList<Tensor> inputs, IReadOnlyList<string>? requestedOutputs, CancellationToken ct);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
            Leave();
        GC.SuppressFinalize(this);
    }

    internal void RecordLoad(TimeSpan loadTime, long memoryBytes)
    {
        LoadTime = loadTime;
        MemoryBytes = memoryBytes;
    }

    /// <summary>Frees the runtime's resources; called once, after the last call has left.</summary>
    protected abstract void Free();

    /// <summary>Marks a call as running; throws when the model has been unloaded.</summary>
    protected void Enter()
    {
        var current = Volatile.Read(ref _references);
        while (current > 0)
        {
            var seen = Interlocked.CompareExchange(ref _references, current + 1, current);
            if (seen == current)
                return;
            current = seen;
        }
        throw new ObjectDisposedException(GetType().Name, $"The model '{SourcePath}' has been unloaded.");
    }

    protected void Leave()
    {
        if (Interlocked.Decrement(ref _references) == 0)
            Free();
    }
}
