namespace Slipway.Artifacts;

/// <summary>
/// This server's artifact URIs, as MLflow's proxied artifact store writes them: <c>mlflow-artifacts:/&lt;path&gt;</c>,
/// or with an authority, <c>mlflow-artifacts://host:port/&lt;path&gt;</c>. Run and experiment locations, model version
/// sources, batch job files and monitor references all use this one form.
/// </summary>
public static class ArtifactUri
{
    public const string Prefix = "mlflow-artifacts:/";

    public static string For(string storePath) => Prefix + storePath;

    /// <summary>
    /// The artifact-store path of <paramref name="uri"/>, percent-decoded once and checked by
    /// <see cref="ArtifactPath.Normalize"/> (which throws INVALID_PARAMETER_VALUE for anything that would leave the
    /// root); false when the URI has another scheme.
    /// </summary>
    public static bool TryGetStorePath(string uri, out string storePath)
    {
        storePath = "";
        if (!uri.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            return false;
        var rest = uri[Prefix.Length..];
        if (rest.StartsWith('/'))
        {
            // mlflow-artifacts://host:port/path: the authority names the server, not a folder.
            var slash = rest.IndexOf('/', 1);
            rest = slash < 0 ? "" : rest[(slash + 1)..];
        }
        storePath = ArtifactPath.Normalize(Uri.UnescapeDataString(rest));
        return true;
    }
}
