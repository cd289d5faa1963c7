using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;
using Slipway.Serving.Protocols.Oip;

namespace Slipway.Serving.Tests.Protocols;

/// <summary>OIP REST inference over real HTTP against a host that maps <see cref="OipEndpoints"/> with echo targets.</summary>
public sealed class OipHttpInferTests : IAsyncLifetime
{
    private const string Request = """
        {"id":"req-7","inputs":[
          {"name":"x","shape":[2,3],"datatype":"FP32","data":[[1,2,3],[0.1,-5,7.25]]},
          {"name":"label","shape":[2],"datatype":"BYTES","data":["kraków","zürich"]}]}
        """;

    private readonly OipEchoTarget _echo = new("echo");
    private OipTestHost _host = null!;

    private HttpClient Client => _host.Client;

    public async Task InitializeAsync() => _host = await OipTestHost.StartAsync(new OipTestTargets(_echo));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("/v2/models/echo/infer")]
    [InlineData("/v2/models/echo/versions/1/infer")]
    public async Task Infer_Json_ReturnsTheEndpointsOutputsAndEchoesTheId(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(Request) };
        request.Headers.Add("X-Session", "s-1");

        var body = await OipTestHost.ReadOkJsonAsync(await Client.SendAsync(request));

        Assert.Equal("echo", body.GetProperty("model_name").GetString());
        Assert.Equal("1", body.GetProperty("model_version").GetString());
        Assert.Equal("req-7", body.GetProperty("id").GetString());
        var outputs = body.GetProperty("outputs");
        Assert.Equal("""{"name":"x_out","datatype":"FP32","shape":[2,3],"data":[2,4,6,0.2,-10,14.5]}""", outputs[0].GetRawText());
        Assert.Equal("""{"name":"label_out","datatype":"BYTES","shape":[2],"data":["kraków","zürich"]}""", outputs[1].GetRawText());
        var context = _echo.LastContext!;
        Assert.Equal("req-7", context.RequestId);
        Assert.Equal("oip-rest", context.Protocol);
        Assert.Equal("s-1", _echo.LastSessionHeader);
    }

    [Fact]
    public async Task Infer_WithoutIdAndWithRequestedOutputs_UsesTheTraceIdAndReturnsOnlyThoseOutputs()
    {
        const string body = """
            {"parameters":{"p":1},"inputs":[{"name":"x","shape":[1,3],"datatype":"FP32","data":[1,2,3]}],"outputs":[{"name":"x_out"}]}
            """;

        var response = await OipTestHost.ReadOkJsonAsync(await Client.PostAsync("/v2/models/echo/infer", Json(body)));

        Assert.False(response.TryGetProperty("id", out _));
        Assert.Equal("x_out", Assert.Single(response.GetProperty("outputs").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(["x_out"], _echo.LastRequest!.RequestedOutputs);
        Assert.Equal(1L, _echo.LastRequest.Parameters!["p"]);
        Assert.False(string.IsNullOrEmpty(_echo.LastContext!.RequestId));
    }

    [Fact]
    public async Task Infer_BinaryRequestAndResponse_RoundTripsFp32AndBytes()
    {
        const string header = """
            {"id":"bin","parameters":{"binary_data_output":true},"inputs":[
              {"name":"x","shape":[1,3],"datatype":"FP32","parameters":{"binary_data_size":12}},
              {"name":"label","shape":[2],"datatype":"BYTES","parameters":{"binary_data_size":22}}]}
            """;
        var content = new ByteArrayContent(OipBinaryTests.Body(header, OipBinaryTests.Raw(0.5f, -1f, 3e-8f), OipBinaryTests.BytesElements("kraków", "zürich")));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", Encoding.UTF8.GetByteCount(header).ToString());

        using var response = await Client.PostAsync("/v2/models/echo/infer", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        var headerLength = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single());
        var decoded = OipBinaryResponse.Parse(await response.Content.ReadAsByteArrayAsync(), headerLength);
        Assert.Equal("bin", decoded.Header.GetProperty("id").GetString());
        Assert.Equal([1f, -2f, 6e-8f], OipBinaryTests.FloatsOf(decoded.Binary["x_out"]));
        Assert.Equal(["kraków", "zürich"], OipBinaryResponse.BytesElements(decoded.Binary["label_out"]));
    }

    [Fact]
    public async Task Infer_RawBodyWithHeaderLengthZero_IsTheSingleInput()
    {
        await using var host = await OipTestHost.StartAsync(new OipTestTargets(new OipEchoTarget("single")
        {
            Signature = new ModelSignature([new TensorSpec("x", TensorDataType.Fp32, [-1, 2])], [new TensorSpec("x_out", TensorDataType.Fp32, [-1, 2])]),
        }));
        var content = new ByteArrayContent(OipBinaryTests.Raw(1f, 2f, 3f, 4f));
        content.Headers.Add("Inference-Header-Content-Length", "0");

        var body = await OipTestHost.ReadOkJsonAsync(await host.Client.PostAsync("/v2/models/single/infer", content));

        Assert.Equal("""[{"name":"x_out","datatype":"FP32","shape":[2,2],"data":[2,4,6,8]}]""", body.GetProperty("outputs").GetRawText());
    }

    [Fact]
    public async Task Infer_LargeBinaryInputWithJsonOutput_StreamsTheWholeResponse()
    {
        var values = Enumerable.Range(0, 200_000).Select(i => i * 0.25f).ToArray();
        var header = """{"inputs":[{"name":"x","shape":[100000,2],"datatype":"FP32","parameters":{"binary_data_size":800000}}]}""";
        var content = new ByteArrayContent(OipBinaryTests.Body(header, OipBinaryTests.Raw(values)));
        content.Headers.Add("Inference-Header-Content-Length", Encoding.UTF8.GetByteCount(header).ToString());

        var body = await OipTestHost.ReadOkJsonAsync(await Client.PostAsync("/v2/models/echo/infer", content));

        var data = body.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(values.Select(v => v * 2), data);
    }

    public static TheoryData<string, string, HttpStatusCode> BadRequests => new()
    {
        { "/v2/models/echo/infer", "{not json", HttpStatusCode.BadRequest },
        { "/v2/models/echo/infer", "", HttpStatusCode.BadRequest },
        { "/v2/models/echo/infer", """{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":["a"]}]}""", HttpStatusCode.BadRequest },
        { "/v2/models/echo/infer", """{"inputs":[{"name":"x","shape":[1],"datatype":"FLOAT","data":[1]}]}""", HttpStatusCode.BadRequest },
        { "/v2/models/echo/infer", """{"inputs":[{"name":"x","shape":[100000000],"datatype":"FP32","data":[1]}]}""", HttpStatusCode.BadRequest },
        { "/v2/models/echo/infer", """{"inputs":[{"name":"x","shape":[3],"datatype":"FP32","data":[1]}]}""", HttpStatusCode.BadRequest },
        { "/v2/models/echo/infer", """{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}],"outputs":[{"name":"nope"}]}""", HttpStatusCode.BadRequest },
        { "/v2/models/nope/infer", """{"inputs":[]}""", HttpStatusCode.NotFound },
        { "/v2/models/echo/versions/2/infer", """{"inputs":[]}""", HttpStatusCode.NotFound },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Infer_BadRequest_AnswersAnErrorNeverA5xx(string path, string body, HttpStatusCode status)
    {
        using var response = await Client.PostAsync(path, Json(body));

        await OipTestHost.AssertErrorAsync(response, status);
    }

    [Fact]
    public async Task Infer_MalformedBinaryHeader_IsA400()
    {
        var content = new ByteArrayContent("{\"inputs\":[]}"u8.ToArray());
        content.Headers.Add("Inference-Header-Content-Length", "500");

        using var response = await Client.PostAsync("/v2/models/echo/infer", content);

        var message = await OipTestHost.AssertErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("Inference-Header-Content-Length", message, StringComparison.Ordinal);
    }

    public static TheoryData<ErrorCode, HttpStatusCode> ErrorCodes => new()
    {
        { ErrorCode.InvalidParameterValue, HttpStatusCode.BadRequest },
        { ErrorCode.BadRequest, HttpStatusCode.BadRequest },
        { ErrorCode.ResourceDoesNotExist, HttpStatusCode.NotFound },
        { ErrorCode.RequestLimitExceeded, HttpStatusCode.TooManyRequests },
        { ErrorCode.TemporarilyUnavailable, HttpStatusCode.ServiceUnavailable },
        { ErrorCode.InternalError, HttpStatusCode.InternalServerError },
    };

    [Theory]
    [MemberData(nameof(ErrorCodes))]
    public async Task Infer_EndpointError_IsMappedToItsStatusWithTheMessage(ErrorCode code, HttpStatusCode status)
    {
        await using var host = await OipTestHost.StartAsync(new OipTestTargets(new OipEchoTarget("failing") { Failure = new SlipwayException(code, "it went wrong: " + code) }));

        using var response = await host.Client.PostAsync("/v2/models/failing/infer", Json(Request));

        Assert.Equal("it went wrong: " + code, await OipTestHost.AssertErrorAsync(response, status));
    }

    [Fact]
    public async Task Infer_UnexpectedException_Is500WithoutInternals()
    {
        await using var host = await OipTestHost.StartAsync(new OipTestTargets(new OipEchoTarget("failing") { Failure = new InvalidOperationException("secret detail") }));

        using var response = await host.Client.PostAsync("/v2/models/failing/infer", Json(Request));

        var message = await OipTestHost.AssertErrorAsync(response, HttpStatusCode.InternalServerError);
        Assert.DoesNotContain("secret detail", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Infer_BodyOverTheLimit_IsA400WhetherItsLengthIsDeclaredOrNot()
    {
        await using var host = await OipTestHost.StartAsync(new OipTestTargets(new OipEchoTarget("echo")), new OipOptions { MaxInferBodyBytes = 1024 });
        var big = "{\"inputs\":[],\"pad\":\"" + new string('a', 4000) + "\"}";

        using var declared = await host.Client.PostAsync("/v2/models/echo/infer", Json(big));
        using var chunked = await host.Client.PostAsync("/v2/models/echo/infer", new ChunkedContent(Encoding.UTF8.GetBytes(big)));

        Assert.Contains("exceeds the limit of 1024 bytes", await OipTestHost.AssertErrorAsync(declared, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        await OipTestHost.AssertErrorAsync(chunked, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Infer_ChunkedBodyWithinTheLimit_IsRead()
    {
        var body = await OipTestHost.ReadOkJsonAsync(await Client.PostAsync("/v2/models/echo/infer", new ChunkedContent(Encoding.UTF8.GetBytes(Request))));

        Assert.Equal("req-7", body.GetProperty("id").GetString());
    }

    /// <summary>Content of unknown length, so HttpClient sends it chunked.</summary>
    private sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < bytes.Length; offset += 100)
            {
                await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(100, bytes.Length - offset)));
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
