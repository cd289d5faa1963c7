using Slipway.Core.Errors;
using Slipway.Serving.Endpoints;

namespace Slipway.Serving.DataPlane;

/// <summary>
/// Models named in an endpoints file (<c>slipway serve --file</c>): a path, taken relative to the file's folder, or a
/// registry model (<c>models:/…</c>) resolved through <paramref name="registry"/>, the control plane, when there is
/// one. Unlike a spec sent to <c>slipway server</c>, a path may point anywhere: whoever writes the file runs the process.
/// A path's version is <see cref="ModelResolver.LocalVersion"/>; to roll out new files, point the route at a new path.
/// </summary>
public sealed class FileModelSource(string baseFolder, IModelSource? registry) : IModelSource
{
    public void Validate(string reference)
    {
        if (IsRegistryReference(reference))
            Registry(reference).Validate(reference);
        else
            FullPath(reference);
    }

    public async ValueTask<ResolvedModel> ResolveAsync(string reference, CancellationToken ct)
    {
        if (IsRegistryReference(reference))
            return await Registry(reference).ResolveAsync(reference, ct);
        var full = FullPath(reference);
        if (!File.Exists(full) && !Directory.Exists(full))
            throw SlipwayException.NotFound($"Model path '{reference}' does not exist ({full}).");
        return new ResolvedModel(reference.Replace('\\', '/'), ModelResolver.LocalVersion, full);
    }

    public Task<string> MaterializeAsync(ResolvedModel model, CancellationToken ct) => model.LocalPath is { } local
        ? Task.FromResult(local)
        : Registry(model.DisplayName).MaterializeAsync(model, ct);

    private static bool IsRegistryReference(string reference) => reference.StartsWith(ModelReference.Scheme, StringComparison.Ordinal);

    private IModelSource Registry(string reference) => registry
        ?? throw SlipwayException.InvalidParameter($"Model reference '{reference}' names a registry model; serving it needs --control-plane.");

    private string FullPath(string reference)
    {
        if (string.IsNullOrWhiteSpace(reference))
            throw SlipwayException.InvalidParameter("A route's model reference must not be empty.");
        if (reference.Contains(':', StringComparison.Ordinal) && !Path.IsPathRooted(reference))
            throw SlipwayException.InvalidParameter(
                $"Unsupported model reference '{reference}'. Use a path (relative to the endpoints file's folder), models:/<name>@<alias> or models:/<name>/<version>.");
        return Path.GetFullPath(Path.Combine(baseFolder, reference));
    }
}
