using System.Globalization;

namespace Slipway.Pipelines.Executors.BuiltIn;

/// <summary>
/// A registered model version named by <c>models:/NAME/VERSION</c> or <c>models:/NAME@ALIAS</c>, the two forms the
/// built-in steps pass between each other (register's <c>model_uri</c>, a gate's champion, a deploy's model, an
/// endpoint route). Run and artifact URIs are not registered versions and do not parse.
/// </summary>
internal readonly record struct RegisteredModelUri(string Name, string? Version, string? Alias)
{
    public const string Scheme = "models:/";

    public static bool TryParse(string? uri, out RegisteredModelUri parsed)
    {
        parsed = default;
        if (uri is null || !uri.StartsWith(Scheme, StringComparison.Ordinal))
            return false;
        var rest = uri[Scheme.Length..];
        var at = rest.LastIndexOf('@');
        if (at > 0 && at < rest.Length - 1)
        {
            parsed = new RegisteredModelUri(rest[..at], null, rest[(at + 1)..]);
            return true;
        }
        var slash = rest.LastIndexOf('/');
        if (slash > 0 && long.TryParse(rest[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0)
        {
            parsed = new RegisteredModelUri(rest[..slash], version.ToString(CultureInfo.InvariantCulture), null);
            return true;
        }
        return false;
    }

    public static string OfVersion(string name, string version) => $"{Scheme}{name}/{version}";

    public static string OfAlias(string name, string alias) => $"{Scheme}{name}@{alias}";
}
