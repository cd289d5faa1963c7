using System.Runtime.CompilerServices;
using Slipway.Client.Protocol;

namespace Slipway.Client;

public sealed partial class SlipwayClient
{
    private const string ModelsPath = MlflowPrefix + "registered-models/";

    /// <summary>Registers a model name (<c>POST registered-models/create</c>).</summary>
    /// <param name="name">A unique name.</param>
    /// <param name="description">An optional description.</param>
    /// <param name="tags">Tags to set on the new model.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="SlipwayApiException"><c>RESOURCE_ALREADY_EXISTS</c> when the name is taken.</exception>
    public async Task<RegisteredModel> CreateRegisteredModelAsync(
        string name, string? description = null, IEnumerable<KeyValuePair<string, string>>? tags = null, CancellationToken ct = default)
    {
        var request = new CreateRegisteredModelRequest(name, ToTags(tags), description);
        var response = await SendJsonAsync(HttpMethod.Post, ModelsPath + "create", request, SlipwayJsonContext.Default.CreateRegisteredModelRequest, SlipwayJsonContext.Default.RegisteredModelResponse, ct).ConfigureAwait(false);
        return response.RegisteredModel ?? throw MissingField("registered_model");
    }

    /// <summary>Reads a registered model with its latest versions, tags and aliases (<c>GET registered-models/get</c>).</summary>
    /// <exception cref="SlipwayApiException"><c>RESOURCE_DOES_NOT_EXIST</c> for an unknown name.</exception>
    public async Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken ct = default)
    {
        var response = await GetJsonAsync(ModelsPath + "get", [new("name", name)], SlipwayJsonContext.Default.RegisteredModelResponse, ct).ConfigureAwait(false);
        return response.RegisteredModel ?? throw MissingField("registered_model");
    }

    /// <summary>Reads one page of registered models (<c>GET registered-models/search</c>).</summary>
    /// <param name="filter">A filter such as <c>name LIKE 'iris%'</c> or <c>tags.team = 'a'</c>; null for all.</param>
    /// <param name="orderBy">Sort clauses such as <c>name ASC</c> or <c>last_updated_timestamp DESC</c>.</param>
    /// <param name="maxResults">Page size; null for the server default.</param>
    /// <param name="pageToken">The <see cref="Page{T}.NextPageToken"/> of the previous page; null for the first.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="SlipwayApiException"><c>INVALID_PARAMETER_VALUE</c> for a bad filter or order.</exception>
    public async Task<Page<RegisteredModel>> SearchRegisteredModelsAsync(
        string? filter = null, IEnumerable<string>? orderBy = null, int? maxResults = null, string? pageToken = null, CancellationToken ct = default)
    {
        var query = SearchQuery(filter, orderBy, maxResults, pageToken);
        var response = await GetJsonAsync(ModelsPath + "search", query, SlipwayJsonContext.Default.SearchRegisteredModelsResponse, ct).ConfigureAwait(false);
        return new Page<RegisteredModel>(response.RegisteredModels ?? [], NullIfEmpty(response.NextPageToken));
    }

    /// <summary>Enumerates every matching registered model, reading page after page until the server has no more.</summary>
    /// <param name="filter">See <see cref="SearchRegisteredModelsAsync"/>.</param>
    /// <param name="orderBy">See <see cref="SearchRegisteredModelsAsync"/>.</param>
    /// <param name="pageSize">Models per request.</param>
    /// <param name="ct">Cancels the enumeration.</param>
    public async IAsyncEnumerable<RegisteredModel> SearchAllRegisteredModelsAsync(
        string? filter = null, IEnumerable<string>? orderBy = null, int pageSize = 1000, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var order = orderBy?.ToList();
        string? token = null;
        do
        {
            var page = await SearchRegisteredModelsAsync(filter, order, pageSize, token, ct).ConfigureAwait(false);
            foreach (var model in page.Items)
                yield return model;
            token = page.NextPageToken;
        }
        while (token is not null);
    }

    /// <summary>Renames a registered model and all its versions (<c>POST registered-models/rename</c>).</summary>
    public async Task<RegisteredModel> RenameRegisteredModelAsync(string name, string newName, CancellationToken ct = default)
    {
        var request = new RenameRegisteredModelRequest(name, newName);
        var response = await SendJsonAsync(HttpMethod.Post, ModelsPath + "rename", request, SlipwayJsonContext.Default.RenameRegisteredModelRequest, SlipwayJsonContext.Default.RegisteredModelResponse, ct).ConfigureAwait(false);
        return response.RegisteredModel ?? throw MissingField("registered_model");
    }

    /// <summary>Changes a registered model's description (<c>PATCH registered-models/update</c>).</summary>
    public async Task<RegisteredModel> UpdateRegisteredModelAsync(string name, string? description, CancellationToken ct = default)
    {
        var request = new UpdateRegisteredModelRequest(name, description);
        var response = await SendJsonAsync(HttpMethod.Patch, ModelsPath + "update", request, SlipwayJsonContext.Default.UpdateRegisteredModelRequest, SlipwayJsonContext.Default.RegisteredModelResponse, ct).ConfigureAwait(false);
        return response.RegisteredModel ?? throw MissingField("registered_model");
    }

    /// <summary>Deletes a registered model with all its versions (<c>DELETE registered-models/delete</c>); this cannot be undone.</summary>
    public Task DeleteRegisteredModelAsync(string name, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Delete, ModelsPath + "delete", new ModelNameRequest(name), SlipwayJsonContext.Default.ModelNameRequest, SlipwayJsonContext.Default.EmptyResponse, ct);

    /// <summary>Sets (or overwrites) a registered model tag (<c>POST registered-models/set-tag</c>).</summary>
    public Task SetRegisteredModelTagAsync(string name, string key, string value, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Post, ModelsPath + "set-tag", new ModelTagRequest(name, key, value), SlipwayJsonContext.Default.ModelTagRequest, SlipwayJsonContext.Default.EmptyResponse, ct);

    /// <summary>Deletes a registered model tag (<c>DELETE registered-models/delete-tag</c>).</summary>
    public Task DeleteRegisteredModelTagAsync(string name, string key, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Delete, ModelsPath + "delete-tag", new ModelTagKeyRequest(name, key), SlipwayJsonContext.Default.ModelTagKeyRequest, SlipwayJsonContext.Default.EmptyResponse, ct);

    /// <summary>Points an alias at a version, moving it if it pointed elsewhere (<c>POST registered-models/alias</c>).</summary>
    /// <exception cref="SlipwayApiException">
    /// <c>PERMISSION_DENIED</c> when the model's approval policy protects the alias (use <see cref="RequestApprovalAsync"/>).
    /// </exception>
    public Task SetModelAliasAsync(string name, string alias, string version, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Post, ModelsPath + "alias", new SetAliasRequest(name, alias, version), SlipwayJsonContext.Default.SetAliasRequest, SlipwayJsonContext.Default.EmptyResponse, ct);

    /// <summary>Removes an alias (<c>DELETE registered-models/alias</c>).</summary>
    public Task DeleteModelAliasAsync(string name, string alias, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Delete, ModelsPath + "alias", new AliasRequest(name, alias), SlipwayJsonContext.Default.AliasRequest, SlipwayJsonContext.Default.EmptyResponse, ct);

    /// <summary>Reads the version an alias points at (<c>GET registered-models/alias</c>).</summary>
    /// <exception cref="SlipwayApiException">
    /// <c>INVALID_PARAMETER_VALUE</c> for an unknown alias (as MLflow answers); <c>RESOURCE_DOES_NOT_EXIST</c> for an unknown model.
    /// </exception>
    public async Task<ModelVersion> GetModelVersionByAliasAsync(string name, string alias, CancellationToken ct = default)
    {
        var response = await GetJsonAsync(ModelsPath + "alias", [new("name", name), new("alias", alias)], SlipwayJsonContext.Default.ModelVersionResponse, ct).ConfigureAwait(false);
        return response.ModelVersion ?? throw MissingField("model_version");
    }

    /// <summary>Reads the newest version in each of the given stages, or in every stage (<c>POST registered-models/get-latest-versions</c>).</summary>
    public async Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(string name, IEnumerable<string>? stages = null, CancellationToken ct = default)
    {
        var request = new GetLatestVersionsRequest(name, stages?.ToList());
        var response = await SendJsonAsync(HttpMethod.Post, ModelsPath + "get-latest-versions", request, SlipwayJsonContext.Default.GetLatestVersionsRequest, SlipwayJsonContext.Default.ModelVersionsResponse, ct).ConfigureAwait(false);
        return response.ModelVersions ?? [];
    }

    private static List<KeyValuePair<string, string?>> SearchQuery(string? filter, IEnumerable<string>? orderBy, int? maxResults, string? pageToken)
    {
        List<KeyValuePair<string, string?>> query =
        [
            new("filter", NullIfEmpty(filter)),
            new("max_results", maxResults?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("page_token", NullIfEmpty(pageToken)),
        ];
        foreach (var clause in orderBy ?? [])
            query.Add(new("order_by", clause));
        return query;
    }
}
