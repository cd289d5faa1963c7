using Slipway.Core.Errors;

namespace Slipway.Artifacts;

/// <summary>Artifacts in a local folder (written to a temporary file, then renamed into place). Symlinks below the root are refused so a link cannot lead outside it.</summary>
public sealed class LocalArtifactStore : IArtifactStore
{
    private const int CopyBufferSize = 81920;
    private readonly string _root;

    public LocalArtifactStore(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    public string Root => _root;

    public async Task WriteAsync(string path, Stream content, CancellationToken ct)
    {
        var target = Resolve(path);
        if (target == _root || Directory.Exists(target))
            throw SlipwayException.InvalidParameter($"Artifact path '{path}' is a folder, not a file.");
        var folder = Path.GetDirectoryName(target)!;
        EnsureNoFileAncestor(folder, path);
        Directory.CreateDirectory(folder);
        EnsureNoLinks(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.part");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBufferSize, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, CopyBufferSize, ct);
            }
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }

    public Task<Stream?> OpenReadAsync(string path, CancellationToken ct)
    {
        var target = Resolve(path);
        if (!File.Exists(target))
            return Task.FromResult<Stream?>(null);
        EnsureNoLinks(target);
        Stream stream = new FileStream(target, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Task.FromResult<Stream?>(stream);
    }

    public Task<ArtifactContent?> OpenReadAsync(string path, ArtifactRange? range, CancellationToken ct)
    {
        var target = Resolve(path);
        if (!File.Exists(target))
            return Task.FromResult<ArtifactContent?>(null);
        EnsureNoLinks(target);
        var file = new FileStream(target, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferSize, FileOptions.Asynchronous);
        var total = file.Length;
        // As ASP.NET Core's static files do: a replaced file is a new file (temp + rename), so its time differs.
        var eTag = $"{total:x}-{File.GetLastWriteTimeUtc(file.SafeFileHandle).Ticks:x}";
        if (range is null)
            return Task.FromResult<ArtifactContent?>(new ArtifactContent(file, 0, total, total, eTag));
        if (!range.Value.TryResolve(total, out var offset, out var length))
        {
            file.Dispose();
            throw new ArtifactRangeNotSatisfiableException(total);
        }
        file.Seek(offset, SeekOrigin.Begin);
        return Task.FromResult<ArtifactContent?>(new ArtifactContent(new BoundedReadStream(file, length), offset, length, total, eTag));
    }

    public Task<IReadOnlyList<ArtifactEntry>> ListAsync(string path, CancellationToken ct)
    {
        var folder = Resolve(path);
        if (!Directory.Exists(folder))
            return Task.FromResult<IReadOnlyList<ArtifactEntry>>([]);
        EnsureNoLinks(folder);
        var entries = new List<ArtifactEntry>();
        foreach (var info in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            if (info.LinkTarget is not null || info.Name.EndsWith(".part", StringComparison.Ordinal) && info.Name.StartsWith('.'))
                continue;
            entries.Add(info is FileInfo file
                ? new ArtifactEntry(info.Name, false, file.Length)
                : new ArtifactEntry(info.Name, true, null));
        }
        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return Task.FromResult<IReadOnlyList<ArtifactEntry>>(entries);
    }

    public Task<bool> DeleteAsync(string path, CancellationToken ct)
    {
        var target = Resolve(path);
        if (target == _root)
            throw SlipwayException.InvalidParameter("Refusing to delete the artifact root.");
        if (File.Exists(target))
        {
            EnsureNoLinks(Path.GetDirectoryName(target)!);
            File.Delete(target);
            return Task.FromResult(true);
        }
        if (Directory.Exists(target))
        {
            EnsureNoLinks(target);
            Directory.Delete(target, recursive: true);
            return Task.FromResult(true);
        }
        return Task.FromResult(false);
    }

    private string Resolve(string path)
    {
        var relative = ArtifactPath.Normalize(path);
        var full = Path.GetFullPath(Path.Combine(_root, relative));
        if (full != _root && !full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw SlipwayException.InvalidParameter($"Invalid artifact path: '{path}' escapes the artifact root.");
        return full;
    }

    /// <summary>A file cannot also be a folder: uploading <c>a.txt/b.txt</c> when <c>a.txt</c> is a file is a client error.</summary>
    private void EnsureNoFileAncestor(string folder, string path)
    {
        for (var current = folder; current.Length > _root.Length; current = Path.GetDirectoryName(current)!)
        {
            if (File.Exists(current))
                throw SlipwayException.InvalidParameter($"Invalid artifact path: '{path}' goes through '{Path.GetRelativePath(_root, current)}', which is a file.");
        }
    }

    /// <summary>Walks from the root down to <paramref name="fullPath"/> and refuses any symbolic link on the way.</summary>
    private void EnsureNoLinks(string fullPath)
    {
        var current = _root;
        var relative = Path.GetRelativePath(_root, fullPath);
        if (relative == ".")
            return;
        foreach (var segment in relative.Split(Path.DirectorySeparatorChar))
        {
            current = Path.Combine(current, segment);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.Exists && info.LinkTarget is not null)
                throw SlipwayException.InvalidParameter($"Invalid artifact path: '{relative}' passes through a symbolic link.");
        }
    }
}
