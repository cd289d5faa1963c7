using System.Security.Cryptography;

namespace Slipway.Artifacts.Tests.Compliance;

/// <summary>Deterministic test content, and streams that behave like request bodies (forward-only, possibly failing).</summary>
internal static class TestStreams
{
    public static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    public static async Task<byte[]?> ReadFileAsync(IArtifactStore store, string path)
    {
        var stream = await store.OpenReadAsync(path, CancellationToken.None);
        if (stream is null)
            return null;
        await using (stream)
            return await ReadAllAsync(stream);
    }

    public static Task WriteAsync(IArtifactStore store, string path, byte[] content) =>
        store.WriteAsync(path, new MemoryStream(content), CancellationToken.None);
}

/// <summary>
/// <c>length</c> pseudo-random bytes generated as they are read, never held whole, hashing what it hands out; it cannot
/// seek and does not know its length, like an HTTP request body. Optionally fails after <c>failAfter</c> bytes, or
/// stops after <c>pauseAt</c> bytes until <see cref="Resume"/> (so a test can look at what the store sent so far).
/// </summary>
internal sealed class GeneratedStream(long length, int seed, long failAfter = long.MaxValue, long pauseAt = long.MaxValue) : Stream
{
    private readonly TaskCompletionSource _paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Random _random = new(seed);
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _position;

    /// <summary>The largest single read the consumer asked for: a store that buffers the whole file asks for it all at once.</summary>
    public int LargestRead { get; private set; }

    public byte[] Hash() => _hash.GetCurrentHash();

    /// <summary>Completes when the consumer has read <c>pauseAt</c> bytes and waits for more.</summary>
    public Task Paused => _paused.Task;

    public void Resume() => _resumed.TrySetResult();

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        LargestRead = Math.Max(LargestRead, buffer.Length);
        if (_position >= failAfter)
            throw new IOException("The client went away in the middle of the upload.");
        var count = (int)Math.Min(Math.Min(buffer.Length, length - _position), failAfter - _position);
        if (count <= 0)
            return 0;
        _random.NextBytes(buffer[..count]);
        _hash.AppendData(buffer[..count]);
        _position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= pauseAt && !_resumed.Task.IsCompleted)
        {
            _paused.TrySetResult();
            await _resumed.Task.WaitAsync(cancellationToken);
        }
        if (pauseAt > _position)
            buffer = buffer[..(int)Math.Min(buffer.Length, pauseAt - _position)];
        return Read(buffer.Span);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _hash.Dispose();
        base.Dispose(disposing);
    }
}
