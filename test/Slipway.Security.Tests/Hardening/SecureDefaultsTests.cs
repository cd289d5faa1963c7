using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Slipway.Core.Errors;
using Slipway.Testing;

namespace Slipway.Security.Tests.Hardening;

/// <summary>
/// Secure defaults: without authentication the server stays on loopback unless told <c>--insecure-no-auth</c>; CORS sends
/// nothing unless origins are configured, and then only for them; an oversized JSON body is MLflow's 400; UI pages and the
/// login form carry the browser security headers.
/// </summary>
public sealed class SecureDefaultsTests
{
    private const string AdminPassword = "defaults-admin-password";

    [Fact]
    public async Task Start_AuthOffOnAllInterfaces_RefusedNamingInsecureNoAuth()
    {
        var error = await Assert.ThrowsAsync<SlipwayException>(() => SlipwayTestServer.StartAsync(configure: options => options.Host = "0.0.0.0"));

        Assert.Contains("--insecure-no-auth", error.Message, StringComparison.Ordinal);
        Assert.Contains("0.0.0.0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_AuthOffOnAllInterfacesWithInsecureNoAuth_Serves()
    {
        await using var server = await SlipwayTestServer.StartAsync(configure: options =>
        {
            options.Host = "0.0.0.0";
            options.InsecureNoAuth = true;
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.BaseAddress.Port}/") };

        using var response = await http.GetAsync("/api/2.0/mlflow/experiments/search?max_results=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Cli_ServerOnAllInterfacesWithoutAuth_ExitsWithUsageErrorAndReason()
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        var data = Path.Combine(Path.GetTempPath(), "slipway-defaults-" + Guid.NewGuid().ToString("N"));
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "slipway.dll"), "server", "--host", "0.0.0.0", "--port", LocalPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--grpc-port", "0", "--backend-store-uri", $"sqlite:///{data}/slipway.db", "--artifacts-destination", data + "/artifacts" })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--insecure-no-auth", await output + await errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cors_NotConfigured_NoCorsHeadersEvenOnPreflight()
    {
        await using var server = await SlipwayTestServer.StartAsync();
        using var http = server.CreateClient();

        using var preflight = await SendAsync(http, Preflight("https://evil.example"));
        using var simple = await SendAsync(http, WithOrigin(new HttpRequestMessage(HttpMethod.Get, "/api/2.0/mlflow/experiments/search?max_results=1"), "https://evil.example"));

        Assert.Empty(CorsHeaders(preflight));
        Assert.Equal(HttpStatusCode.OK, simple.StatusCode);
        Assert.Empty(CorsHeaders(simple));
    }

    [Fact]
    public async Task Cors_OriginConfigured_AllowsThatOriginOnly()
    {
        await using var server = await SlipwayTestServer.StartAsync(configure: options =>
        {
            EnableAuth(options);
            options.Auth.CorsOrigins.Add("https://app.example.com");
        });
        using var http = server.CreateClient();

        using var allowed = await SendAsync(http, Preflight("https://app.example.com"));
        using var other = await SendAsync(http, Preflight("https://evil.example"));
        using var signedIn = await SendAsync(http, WithOrigin(Authorized(new HttpRequestMessage(HttpMethod.Get, "/api/2.0/mlflow/experiments/search?max_results=1")), "https://app.example.com"));

        Assert.True(allowed.Headers.TryGetValues("Access-Control-Allow-Origin", out var origins), $"no Access-Control-Allow-Origin on the preflight ({(int)allowed.StatusCode})");
        Assert.Equal("https://app.example.com", Assert.Single(origins));
        Assert.DoesNotContain(CorsHeaders(other), header => header.Key == "Access-Control-Allow-Origin");
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal("https://app.example.com", signedIn.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task JsonBody_OverTheLimit_MlflowBadRequest(bool chunked)
    {
        await using var server = await SlipwayTestServer.StartAsync(configure: options =>
        {
            EnableAuth(options);
            options.MaxJsonBodyBytes = 4096;
        });
        using var http = server.CreateClient();
        var body = "{\"name\": \"" + new string('x', 8192) + "\"}";
        using var request = Authorized(new HttpRequestMessage(HttpMethod.Post, "/api/2.0/mlflow/experiments/create") { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        request.Headers.TransferEncodingChunked = chunked;

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        using var error = JsonDocument.Parse(text);
        Assert.Equal("INVALID_PARAMETER_VALUE", error.RootElement.GetProperty("error_code").GetString());
    }

    public static TheoryData<bool, string> UiPages { get; } = new() { { true, "/login" }, { true, "/experiments" }, { false, "/" }, { false, "/ui/slipway.css" } };

    [Theory]
    [MemberData(nameof(UiPages))]
    public async Task UiResponse_AnyPage_CarriesBrowserSecurityHeaders(bool auth, string target)
    {
        await using var server = await SlipwayTestServer.StartAsync(configure: options =>
        {
            if (auth)
                EnableAuth(options);
        });
        using var http = server.CreateClient();

        using var response = await http.SendAsync(auth && target != "/login" ? Authorized(new HttpRequestMessage(HttpMethod.Get, target)) : new HttpRequestMessage(HttpMethod.Get, target));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Contains("frame-ancestors 'none'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
        Assert.DoesNotContain("'unsafe-eval'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(Header(response, "Referrer-Policy")));
    }

    private static void EnableAuth(Slipway.Server.SlipwayServerOptions options)
    {
        options.Auth.Enabled = true;
        options.Auth.AdminPassword = AdminPassword;
        options.Auth.PasswordIterations = 10_000;
    }

    private static HttpRequestMessage Authorized(HttpRequestMessage request)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + AdminPassword)));
        return request;
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = WithOrigin(new HttpRequestMessage(HttpMethod.Options, "/api/2.0/mlflow/experiments/create"), origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }

    private static HttpRequestMessage WithOrigin(HttpRequestMessage request, string origin)
    {
        request.Headers.Add("Origin", origin);
        return request;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request)
    {
        using (request)
            return await http.SendAsync(request);
    }

    private static IEnumerable<KeyValuePair<string, IEnumerable<string>>> CorsHeaders(HttpResponseMessage response) =>
        response.Headers.Concat(response.Content.Headers).Where(header => header.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase)).ToList();

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : "";
}
