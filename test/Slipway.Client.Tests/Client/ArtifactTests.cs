using System.Net;
using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Client;

public sealed class ArtifactTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly SlipwayClient _client = fixture.Client;

    [Fact]
    public async Task UploadArtifactsAsync_NestedFolder_DownloadReturnsSameBytes()
    {
        using var source = new TempDirectory();
        var files = new Dictionary<string, byte[]>
        {
            ["a.txt"] = "alpha\n"u8.ToArray(),
            ["sub/b.bin"] = RandomBytes(20_000, seed: 1),
            ["sub/deeper/c.json"] = """{"k": [1, 2, 3]}"""u8.ToArray(),
        };
        foreach (var (path, bytes) in files)
            source.WriteFile(path, bytes);
        var run = await NewRunAsync();

        var uploaded = await _client.UploadArtifactsAsync(run.RunId, source.Path, "inputs");
        using var destination = new TempDirectory();
        var local = await _client.DownloadArtifactsAsync(run.RunId, "inputs", destination.Path);

        Assert.Equal(files.Keys.Select(k => "inputs/" + k).Order(StringComparer.Ordinal), uploaded.Order(StringComparer.Ordinal));
        Assert.Equal(destination.Combine("inputs"), local);
        foreach (var (path, bytes) in files)
            Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(local, path)));
    }

    [Fact]
    public async Task ListArtifactsAsync_Folders_ReturnsOneLevelWithRunRelativePaths()
    {
        using var source = new TempDirectory();
        source.WriteFile("top.txt", "x"u8.ToArray());
        source.WriteFile("sub/b.bin", RandomBytes(1234, seed: 2));
        source.WriteFile("sub/deeper/c.txt", "c"u8.ToArray());
        var run = await NewRunAsync();
        await _client.UploadArtifactsAsync(run.RunId, source.Path);

        var root = await _client.ListArtifactsAsync(run.RunId);
        var sub = await _client.ListArtifactsAsync(run.RunId, "sub");

        Assert.Equal(["sub", "top.txt"], root.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.True(Assert.Single(root, f => f.Path == "sub").IsDir);
        Assert.Equal(1, Assert.Single(root, f => f.Path == "top.txt").FileSize);
        Assert.Equal(1234, Assert.Single(sub, f => f.Path == "sub/b.bin").FileSize);
        Assert.True(Assert.Single(sub, f => f.Path == "sub/deeper").IsDir);
    }

    [Fact]
    public async Task DownloadArtifactsAsync_SingleFile_WritesItUnderItsArtifactPath()
    {
        using var source = new TempDirectory();
        var bytes = RandomBytes(50_000, seed: 3);
        var file = source.WriteFile("weights.bin", bytes);
        var run = await NewRunAsync();
        await _client.UploadArtifactAsync(run.RunId, file, "model");

        using var destination = new TempDirectory();
        var local = await _client.DownloadArtifactsAsync(run.RunId, "model/weights.bin", destination.Path);

        Assert.Equal(destination.Combine("model", "weights.bin"), local);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(local));
    }

    [Fact]
    public async Task DownloadArtifactsAsync_WholeRun_MirrorsAllArtifacts()
    {
        using var source = new TempDirectory();
        source.WriteFile("one.txt", "1"u8.ToArray());
        source.WriteFile("dir/two.txt", "22"u8.ToArray());
        var run = await NewRunAsync();
        await _client.UploadArtifactsAsync(run.RunId, source.Path);

        using var destination = new TempDirectory();
        var local = await _client.DownloadArtifactsAsync(run.RunId, null, destination.Path);

        Assert.Equal("1", await File.ReadAllTextAsync(Path.Combine(local, "one.txt")));
        Assert.Equal("22", await File.ReadAllTextAsync(Path.Combine(local, "dir", "two.txt")));
    }

    [Fact]
    public async Task UploadArtifactAsync_SamePathTwice_KeepsLatestContent()
    {
        using var source = new TempDirectory();
        var run = await NewRunAsync();
        await _client.UploadArtifactAsync(run.RunId, source.WriteFile("v.txt", "old"u8.ToArray()));
        await _client.UploadArtifactAsync(run.RunId, source.WriteFile("v.txt", "newer"u8.ToArray()));

        using var destination = new TempDirectory();
        var local = await _client.DownloadArtifactsAsync(run.RunId, "v.txt", destination.Path);

        Assert.Equal("newer", await File.ReadAllTextAsync(local));
    }

    [Fact]
    public async Task ListArtifactsAsync_MissingFolder_ReturnsEmpty()
    {
        var run = await NewRunAsync();

        var files = await _client.ListArtifactsAsync(run.RunId, "does/not/exist");

        Assert.Empty(files);
    }

    [Fact]
    public async Task DownloadArtifactsAsync_MissingFile_ThrowsNotFound()
    {
        var run = await NewRunAsync();
        using var destination = new TempDirectory();

        var error = await Assert.ThrowsAsync<SlipwayApiException>(() => _client.DownloadArtifactsAsync(run.RunId, "nope.txt", destination.Path));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.False(File.Exists(destination.Combine("nope.txt")));
    }

    private async Task<RunInfo> NewRunAsync()
    {
        var experimentId = await _client.CreateExperimentAsync(Names.Unique("artifacts"));
        return (await _client.CreateRunAsync(experimentId)).Info;
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
