using System.Diagnostics.CodeAnalysis;
using Slipway.Pipelines.Executors.Kubernetes;

namespace Slipway.Cli.Deploy;

/// <summary>
/// One key of a Kubernetes Secret, written <c>NAME[:KEY]</c> on the command line (for example
/// <c>--token-secret serving-token</c> or <c>--token-secret serving-login:slw</c>). The manifests only ever reference
/// the Secret; its value never passes through <c>slipway deploy</c>.
/// </summary>
/// <param name="Name">The Secret's name, a DNS subdomain.</param>
/// <param name="Key">The key inside the Secret's data.</param>
public sealed record SecretKeyReference(string Name, string Key)
{
    /// <summary>The key read when the reference names none; the Helm chart's <c>serving.tokenSecret.key</c> default.</summary>
    public const string DefaultTokenKey = "token";

    /// <summary>Reads <c>NAME</c> or <c>NAME:KEY</c>; <paramref name="defaultKey"/> stands in for a missing key.</summary>
    /// <returns>False, with no reference, when the name is not a Secret name or the key not a Secret data key.</returns>
    public static bool TryParse(string text, string defaultKey, [NotNullWhen(true)] out SecretKeyReference? reference)
    {
        reference = null;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? text : text[..colon];
        var key = colon < 0 ? defaultKey : text[(colon + 1)..];
        if (!IsSecretName(name) || !IsDataKey(key))
            return false;
        reference = new SecretKeyReference(name, key);
        return true;
    }

    /// <summary>A Secret name: a DNS subdomain of lower-case labels, at most 253 characters.</summary>
    public static bool IsSecretName(string name) =>
        name.Length is > 0 and <= 253 && name.Split('.').All(KubernetesNames.IsDnsLabel);

    // Kubernetes accepts letters, digits, '-', '_' and '.' in Secret data keys, at most 253 of them.
    private static bool IsDataKey(string key) =>
        key.Length is > 0 and <= 253 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <inheritdoc/>
    public override string ToString() => $"{Name}:{Key}";
}
