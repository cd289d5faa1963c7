using Slipway.Serving.Endpoints;

namespace Slipway.Serving.DataPlane;

/// <summary>
/// Where a serving process gets its models: turns a route's model reference into the version it points at now, and
/// that version into a local file or folder the model loader can open. <see cref="ModelResolver"/> reads the registry
/// and artifact store of this process (<c>slipway server</c>); <see cref="RemoteModelSource"/> asks a control plane
/// over HTTP and downloads; <see cref="FileModelSource"/> serves local paths named in an endpoints file.
/// </summary>
public interface IModelSource
{
    /// <summary>Throws INVALID_PARAMETER_VALUE when <paramref name="reference"/> cannot name a model for this source; reads nothing.</summary>
    void Validate(string reference);

    /// <summary>
    /// The version <paramref name="reference"/> points at now. Called on every reconcile pass, so that alias moves are
    /// followed; NOT_FOUND when its alias or path does not exist.
    /// </summary>
    ValueTask<ResolvedModel> ResolveAsync(string reference, CancellationToken ct);

    /// <summary>A local path for the loader: <see cref="ResolvedModel.LocalPath"/> itself, or the version's copy in the model cache.</summary>
    Task<string> MaterializeAsync(ResolvedModel model, CancellationToken ct);
}
