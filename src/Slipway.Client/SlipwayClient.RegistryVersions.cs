using System.Runtime.CompilerServices;
using Slipway.Client.Protocol;

namespace Slipway.Client;

public sealed partial class SlipwayClient
{
    private const string VersionsPath = MlflowPrefix + "model-versions/";

    /// <summary>Registers a new version of a model (<c>POST model-versions/create</c>); the server numbers it.</summary>
    /// <param name="name">The registered model (it must exist).</param>
    /// <param name="source">Where the model's files are, e.g. <c>runs:/&lt;run_id&gt;/model</c>.</param>
    /// <param name="runId">The run that produced it, for lineage and metric gates.</param>
    /// <param name="tags">Tags to set on the new version.</param>
    /// <param name="runLink">A link to the run in another system.</param>
    /// <param name="description">An optional description.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="SlipwayApiException"><c>RESOURCE_DOES_NOT_EXIST</c> for an unknown model.</exception>
    public async Task<ModelVersion> CreateModelVersionAsync(
        string name, string source, string? runId = null, IEnumerable<KeyValuePair<string, string>>? tags = null,
        string? runLink = null, string? description = null, CancellationToken ct = default)
    {
        var request = new CreateModelVersionRequest(name, source, NullIfEmpty(runId), ToTags(tags), runLink, description);
        var response = await SendJsonAsync(HttpMethod.Post, VersionsPath + "create", request, SlipwayJsonContext.Default.CreateModelVersionRequest, SlipwayJsonContext.Default.ModelVersionResponse, ct).ConfigureAwait(false);
        return response.ModelVersion ?? throw MissingField("model_version");
    }

    /// <summary>Reads a model version (<c>GET model-versions/get</c>).</summary>
    /// <exception cref="SlipwayApiException"><c>RESOURCE_DOES_NOT_EXIST</c> for an unknown model or version.</exception>
    public async Task<ModelVersion> GetModelVersionAsync(string name, string version, CancellationToken ct = default)
    {
        var response = await GetJsonAsync(VersionsPath + "get", [new("name", name), new("version", version)], SlipwayJsonContext.Default.ModelVersionResponse, ct).ConfigureAwait(false);
        return response.ModelVersion ?? throw MissingField("model_version");
    }

    /// <summary>Reads one page of model versions (<c>GET model-versions/search</c>).</summary>
    /// <param name="filter">A filter such as <c>name = 'iris'</c> or <c>run_id = '…'</c>; null for all.</param>
    /// <param name="orderBy">Sort clauses such as <c>version_number DESC</c>.</param>
    /// <param name="maxResults">Page size; null for the server default.</param>
    /// <param name="pageToken">The <see cref="Page{T}.NextPageToken"/> of the previous page; null for the first.</param>
    /// <param name="ct">Cancels the request.</param>
    public async Task<Page<ModelVersion>> SearchModelVersionsAsync(
        string? filter = null, IEnumerable<string>? orderBy = null, int? maxResults = null, string? pageToken = null, CancellationToken ct = default)
    {
        var query = SearchQuery(filter, orderBy, maxResults, pageToken);
        var response = await GetJsonAsync(VersionsPath + "search", query, SlipwayJsonContext.Default.SearchModelVersionsResponse, ct).ConfigureAwait(false);
        return new Page<ModelVersion>(response.ModelVersions ?? [], NullIfEmpty(response.NextPageToken));
    }

    /// <summary>Enumerates every matching model version, reading page after page until the server has no more.</summary>
    /// <param name="filter">See <see cref="SearchModelVersionsAsync"/>.</param>
    /// <param name="orderBy">See <see cref="SearchModelVersionsAsync"/>.</param>
    /// <param name="pageSize">Versions per request.</param>
    /// <param name="ct">Cancels the enumeration.</param>
    public async IAsyncEnumerable<ModelVersion> SearchAllModelVersionsAsync(
        string? filter = null, IEnumerable<string>? orderBy = null, int pageSize = 1000, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var order = orderBy?.ToList();
        string? token = null;
        do
        {
            var page = await SearchModelVersionsAsync(filter, order, pageSize, token, ct).ConfigureAwait(false);
            foreach (var version in page.Items)
                yield return version;
            token = page.NextPageToken;
        }
        while (token is not null);
    }

