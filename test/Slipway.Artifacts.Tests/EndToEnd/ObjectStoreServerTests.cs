using System.Net;
using System.Net.Http.Headers;
using static Slipway.Artifacts.Tests.Compliance.TestStreams;

namespace Slipway.Artifacts.Tests.EndToEnd;

/// <summary>
/// A real server with <c>--artifacts-destination</c> on an object store: the MLflow artifact REST API (streamed upload,
/// listing, ranged download, delete), and a model logged there, served, its traffic logged there and monitored.
/// </summary>
public abstract partial class ObjectStoreServerTests
{
    /// <summary>A fresh destination under the emulator's bucket or container.</summary>
    protected abstract string Destination();

    protected abstract void ConfigureStore(ArtifactStoreOptions options);

    [Fact]
    public async Task ArtifactRestApi_UploadListRangedDownloadDelete_AllAgainstObjectStore()
    {
        await using var session = await ServerSession.StartAsync(Destination(), ConfigureStore);
        var (_, root) = await session.CreateRunAsync("artifacts-e2e");
        var content = Bytes(12 * 1024 * 1024 + 77, 12);
        var path = root + "/data/big.bin";

        // Chunked request body without a length: the server streams it to the store in parts.
        await session.PutArtifactAsync(path, new StreamContent(new NonSeekable(new MemoryStream(content))));
        await session.PutArtifactAsync(root + "/data/nested/small.txt", new ByteArrayContent("hello"u8.ToArray()));

        var files = (await session.GetOkAsync("api/2.0/mlflow-artifacts/artifacts?path=" + Uri.EscapeDataString(root + "/data"))).GetProperty("files");
        Assert.Equal(2, files.GetArrayLength());
        Assert.Equal(("big.bin", false, content.LongLength), (files[0].GetProperty("path").GetString(), files[0].GetProperty("is_dir").GetBoolean(), files[0].GetProperty("file_size").GetInt64()));
        Assert.Equal(("nested", true), (files[1].GetProperty("path").GetString(), files[1].GetProperty("is_dir").GetBoolean()));

        using (var whole = await session.Http.GetAsync("api/2.0/mlflow-artifacts/artifacts/" + path))
        {
            Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
            Assert.Equal("bytes", whole.Headers.AcceptRanges.Single());
            Assert.Equal(Sha256(content), Sha256(await whole.Content.ReadAsByteArrayAsync()));
        }
        await AssertRangeAsync(session, path, content, new RangeHeaderValue(5_000_000, 5_000_999), 5_000_000, 1000);
        await AssertRangeAsync(session, path, content, new RangeHeaderValue(null, 100), content.Length - 100, 100);
        using (var unsatisfiable = await GetWithRangeAsync(session, path, new RangeHeaderValue(content.Length, null)))
        {
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, unsatisfiable.StatusCode);
            Assert.Equal($"bytes */{content.Length}", unsatisfiable.Content.Headers.ContentRange?.ToString());
        }

        using (var deleted = await session.Http.DeleteAsync("api/2.0/mlflow-artifacts/artifacts/" + root + "/data"))
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        using (var gone = await session.Http.GetAsync("api/2.0/mlflow-artifacts/artifacts/" + path))
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        // HttpClient would collapse a literal ../, so the escapes arrive encoded twice and as a listing parameter.
        using (var escape = await session.Http.GetAsync("api/2.0/mlflow-artifacts/artifacts/" + root + "/%252e%252e/%252e%252e/x"))
            Assert.Equal(HttpStatusCode.BadRequest, escape.StatusCode);
        using (var listEscape = await session.Http.GetAsync("api/2.0/mlflow-artifacts/artifacts?path=" + Uri.EscapeDataString("../../x")))
            Assert.Equal(HttpStatusCode.BadRequest, listEscape.StatusCode);
    }

    private static async Task AssertRangeAsync(ServerSession session, string path, byte[] content, RangeHeaderValue range, long offset, int length)
    {
        using var response = await GetWithRangeAsync(session, path, range);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes {offset}-{offset + length - 1}/{content.Length}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(content.AsSpan((int)offset, length).ToArray(), await response.Content.ReadAsByteArrayAsync());
    }

    private static async Task<HttpResponseMessage> GetWithRangeAsync(ServerSession session, string path, RangeHeaderValue range)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/2.0/mlflow-artifacts/artifacts/" + path);
        request.Headers.Range = range;
        return await session.Http.SendAsync(request);
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes));
}
