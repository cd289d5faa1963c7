using System.Security.Cryptography;
using Slipway.Core.Errors;
using static Slipway.Artifacts.Tests.Compliance.TestStreams;

namespace Slipway.Artifacts.Tests.Compliance;

/// <summary>
/// What every artifact store must do, run on a local folder, an S3-compatible server and Azure Blob. Each test gets a
/// store over a fresh root (folder, or bucket/container prefix) from <see cref="CreateStore"/>.
/// </summary>
public abstract partial class ArtifactStoreCompliance
{
    /// <summary>A store over a fresh, empty root.</summary>
    protected abstract IArtifactStore CreateStore();

    [Fact]
    public async Task WriteAsync_ThenOpenRead_ReturnsSameBytes()
    {
        var store = CreateStore();
        var content = Bytes(100_000, 1);
        await WriteAsync(store, "1/run/artifacts/model/model.onnx", content);
        Assert.Equal(content, await ReadFileAsync(store, "1/run/artifacts/model/model.onnx"));
    }

    [Fact]
    public async Task WriteAsync_EmptyFile_RoundTripsAsEmpty()
    {
        var store = CreateStore();
        await WriteAsync(store, "empty.txt", []);
        Assert.Equal(Array.Empty<byte>(), await ReadFileAsync(store, "empty.txt"));
        Assert.Equal(new ArtifactEntry("empty.txt", false, 0), Assert.Single(await store.ListAsync("", CancellationToken.None)));
    }

    [Fact]
    public async Task WriteAsync_ExistingFile_ReplacesContent()
    {
        var store = CreateStore();
        await WriteAsync(store, "a/metrics.json", Bytes(5000, 1));
        var replacement = Bytes(300, 2);
        await WriteAsync(store, "a/metrics.json", replacement);
        Assert.Equal(replacement, await ReadFileAsync(store, "a/metrics.json"));
        Assert.Equal(new ArtifactEntry("metrics.json", false, 300), Assert.Single(await store.ListAsync("a", CancellationToken.None)));
    }

    [Fact]
    public async Task ListAsync_NestedFolders_ListsOneLevelWithFoldersAndSizes()
    {
        var store = CreateStore();
        await WriteAsync(store, "run/MLmodel", Bytes(10, 1));
        await WriteAsync(store, "run/model/model.onnx", Bytes(20, 2));
        // s3rver omits a common prefix that holds only deeper folders (real S3 does not), so "deep" has a file of its own.
        await WriteAsync(store, "run/model/deep/x.bin", Bytes(30, 3));
        await WriteAsync(store, "run/model/deep/er/y.bin", Bytes(35, 3));
        await WriteAsync(store, "run/plots/loss.png", Bytes(40, 4));
        await WriteAsync(store, "run-other/file.txt", Bytes(50, 5));

        Assert.Equal(
            [new ArtifactEntry("MLmodel", false, 10), new ArtifactEntry("model", true, null), new ArtifactEntry("plots", true, null)],
            await store.ListAsync("run", CancellationToken.None));
        Assert.Equal(
            [new ArtifactEntry("deep", true, null), new ArtifactEntry("model.onnx", false, 20)],
            await store.ListAsync("run/model/", CancellationToken.None));
        Assert.Equal(
            [new ArtifactEntry("run", true, null), new ArtifactEntry("run-other", true, null)],
            await store.ListAsync("", CancellationToken.None));
    }

