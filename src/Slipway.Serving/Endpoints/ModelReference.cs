using System.Globalization;
using Slipway.Core.Errors;

namespace Slipway.Serving.Endpoints;

public enum ModelReferenceKind
{
    /// <summary><c>models:/name@alias</c>: follows the alias.</summary>
    Alias,

    /// <summary><c>models:/name/3</c>: one fixed version.</summary>
    Version,

    /// <summary>A file or folder under <see cref="ServingOptions.LocalModelRoot"/>.</summary>
    LocalPath,
}

/// <summary>A route's model reference, parsed and checked; <see cref="ModelResolver"/> turns it into a version.</summary>
public sealed record ModelReference(ModelReferenceKind Kind, string ModelName, string? Alias, long? Version, string? FullPath)
{
    public const string Scheme = "models:/";

    /// <summary>
    /// Parses <c>models:/name@alias</c>, <c>models:/name/N</c>, or a path that must lie inside <paramref name="localRoot"/>
    /// (relative paths are taken relative to it). Anything else, a path outside the root, or any path when there is no
    /// root, is INVALID_PARAMETER_VALUE: an endpoint spec must not be a way to make the server read its own files.
    /// </summary>
    public static ModelReference Parse(string reference, string? localRoot)
    {
        if (string.IsNullOrWhiteSpace(reference))
            throw SlipwayException.InvalidParameter("A route's model reference must not be empty.");
        if (reference.StartsWith(Scheme, StringComparison.Ordinal))
            return ParseRegistry(reference);
        if (reference.Contains(':', StringComparison.Ordinal) && !Path.IsPathRooted(reference))
            throw SlipwayException.InvalidParameter(
                $"Unsupported model reference '{reference}'. Use models:/<name>@<alias>, models:/<name>/<version>, or a path under the server's local model root.");
        return ParsePath(reference, localRoot);
    }

    private static ModelReference ParseRegistry(string reference)
    {
        var rest = reference[Scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && slash == rest.LastIndexOf('/')
            && long.TryParse(rest[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0)
            return new ModelReference(ModelReferenceKind.Version, rest[..slash], null, version, null);
        var at = rest.LastIndexOf('@');
        if (slash < 0 && at > 0 && at < rest.Length - 1)
            return new ModelReference(ModelReferenceKind.Alias, rest[..at], rest[(at + 1)..], null, null);
        throw SlipwayException.InvalidParameter(
            $"Invalid model reference '{reference}'. Expected models:/<name>@<alias> or models:/<name>/<version> (a positive number).");
    }

    private static ModelReference ParsePath(string reference, string? localRoot)
    {
        if (localRoot is null)
            throw SlipwayException.InvalidParameter(
                $"Model reference '{reference}' is a path, but this server has no local model root (Serving:LocalModelRoot); register the model and use models:/<name>@<alias>.");
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(localRoot));
        var full = Path.GetFullPath(Path.Combine(root, reference));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw SlipwayException.InvalidParameter($"Model path '{reference}' is outside the server's local model root.");
        // A link inside the root could still lead out of it.
        for (var path = full; path.Length > root.Length; path = Path.GetDirectoryName(path)!)
        {
            FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
            if (info.Exists && info.LinkTarget is not null)
                throw SlipwayException.InvalidParameter($"Model path '{reference}' goes through a symbolic link, which is not allowed.");
        }
        return new ModelReference(ModelReferenceKind.LocalPath, Path.GetRelativePath(root, full).Replace('\\', '/'), null, null, full);
    }
}
