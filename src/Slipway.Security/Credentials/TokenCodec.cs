using System.Security.Cryptography;
using System.Text;

namespace Slipway.Security.Credentials;

/// <summary>
/// Access-token secrets: <c>slw_</c> followed by 32 random bytes in base64url (256 bits, so a fast SHA-256 is a safe
/// stored form). Only the hash is stored; the secret is shown once. The prefix (<c>slw_</c> and 8 characters) tells
/// tokens apart in lists and lets secret scanners recognise a leaked one.
/// </summary>
public static class TokenCodec
{
    public const string SecretPrefix = "slw_";
    private const int DisplayPrefixLength = 12;

    /// <summary>A new secret, its stored hash and its display prefix.</summary>
    public static (string Secret, string Hash, string Prefix) NewSecret()
    {
        var secret = SecretPrefix + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return (secret, HashOf(secret), secret[..DisplayPrefixLength]);
    }

    /// <summary>Lower-case hex SHA-256 of the secret, as stored.</summary>
    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Whether a credential has the shape of a Slipway token (so it is not mistaken for a password or a JWT).</summary>
    public static bool LooksLikeToken(string? credential) =>
        credential is { Length: > 20 and < 200 } && credential.StartsWith(SecretPrefix, StringComparison.Ordinal);

    /// <summary>A new token id: <c>tok_</c> and 16 hex characters.</summary>
    public static string NewId() => "tok_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