    [Fact]
    public async Task ListAsync_ManyFiles_ListsEveryOne()
    {
        var store = CreateStore();
        // Past one listing page of a small page size is not reachable with defaults (1000 keys), so check breadth.
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => WriteAsync(store, $"many/f{i:D3}", Bytes(i, i))));
        var entries = await store.ListAsync("many", CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => new ArtifactEntry($"f{i:D3}", false, i)), entries);
    }

    [Fact]
    public async Task DeleteAsync_File_RemovesOnlyThatFile()
    {
        var store = CreateStore();
        await WriteAsync(store, "d/a.txt", Bytes(10, 1));
        await WriteAsync(store, "d/b.txt", Bytes(10, 2));
        Assert.True(await store.DeleteAsync("d/a.txt", CancellationToken.None));
        Assert.Null(await ReadFileAsync(store, "d/a.txt"));
        Assert.Equal([new ArtifactEntry("b.txt", false, 10)], await store.ListAsync("d", CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_Folder_RemovesWholeTreeAndNothingBeside()
    {
        var store = CreateStore();
        await Task.WhenAll(Enumerable.Range(0, 30).Select(i => WriteAsync(store, $"exp/run1/artifacts/{i % 3}/file{i}", Bytes(8, i))));
        await WriteAsync(store, "exp/run10/kept.txt", Bytes(8, 99));

        Assert.True(await store.DeleteAsync("exp/run1", CancellationToken.None));

        Assert.Empty(await store.ListAsync("exp/run1", CancellationToken.None));
        Assert.Null(await ReadFileAsync(store, "exp/run1/artifacts/0/file0"));
        Assert.Equal([new ArtifactEntry("run10", true, null)], await store.ListAsync("exp", CancellationToken.None));
        Assert.NotNull(await ReadFileAsync(store, "exp/run10/kept.txt"));
    }

    [Fact]
    public async Task MissingPaths_ReadNullListEmptyDeleteFalse()
    {
        var store = CreateStore();
        await WriteAsync(store, "present/file.txt", Bytes(10, 1));
        Assert.Null(await store.OpenReadAsync("absent.txt", CancellationToken.None));
        Assert.Null(await store.OpenReadAsync("absent.txt", ArtifactRange.FromTo(0, 1), CancellationToken.None));
        Assert.Null(await store.OpenReadAsync("present", CancellationToken.None));
        Assert.Empty(await store.ListAsync("absent", CancellationToken.None));
        Assert.Empty(await store.ListAsync("present/file.txt", CancellationToken.None));
        Assert.False(await store.DeleteAsync("absent", CancellationToken.None));
        Assert.False(await store.DeleteAsync("present/fil", CancellationToken.None));
    }

    [Fact]
    public async Task TwoRoots_SameBackend_DoNotSeeEachOther()
    {
        var first = CreateStore();
        var second = CreateStore();
        await WriteAsync(first, "shared-name.txt", Bytes(10, 1));
        Assert.Empty(await second.ListAsync("", CancellationToken.None));
        Assert.Null(await ReadFileAsync(second, "shared-name.txt"));
        Assert.False(await second.DeleteAsync("shared-name.txt", CancellationToken.None));
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("a/../../escape.txt")]
    [InlineData("a/./b.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("a\\..\\b.txt")]
    [InlineData("C:/windows/win.ini")]
    [InlineData("%2e%2e/escape.txt")]
    [InlineData("a%2fb")]
    [InlineData("file:///etc/passwd")]
    [InlineData("a/\0/b")]
    public async Task EveryOperation_PathEscapingRoot_RejectedAsInvalidParameter(string path)
    {
        var store = CreateStore();
        await AssertInvalid(() => store.WriteAsync(path, new MemoryStream([1]), CancellationToken.None));
        await AssertInvalid(() => store.OpenReadAsync(path, CancellationToken.None));
        await AssertInvalid(() => store.OpenReadAsync(path, ArtifactRange.FromTo(0), CancellationToken.None));
        await AssertInvalid(() => store.ListAsync(path, CancellationToken.None));
        await AssertInvalid(() => store.DeleteAsync(path, CancellationToken.None));
    }

    [Fact]
    public async Task EveryOperation_PathLongerThan1024Bytes_RejectedAsInvalidParameter()
    {
        var store = CreateStore();
        // Five 250-byte names: each is a valid name, the whole is past S3's and Azure's 1024-byte key limit.
        var path = string.Join('/', Enumerable.Range(0, 5).Select(i => new string((char)('a' + i), 250)));
        await AssertInvalid(() => store.WriteAsync(path, new MemoryStream([1]), CancellationToken.None));
        await AssertInvalid(() => store.OpenReadAsync(path, CancellationToken.None));
        await AssertInvalid(() => store.OpenReadAsync(path, ArtifactRange.FromTo(0), CancellationToken.None));
        await AssertInvalid(() => store.ListAsync(path, CancellationToken.None));
        await AssertInvalid(() => store.DeleteAsync(path, CancellationToken.None));
    }

    [Fact]
    public async Task OpenReadAsync_WholeOrRange_SameETagUntilReplaced()
    {
        var store = CreateStore();
        await WriteAsync(store, "tagged.bin", Bytes(3000, 1));
        string? first;
        await using (var whole = await store.OpenReadAsync("tagged.bin", null, CancellationToken.None))
            first = whole!.ETag;
        await using (var part = await store.OpenReadAsync("tagged.bin", ArtifactRange.FromTo(10, 19), CancellationToken.None))
            Assert.Equal(first, part!.ETag);
        Assert.Matches("^\"[!#-~]+\"$", first);

        await WriteAsync(store, "tagged.bin", Bytes(3001, 2));
        await using var replaced = await store.OpenReadAsync("tagged.bin", null, CancellationToken.None);
        Assert.NotEqual(first, replaced!.ETag);
    }

    [Fact]
    public async Task RootPath_CannotBeWrittenOrDeleted()
    {
        var store = CreateStore();
        await AssertInvalid(() => store.WriteAsync("", new MemoryStream([1]), CancellationToken.None));
        await AssertInvalid(() => store.DeleteAsync("", CancellationToken.None));
    }

    private static async Task AssertInvalid(Func<Task> action)
    {
        var error = await Assert.ThrowsAsync<SlipwayException>(action);
        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
    }

    protected static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));
}
