using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Slipway.Testing;

namespace Slipway.Security.Tests.Hardening;

/// <summary>
/// Single sign-on with JWT bearer tokens from an OpenID Connect provider (<see cref="TestOidcIssuer"/>, owned by the
/// test, on 127.0.0.1): a valid token signs in as its <c>preferred_username</c>, the admin group makes an admin, and a
/// token for another audience, an expired one, one signed with a key the issuer does not publish and an unsigned one
/// (<c>alg: none</c>) are all refused with MLflow's 401.
/// </summary>
public sealed class OidcTests : IAsyncLifetime
{
    private TestOidcIssuer? _issuer;
    private SlipwayTestServer? _server;
    private HttpClient? _http;

    private TestOidcIssuer Issuer => _issuer!;

    public async Task InitializeAsync()
    {
        _issuer = await TestOidcIssuer.StartAsync();
        _server = await SlipwayTestServer.StartAsync(configure: options =>
        {
            options.Auth.AdminPassword = "oidc-admin-password";
            options.Auth.PasswordIterations = 10_000;
            options.Auth.Oidc.Authority = _issuer.Issuer;
            options.Auth.Oidc.Audience = TestOidcIssuer.Audience;
            options.Auth.Oidc.RequireHttpsMetadata = false;
        });
        _http = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
        if (_issuer is not null)
            await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task WhoAmI_TokenNamingALocalAccount_IsRefused()
    {
        // An identity provider that lets users pick preferred_username must not hand out the local administrator.
        var (status, body) = await GetAsync("/api/2.0/slipway/whoami", Issuer.Sign("admin"));

        AssertMlflowError((status, body), HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
        Assert.Contains("local", body);
    }

    [Fact]
    public async Task WhoAmI_ValidToken_SignsInAsPreferredUsername()
    {
        var (status, body) = await GetAsync("/api/2.0/slipway/whoami", Issuer.Sign("olivia"));

        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {body}");
        using var answer = JsonDocument.Parse(body);
        Assert.Equal("olivia", answer.RootElement.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal("oidc", answer.RootElement.GetProperty("auth_method").GetString());
        Assert.False(answer.RootElement.GetProperty("user").GetProperty("admin").GetBoolean());
    }

    [Fact]
    public async Task AdminRoute_TokenWithAdminGroup_AllowedAndWithoutIt_Forbidden()
    {
        var admin = await GetAsync("/api/2.0/slipway/users", Issuer.Sign("root", groups: ["slipway-admins"]));
        var plain = await GetAsync("/api/2.0/slipway/users", Issuer.Sign("olivia", groups: ["engineers"]));

        Assert.True(admin.Status == HttpStatusCode.OK, $"{(int)admin.Status}: {admin.Body}");
        AssertMlflowError(plain, HttpStatusCode.Forbidden, "PERMISSION_DENIED");
    }

    public static TheoryData<string> BadTokens { get; } = new() { "wrong audience", "expired", "wrong key", "alg none" };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task WhoAmI_BadToken_Unauthenticated(string kind)
    {
        using var otherKey = RSA.Create(2048);
        var token = kind switch
        {
            "wrong audience" => Issuer.Sign("olivia", audience: "another-client"),
            "expired" => Issuer.Sign("olivia", expiresIn: TimeSpan.FromHours(-1)),
            "wrong key" => Issuer.Sign("olivia", key: otherKey),
            _ => Issuer.Unsigned("olivia"),
        };

        var answer = await GetAsync("/api/2.0/slipway/whoami", token);

        AssertMlflowError(answer, HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
    }

    private static void AssertMlflowError((HttpStatusCode Status, string Body) answer, HttpStatusCode status, string code)
    {
        Assert.True(answer.Status == status, $"expected {(int)status}, got {(int)answer.Status}: {answer.Body}");
        using var error = JsonDocument.Parse(answer.Body);
        Assert.Equal(code, error.RootElement.GetProperty("error_code").GetString());
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string target, string bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, target);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await _http!.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
