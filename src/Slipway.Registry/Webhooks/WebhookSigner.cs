using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Slipway.Registry.Webhooks;

/// <summary>
/// Signs webhook deliveries and checks their signatures. Every delivery carries
/// <c>X-Slipway-Timestamp: {unix seconds}</c> and
/// <c>X-Slipway-Signature: sha256={hex}</c>, where <c>{hex}</c> is the lowercase hexadecimal
/// HMAC-SHA256, keyed with the UTF-8 bytes of the webhook's secret, of the UTF-8 bytes of
/// <c>{timestamp}.{body}</c>: the timestamp header's decimal digits, a dot, then the request body exactly as
/// received (before any JSON parsing).
/// </summary>
/// <remarks>
/// A receiver verifies with <see cref="Verify"/> (a constant-time comparison) and should also reject timestamps
/// far from its own clock (a few minutes) so that a captured request cannot be replayed later. Deliveries are
/// at-least-once: the <c>X-Slipway-Delivery</c> header is stable across retries and lets a receiver drop duplicates.
/// </remarks>
public static class WebhookSigner
{
    /// <summary>The scheme prefix of the signature header value.</summary>
    public const string Scheme = "sha256=";

    private const int HashLength = 32;

    /// <summary>Returns the <c>X-Slipway-Signature</c> value, <c>sha256={lowercase hex}</c>, for a body sent at <paramref name="timestamp"/>.</summary>
    /// <param name="secret">The webhook's secret.</param>
    /// <param name="timestamp">Unix time in seconds, as sent in <c>X-Slipway-Timestamp</c>.</param>
    /// <param name="body">The request body bytes.</param>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[HashLength];
        ComputeHash(secret, timestamp, body, hash);
        return Scheme + Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// True when <paramref name="signature"/> (the <c>X-Slipway-Signature</c> value) is the signature of
    /// <paramref name="body"/> at <paramref name="timestamp"/> under <paramref name="secret"/>. The digests are
    /// compared in constant time; a missing, malformed or differently-schemed value is simply rejected.
    /// </summary>
    public static bool Verify(string secret, long timestamp, ReadOnlySpan<byte> body, string? signature)
    {
        if (signature is null || !signature.StartsWith(Scheme, StringComparison.Ordinal))
            return false;
        var hex = signature.AsSpan(Scheme.Length);
        if (hex.Length != HashLength * 2)
            return false;
        Span<byte> expected = stackalloc byte[HashLength];
        if (Convert.FromHexString(hex, expected, out _, out var written) != System.Buffers.OperationStatus.Done || written != HashLength)
            return false;
        Span<byte> actual = stackalloc byte[HashLength];
        ComputeHash(secret, timestamp, body, actual);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static void ComputeHash(string secret, long timestamp, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(secret);
        // "{timestamp}." — at most 20 digits and a sign, then the dot.
        Span<byte> prefix = stackalloc byte[22];
        timestamp.TryFormat(prefix, out var length, provider: CultureInfo.InvariantCulture);
        prefix[length++] = (byte)'.';
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(prefix[..length]);
        hmac.AppendData(body);
        hmac.GetHashAndReset(destination);
    }
}
