using System.Globalization;
using Slipway.Client;
using Slipway.Core.Errors;
using Slipway.Serving.Endpoints;

namespace Slipway.Serving.DataPlane;

/// <summary>
/// Registry models of a control plane, for <c>slipway serve</c>: aliases are resolved through the control plane on
/// every reconcile pass (<c>GET /api/slipway/v1/models/resolve</c>), so an alias move is followed within one poll;
/// a pinned version (<c>models:/name/3</c>) needs no call. A version's files are downloaded once through the control
/// plane's artifact proxy into the model cache (<c>&lt;cache&gt;/&lt;model&gt;/&lt;version&gt;/</c>).
/// </summary>
public sealed class RemoteModelSource(SlipwayClient client, string cacheDirectory) : IModelSource
{
    public void Validate(string reference) => Parse(reference);

    public async ValueTask<ResolvedModel> ResolveAsync(string reference, CancellationToken ct)
    {
        var parsed = Parse(reference);
        if (parsed.Kind == ModelReferenceKind.Version)
            return new ResolvedModel(parsed.ModelName, parsed.Version!.Value.ToString(CultureInfo.InvariantCulture), null);
        var resolved = await ControlPlaneCalls.CallAsync(client, token => client.ResolveModelUriAsync(reference, token), ControlPlaneCalls.MetadataTimeout, ct);
        return new ResolvedModel(resolved.ModelVersion.Name, resolved.ModelVersion.Version, null);
    }

    public Task<string> MaterializeAsync(ResolvedModel model, CancellationToken ct) => model.LocalPath is { } local
        ? Task.FromResult(local)
        : ModelCache.GetOrFillAsync(ModelCache.FolderFor(cacheDirectory, model), (folder, token) => DownloadAsync(model, folder, token), ct);

    private async Task DownloadAsync(ResolvedModel model, string folder, CancellationToken ct)
    {
        var pinned = $"{ModelReference.Scheme}{model.ModelName}/{model.Version}";
        var resolved = await ControlPlaneCalls.CallAsync(client, token => client.ResolveModelUriAsync(pinned, token), ControlPlaneCalls.MetadataTimeout, ct);
        await ControlPlaneCalls.CallAsync(client, token => client.DownloadArtifactUriAsync(resolved.DownloadUri, folder, token), ControlPlaneCalls.DownloadTimeout, ct);
    }

    private static ModelReference Parse(string reference)
    {
        if (!reference.StartsWith(ModelReference.Scheme, StringComparison.Ordinal))
            throw SlipwayException.InvalidParameter(
                $"Model reference '{reference}' is not a registry model; a data plane fed by a control plane serves models:/<name>@<alias> and models:/<name>/<version> only.");
        return ModelReference.Parse(reference, localRoot: null);
    }
}
