using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Slipway.Security.Tests.Hardening;

/// <summary>
/// A test-owned OpenID Connect issuer on 127.0.0.1: it serves <c>/.well-known/openid-configuration</c> and a JWKS with
/// one RSA key generated here, and signs the tokens the tests hand to Slipway (good ones, and ones with a wrong
/// audience, an expiry in the past, a key it does not publish, or no signature at all).
/// </summary>
public sealed class TestOidcIssuer : IAsyncDisposable
{
    public const string Audience = "slipway-tests";
    private const string KeyId = "matrix-key-1";
    private readonly WebApplication _app;
    private readonly RSA _key;

    private TestOidcIssuer(WebApplication app, RSA key, string issuer)
    {
        _app = app;
        _key = key;
        Issuer = issuer;
    }

    /// <summary>The issuer URL, which is also the authority Slipway is configured with.</summary>
    public string Issuer { get; }

    public static async Task<TestOidcIssuer> StartAsync()
    {
        var key = RSA.Create(2048);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        string? issuer = null;
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer!,
            ["jwks_uri"] = issuer + "/jwks",
            ["authorization_endpoint"] = issuer + "/authorize",
            ["token_endpoint"] = issuer + "/token",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        var parameters = key.ExportParameters(includePrivateParameters: false);
        app.MapGet("/jwks", () => Results.Json(new
        {
            keys = new[]
            {
                new { kty = "RSA", use = "sig", alg = "RS256", kid = KeyId, n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) },
            },
        }));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        issuer = address.TrimEnd('/');
        return new TestOidcIssuer(app, key, issuer);
    }

    /// <summary>A token signed with the published key; <paramref name="groups"/> go in the <c>groups</c> claim.</summary>
    public string Sign(string user, string[]? groups = null, string audience = Audience, TimeSpan? expiresIn = null, RSA? key = null)
    {
        var now = DateTime.UtcNow;
        var expires = now + (expiresIn ?? TimeSpan.FromMinutes(10));
        var claims = new Dictionary<string, object> { ["preferred_username"] = user, ["sub"] = "sub-" + user };
        if (groups is not null)
            claims["groups"] = groups;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            IssuedAt = expires < now ? expires.AddMinutes(-20) : now,
            NotBefore = expires < now ? expires.AddMinutes(-20) : now.AddMinutes(-1),
            Expires = expires,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key ?? _key) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>An unsigned token (<c>"alg": "none"</c>) with otherwise valid claims.</summary>
    public string Unsigned(string user)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = JsonSerializer.Serialize(new { alg = "none", typ = "JWT" });
        var payload = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["iss"] = Issuer, ["aud"] = Audience, ["preferred_username"] = user, ["sub"] = "sub-" + user,
            ["iat"] = now, ["nbf"] = now - 60, ["exp"] = now + 600,
        });
        return Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(header)) + "." + Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload)) + ".";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Dispose();
    }
}
