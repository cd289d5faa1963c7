namespace Slipway.Security.Tests.Hardening;

/// <summary>
/// The secrets a test handed to or got from the server, and where any of them shows up in a text (a log, a metrics page,
/// the audit trail). Each secret is looked for whole and, for long ones, by a 16-character middle piece, so a secret that
/// was cut, quoted or wrapped is still found.
/// </summary>
internal sealed class SecretScan
{
    private readonly Dictionary<string, string> _secrets = new(StringComparer.Ordinal);

    public int Count => _secrets.Count;

    /// <summary>Adds a secret under a label that says what it is (never the secret itself, so failures don't repeat it).</summary>
    public void Add(string label, string? secret)
    {
        if (string.IsNullOrEmpty(secret))
            return;
        _secrets[secret] = label;
    }

    /// <summary>The labels of every secret found in <paramref name="text"/>, with where.</summary>
    public IReadOnlyList<string> FindIn(string where, string text)
    {
        var found = new List<string>();
        foreach (var (secret, label) in _secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
                found.Add($"{label} in {where}");
            else if (secret.Length >= 32 && text.Contains(secret.Substring(secret.Length / 2 - 8, 16), StringComparison.Ordinal))
                found.Add($"part of {label} in {where}");
        }
        return found;
    }
}
