using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using static Slipway.Artifacts.Tests.Compliance.TestStreams;

namespace Slipway.Artifacts.Tests.EndToEnd;

/// <summary>
/// The artifact download route of a real server on each store: file names HTTP headers cannot carry raw, HEAD,
/// If-Range, and paths too long for an object key.
/// </summary>
public abstract class ArtifactDownloadTests
{
    private const string Route = "api/2.0/mlflow-artifacts/artifacts/";

    /// <summary>A fresh destination (folder, bucket prefix or container prefix).</summary>
    protected abstract string Destination();

    protected abstract void ConfigureStore(ArtifactStoreOptions options);

    [Theory]
    [InlineData("modèle résumé.txt")]
    [InlineData("a; b c.csv")]
    [InlineData("数据 \"quoted\" 100%.bin")]
    public async Task Download_NameWithNonAsciiOrSeparators_WholeFileWithValidContentDisposition(string name)
    {
        await using var session = await ServerSession.StartAsync(Destination(), ConfigureStore);
        var (_, root) = await session.CreateRunAsync("names");
        var content = Bytes(70_000, 3);
        var url = Route + root + "/out/" + Uri.EscapeDataString(name);
        await session.PutArtifactAsync(root + "/out/" + Uri.EscapeDataString(name), new ByteArrayContent(content));

        using var response = await session.Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());
        var raw = string.Join(",", response.Content.Headers.GetValues("Content-Disposition"));
        Assert.All(raw, c => Assert.InRange(c, ' ', '~'));
        // HttpClient parses the header strictly: a malformed value would leave the typed property null.
        var disposition = response.Content.Headers.ContentDisposition;
        Assert.NotNull(disposition);
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal(name, disposition.FileNameStar);
        Assert.Equal(2, disposition.Parameters.Count);
    }

    [Fact]
    public async Task Head_ExistingFile_LengthAndValidatorsWithoutBody()
    {
        await using var session = await ServerSession.StartAsync(Destination(), ConfigureStore);
        var (_, root) = await session.CreateRunAsync("head");
        var content = Bytes(123_457, 4);
        await session.PutArtifactAsync(root + "/model.onnx", new ByteArrayContent(content));

        using var request = new HttpRequestMessage(HttpMethod.Head, Route + root + "/model.onnx");
        request.Headers.Range = new RangeHeaderValue(0, 9);
        using var response = await session.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(content.Length, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("bytes", response.Headers.AcceptRanges.Single());
        Assert.NotNull(response.Headers.ETag);
        Assert.False(response.Headers.ETag.IsWeak);

        using var missing = await session.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, Route + root + "/absent.onnx"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task RangeWithIfRange_CurrentVersionPartial_OtherVersionWholeFile()
    {
        await using var session = await ServerSession.StartAsync(Destination(), ConfigureStore);
        var (_, root) = await session.CreateRunAsync("if-range");
        var path = Route + root + "/data.bin";
        var first = Bytes(50_000, 5);
        await session.PutArtifactAsync(root + "/data.bin", new ByteArrayContent(first));
        EntityTagHeaderValue firstTag;
        using (var whole = await session.Http.GetAsync(path))
            firstTag = whole.Headers.ETag!;
        Assert.NotNull(firstTag);

        using (var resumed = await GetRangeAsync(session.Http, path, 1000, firstTag.ToString()))
        {
            Assert.Equal(HttpStatusCode.PartialContent, resumed.StatusCode);
            Assert.Equal(first[1000..], await resumed.Content.ReadAsByteArrayAsync());
        }

        var second = Bytes(40_000, 6);
        await session.PutArtifactAsync(root + "/data.bin", new ByteArrayContent(second));
        // The client's partial copy is of the first version: bytes of the second would corrupt it.
        foreach (var validator in new[] { firstTag.ToString(), "W/" + firstTag.Tag, DateTimeOffset.UtcNow.ToString("R") })
        {
            using var replaced = await GetRangeAsync(session.Http, path, 1000, validator);
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
            Assert.Null(replaced.Content.Headers.ContentRange);
            Assert.Equal(second, await replaced.Content.ReadAsByteArrayAsync());
            Assert.NotEqual(firstTag, replaced.Headers.ETag);
        }
        // Past the end of the new version, but the Range no longer applies: still the whole file, not 416.
        using (var beyond = await GetRangeAsync(session.Http, path, 45_000, firstTag.ToString()))
        {
            Assert.Equal(HttpStatusCode.OK, beyond.StatusCode);
            Assert.Equal(second, await beyond.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task UploadAndDownload_PathLongerThan1024Bytes_InvalidParameterValue()
    {
        await using var session = await ServerSession.StartAsync(Destination(), ConfigureStore);
        var (_, root) = await session.CreateRunAsync("long");
        var path = root + "/" + string.Join('/', Enumerable.Range(0, 5).Select(i => new string((char)('a' + i), 220)));

        using var upload = await session.Http.PutAsync(Route + path, new ByteArrayContent([1, 2, 3]));
        await AssertInvalidParameterAsync(upload);
        using var download = await session.Http.GetAsync(Route + path);
        await AssertInvalidParameterAsync(download);
        using var listing = await session.Http.GetAsync(Route.TrimEnd('/') + "?path=" + Uri.EscapeDataString(path));
        await AssertInvalidParameterAsync(listing);
    }

    private static async Task<HttpResponseMessage> GetRangeAsync(HttpClient http, string path, long from, string ifRange)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Range = new RangeHeaderValue(from, null);
        request.Headers.TryAddWithoutValidation("If-Range", ifRange);
        return await http.SendAsync(request);
    }

    private static async Task AssertInvalidParameterAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        using var error = JsonDocument.Parse(body);
        Assert.Equal("INVALID_PARAMETER_VALUE", error.RootElement.GetProperty("error_code").GetString());
    }
}
