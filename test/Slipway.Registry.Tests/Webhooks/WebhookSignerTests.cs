using System.Security.Cryptography;
using System.Text;
using Slipway.Registry.Webhooks;

namespace Slipway.Registry.Tests.Webhooks;

public sealed class WebhookSignerTests
{
    private const string Secret = "a-webhook-secret-of-some-length";
    private const long Timestamp = 1_763_900_000;
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"event":"model_version.created","model_name":"ünïcode"}""");

    [Fact]
    public void Sign_KnownInput_IsLowercaseHexHmacOfTimestampDotBody()
    {
        var message = Encoding.UTF8.GetBytes($"{Timestamp}.").Concat(Body).ToArray();
        var expected = "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), message)).ToLowerInvariant();

        Assert.Equal(expected, WebhookSigner.Sign(Secret, Timestamp, Body));
    }

    [Fact]
    public void Sign_FixedVector_MatchesPrecomputedDigest()
    {
        // HMAC-SHA256(key "key", "1.{}") computed with: printf '1.{}' | openssl dgst -sha256 -hmac key
        Assert.Equal("sha256=1ba6b8171186efc613e8bcc0cbdab2748f24984d7c5a84faa2637afa0e40d224", WebhookSigner.Sign("key", 1, "{}"u8));
    }

    [Fact]
    public void Verify_OwnSignature_Accepted()
    {
        var signature = WebhookSigner.Sign(Secret, Timestamp, Body);

        Assert.True(WebhookSigner.Verify(Secret, Timestamp, Body, signature));
        Assert.True(WebhookSigner.Verify(Secret, Timestamp, Body, signature.ToUpperInvariant().Replace("SHA256=", "sha256=", StringComparison.Ordinal)));
    }

    [Fact]
    public void Verify_WrongSecretTimestampOrBody_Rejected()
    {
        var signature = WebhookSigner.Sign(Secret, Timestamp, Body);
        var altered = (byte[])Body.Clone();
        altered[^2] ^= 1;

        Assert.False(WebhookSigner.Verify(Secret + "x", Timestamp, Body, signature));
        Assert.False(WebhookSigner.Verify(Secret, Timestamp + 1, Body, signature));
        Assert.False(WebhookSigner.Verify(Secret, Timestamp, altered, signature));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256=")]
    [InlineData("sha1=0123456789abcdef0123456789abcdef01234567")]
    [InlineData("sha256=zz23456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("sha256=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd")]
    public void Verify_MalformedSignature_Rejected(string? signature) =>
        Assert.False(WebhookSigner.Verify(Secret, Timestamp, Body, signature));
}
