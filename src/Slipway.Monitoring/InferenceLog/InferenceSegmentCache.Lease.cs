namespace Slipway.Monitoring.InferenceLog;

public sealed partial class InferenceSegmentCache
{
    private void Hold(IEnumerable<string> paths)
    {
        lock (_gate)
        {
            foreach (var path in paths)
                _inUse[path] = _inUse.GetValueOrDefault(path) + 1;
        }
    }

    private void Release(IEnumerable<string> paths)
    {
        lock (_gate)
        {
            foreach (var path in paths)
            {
                if (_inUse.TryGetValue(path, out var count) && count > 1)
                    _inUse[path] = count - 1;
                else
                    _inUse.Remove(path);
            }
        }
    }

    /// <summary>Removes the least recently used copies (never those held by a lease) until the folder fits its bound.</summary>
    private void Trim()
    {
        lock (_gate)
        {
            var files = new DirectoryInfo(_directory).EnumerateFiles("*.parquet", SearchOption.AllDirectories).ToList();
            var total = files.Sum(f => f.Length);
            if (total <= _maxBytes)
                return;
            foreach (var file in files.OrderBy(f => f.LastAccessTimeUtc))
            {
                if (total <= _maxBytes)
                    break;
                if (_inUse.ContainsKey(file.FullName))
                    continue;
                try
                {
                    file.Delete();
                    total -= file.Length;
                }
                catch (IOException)
                {
                    // Another process sharing the folder removed or holds it; the next trim tries again.
                }
            }
        }
    }

    /// <summary>Local copies of segments, kept on disk until disposed.</summary>
    internal sealed class SegmentLease(InferenceSegmentCache? cache, IReadOnlyList<string> paths) : IDisposable
    {
        private InferenceSegmentCache? _cache = cache;

        public List<string> Paths { get; } = [.. paths];

        public void Dispose()
        {
            Interlocked.Exchange(ref _cache, null)?.Release(Paths);
        }
    }
}