    /// <summary>Changes a version's description (<c>PATCH model-versions/update</c>).</summary>
    public async Task<ModelVersion> UpdateModelVersionAsync(string name, string version, string? description, CancellationToken ct = default)
    {
        var request = new UpdateModelVersionRequest(name, version, description);
        var response = await SendJsonAsync(HttpMethod.Patch, VersionsPath + "update", request, SlipwayJsonContext.Default.UpdateModelVersionRequest, SlipwayJsonContext.Default.ModelVersionResponse, ct).ConfigureAwait(false);
        return response.ModelVersion ?? throw MissingField("model_version");
    }

    /// <summary>Moves a version to another stage (<c>POST model-versions/transition-stage</c>).</summary>
    /// <param name="name">The registered model.</param>
    /// <param name="version">The version.</param>
    /// <param name="stage">One of <see cref="ModelStages"/>.</param>
    /// <param name="archiveExistingVersions">Move the versions now in <paramref name="stage"/> to <c>Archived</c>.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="SlipwayApiException">
    /// <c>PERMISSION_DENIED</c> when the model's approval policy protects the stage (use <see cref="RequestApprovalAsync"/>).
    /// </exception>
    public async Task<ModelVersion> TransitionModelVersionStageAsync(
        string name, string version, string stage, bool archiveExistingVersions = false, CancellationToken ct = default)
    {
        var request = new TransitionStageRequest(name, version, stage, archiveExistingVersions);
        var response = await SendJsonAsync(HttpMethod.Post, VersionsPath + "transition-stage", request, SlipwayJsonContext.Default.TransitionStageRequest, SlipwayJsonContext.Default.ModelVersionResponse, ct).ConfigureAwait(false);
        return response.ModelVersion ?? throw MissingField("model_version");
    }

    /// <summary>Deletes a model version (<c>DELETE model-versions/delete</c>); this cannot be undone.</summary>
    public Task DeleteModelVersionAsync(string name, string version, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Delete, VersionsPath + "delete", new ModelVersionRequest(name, version), SlipwayJsonContext.Default.ModelVersionRequest, SlipwayJsonContext.Default.EmptyResponse, ct);

    /// <summary>Sets (or overwrites) a model version tag (<c>POST model-versions/set-tag</c>).</summary>
    public Task SetModelVersionTagAsync(string name, string version, string key, string value, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Post, VersionsPath + "set-tag", new ModelVersionTagRequest(name, version, key, value), SlipwayJsonContext.Default.ModelVersionTagRequest, SlipwayJsonContext.Default.EmptyResponse, ct);

    /// <summary>Deletes a model version tag (<c>DELETE model-versions/delete-tag</c>).</summary>
    public Task DeleteModelVersionTagAsync(string name, string version, string key, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Delete, VersionsPath + "delete-tag", new ModelVersionTagKeyRequest(name, version, key), SlipwayJsonContext.Default.ModelVersionTagKeyRequest, SlipwayJsonContext.Default.EmptyResponse, ct);

    /// <summary>Reads where a version's files can be downloaded from (<c>GET model-versions/get-download-uri</c>).</summary>
    public async Task<string> GetModelVersionDownloadUriAsync(string name, string version, CancellationToken ct = default)
    {
        var response = await GetJsonAsync(VersionsPath + "get-download-uri", [new("name", name), new("version", version)], SlipwayJsonContext.Default.DownloadUriResponse, ct).ConfigureAwait(false);
        return response.ArtifactUri ?? throw MissingField("artifact_uri");
    }
}
