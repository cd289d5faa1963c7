using static Slipway.Artifacts.Tests.Compliance.TestStreams;

namespace Slipway.Artifacts.Tests.Compliance;

/// <summary>Ranged reads, large streamed uploads, failed uploads and concurrent writers.</summary>
public abstract partial class ArtifactStoreCompliance
{
    private const int RangeFileLength = 10_000;

    /// <summary>
    /// Whether the server behind the store replaces a file atomically under concurrent writers. Real S3 and Azure do;
    /// s3rver truncates and rewrites the object file in place, so two simultaneous PUTs of one key can interleave there.
    /// </summary>
    protected virtual bool BackendReplacesAtomically => true;

    public static TheoryData<string, long, long> Ranges => new()
    {
        { "bytes=0-99", 0, 100 },
        { "bytes=4000-4999", 4000, 1000 },
        { "bytes=9990-", 9990, 10 },
        { "bytes=-250", RangeFileLength - 250, 250 },
        { "bytes=9000-20000", 9000, 1000 },
        { "bytes=-20000", 0, RangeFileLength },
        { "bytes=9999-9999", 9999, 1 },
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public async Task OpenReadAsync_Range_ReturnsExactlyThoseBytesAndTotalLength(string header, long offset, long length)
    {
        var store = CreateStore();
        var content = Bytes(RangeFileLength, 7);
        await WriteAsync(store, "r/data.bin", content);
        var range = ArtifactRange.ParseHttpHeader(header);
        Assert.NotNull(range);

        await using var part = await store.OpenReadAsync("r/data.bin", range, CancellationToken.None);

        Assert.NotNull(part);
        Assert.Equal((offset, length, (long)RangeFileLength), (part.Offset, part.Length, part.TotalLength));
        Assert.Equal(content.AsSpan((int)offset, (int)length).ToArray(), await ReadAllAsync(part.Stream));
    }

    [Fact]
    public async Task OpenReadAsync_NoRange_ReturnsWholeFileWithLength()
    {
        var store = CreateStore();
        var content = Bytes(RangeFileLength, 8);
        await WriteAsync(store, "whole.bin", content);
        await using var whole = await store.OpenReadAsync("whole.bin", null, CancellationToken.None);
        Assert.NotNull(whole);
        Assert.Equal((0L, (long)RangeFileLength, (long)RangeFileLength, false), (whole.Offset, whole.Length, whole.TotalLength, whole.IsPartial));
        Assert.Equal(content, await ReadAllAsync(whole.Stream));
    }

    [Theory]
    [InlineData("bytes=10000-")]
    [InlineData("bytes=20000-30000")]
    [InlineData("bytes=-0")]
    public async Task OpenReadAsync_UnsatisfiableRange_ThrowsWithTotalLength(string header)
    {
        var store = CreateStore();
        await WriteAsync(store, "r/data.bin", Bytes(RangeFileLength, 7));
        var error = await Assert.ThrowsAsync<ArtifactRangeNotSatisfiableException>(() =>
            store.OpenReadAsync("r/data.bin", ArtifactRange.ParseHttpHeader(header), CancellationToken.None));
        Assert.Equal(RangeFileLength, error.TotalLength);
    }

    [Fact]
    public async Task WriteAsync_40MBNonSeekableStream_RoundTripsByteForByte()
    {
        var store = CreateStore();
        const long length = 40L * 1024 * 1024 + 12345;
        var source = new GeneratedStream(length, seed: 40);

        await store.WriteAsync("big/weights.bin", source, CancellationToken.None);

        Assert.Equal(new ArtifactEntry("weights.bin", false, length), Assert.Single(await store.ListAsync("big", CancellationToken.None)));
        var read = await store.OpenReadAsync("big/weights.bin", CancellationToken.None);
        Assert.NotNull(read);
        await using (read)
        {
            using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
            var buffer = new byte[81920];
            int count;
            while ((count = await read.ReadAsync(buffer)) > 0)
                hash.AppendData(buffer, 0, count);
            Assert.Equal(Convert.ToHexString(source.Hash()), Convert.ToHexString(hash.GetCurrentHash()));
        }
    }

    [Fact]
    public async Task WriteAsync_SourceFailsMidway_LeavesNoFileAndKeepsPreviousVersion()
    {
        var store = CreateStore();
        var previous = Bytes(1000, 3);
        await WriteAsync(store, "fail/replaced.bin", previous);

        // Past one part or block of every store's upload, so that the failure happens in a multipart upload.
        await Assert.ThrowsAnyAsync<IOException>(() => store.WriteAsync("fail/new.bin", new GeneratedStream(30_000_000, 1, failAfter: 12_000_000), CancellationToken.None));
        await Assert.ThrowsAnyAsync<IOException>(() => store.WriteAsync("fail/replaced.bin", new GeneratedStream(30_000_000, 2, failAfter: 12_000_000), CancellationToken.None));

        Assert.Null(await store.OpenReadAsync("fail/new.bin", CancellationToken.None));
        Assert.Equal(previous, await ReadFileAsync(store, "fail/replaced.bin"));
        Assert.Equal([new ArtifactEntry("replaced.bin", false, 1000)], await store.ListAsync("fail", CancellationToken.None));
    }

    [Fact]
    public async Task WriteAsync_ConcurrentWriters_EveryFileIntactAndSharedFileIsOneWholeVersion()
    {
        var store = CreateStore();
        var distinct = Enumerable.Range(0, 16).Select(i => Bytes(50_000 + i, 100 + i)).ToList();
        // s3rver rewrites an object's file in place, so concurrent writes to one key can interleave there (real S3
        // replaces objects atomically); on it only one version of the shared file is written.
        var versions = Enumerable.Range(0, BackendReplacesAtomically ? 8 : 1).Select(i => Bytes(200_000, 200 + i)).ToList();

        await Task.WhenAll(
            distinct.Select((content, i) => Task.Run(() => WriteAsync(store, $"c/file{i:D2}.bin", content)))
                .Concat(versions.Select(content => Task.Run(() => WriteAsync(store, "c/shared.bin", content)))));

        for (var i = 0; i < distinct.Count; i++)
            Assert.Equal(distinct[i], await ReadFileAsync(store, $"c/file{i:D2}.bin"));
        var shared = await ReadFileAsync(store, "c/shared.bin");
        Assert.NotNull(shared);
        Assert.Contains(Sha256(shared), versions.Select(Sha256));
        Assert.Equal(distinct.Count + 1, (await store.ListAsync("c", CancellationToken.None)).Count);
    }
}
