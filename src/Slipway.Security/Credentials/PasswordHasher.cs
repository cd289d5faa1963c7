using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Slipway.Security.Credentials;

/// <summary>
/// Salted PBKDF2-HMAC-SHA256 password hashes in the self-describing form <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c>
/// (base64 salt of 16 bytes, hash of 32). Each hash keeps its own iteration count, so raising the setting later still
/// verifies older hashes.
/// </summary>
public sealed class PasswordHasher(SecurityOptions options)
{
    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(password, salt, options.PasswordIterations);
        return string.Join('$', Scheme, options.PasswordIterations.ToString(CultureInfo.InvariantCulture),
            Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>Whether <paramref name="password"/> matches <paramref name="stored"/>; false for a malformed hash.</summary>
    public static bool Verify(string password, string? stored)
    {
        if (stored is null)
            return false;
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
            return false;
        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Derive(password, salt, iterations, expected.Length), expected);
    }

    /// <summary>The problem with a proposed password, or null when it is acceptable.</summary>
    public string? Check(string? password)
    {
        if (string.IsNullOrEmpty(password))
            return "A password is required.";
        if (password.Length < options.MinPasswordLength)
            return $"Passwords must be at least {options.MinPasswordLength} characters long.";
        if (password.Length > 1024)
            return "Passwords must be at most 1024 characters long.";
        return null;
    }

    private static byte[] Derive(string password, byte[] salt, int iterations, int length = HashBytes) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, length);
}
