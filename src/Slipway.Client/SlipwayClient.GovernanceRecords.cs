using System.Globalization;
using System.Runtime.CompilerServices;
using Slipway.Client.Protocol;

namespace Slipway.Client;

public sealed partial class SlipwayClient
{
    /// <summary>Reads one page of the audit log, oldest first (<c>GET /api/slipway/v1/audit</c>).</summary>
    /// <param name="resource">
    /// Only events on this resource and everything below it, e.g. <c>models/iris</c> also matches
    /// <c>models/iris/versions/3</c>; null for all.
    /// </param>
    /// <param name="action">Only this action, e.g. <c>registered_model.create</c>; null for all.</param>
    /// <param name="since">Only events at or after this time, milliseconds since the Unix epoch.</param>
    /// <param name="maxResults">Page size; null for the server default.</param>
    /// <param name="pageToken">The <see cref="Page{T}.NextPageToken"/> of the previous page; null for the first.</param>
    /// <param name="ct">Cancels the request.</param>
    public async Task<Page<AuditEvent>> SearchAuditEventsAsync(
        string? resource = null, string? action = null, long? since = null, int? maxResults = null, string? pageToken = null, CancellationToken ct = default)
    {
        KeyValuePair<string, string?>[] query =
        [
            new("resource", NullIfEmpty(resource)),
            new("action", NullIfEmpty(action)),
            new("since", since?.ToString(CultureInfo.InvariantCulture)),
            new("max_results", maxResults?.ToString(CultureInfo.InvariantCulture)),
            new("page_token", NullIfEmpty(pageToken)),
        ];
        var response = await GetJsonAsync(SlipwayPrefix + "audit", query, SlipwayJsonContext.Default.AuditEventsResponse, ct).ConfigureAwait(false);
        return new Page<AuditEvent>(response.Events ?? [], NullIfEmpty(response.NextPageToken));
    }

    /// <summary>Enumerates every matching audit event, oldest first, reading page after page until the server has no more.</summary>
    /// <param name="resource">See <see cref="SearchAuditEventsAsync"/>.</param>
    /// <param name="action">See <see cref="SearchAuditEventsAsync"/>.</param>
    /// <param name="since">See <see cref="SearchAuditEventsAsync"/>.</param>
    /// <param name="pageSize">Events per request.</param>
    /// <param name="ct">Cancels the enumeration.</param>
    public async IAsyncEnumerable<AuditEvent> SearchAllAuditEventsAsync(
        string? resource = null, string? action = null, long? since = null, int pageSize = 1000, [EnumeratorCancellation] CancellationToken ct = default)
    {
        string? token = null;
        do
        {
            var page = await SearchAuditEventsAsync(resource, action, since, pageSize, token, ct).ConfigureAwait(false);
            foreach (var auditEvent in page.Items)
                yield return auditEvent;
            token = page.NextPageToken;
        }
        while (token is not null);
    }

    /// <summary>
    /// Reads where a version came from (run, experiment, datasets, parent runs) and where it is served
    /// (<c>GET /api/slipway/v1/lineage/models/{name}/versions/{version}</c>).
    /// </summary>
    public Task<LineageGraph> GetLineageAsync(string name, string version, CancellationToken ct = default) =>
        GetJsonAsync(SlipwayPrefix + "lineage/" + VersionPath(name, version), [], SlipwayJsonContext.Default.LineageGraph, ct);

    /// <summary>Reads a version's model card (<c>GET /api/slipway/v1/models/{name}/versions/{version}/card</c>).</summary>
    /// <returns>The card, or null when the version has none.</returns>
    /// <exception cref="SlipwayApiException"><c>RESOURCE_DOES_NOT_EXIST</c> for an unknown model or version.</exception>
    public async Task<ModelCard?> GetModelCardAsync(string name, string version, CancellationToken ct = default)
    {
        // A missing card and a missing version are both 404; tell them apart by asking for the version.
        try
        {
            var response = await GetJsonAsync(SlipwayPrefix + VersionPath(name, version) + "/card", [], SlipwayJsonContext.Default.ModelCardResponse, ct).ConfigureAwait(false);
            return response.ModelCard;
        }
        catch (SlipwayApiException ex) when (ex.IsNotFound)
        {
            await GetModelVersionAsync(name, version, ct).ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>Writes (replaces) a version's model card (<c>PUT /api/slipway/v1/models/{name}/versions/{version}/card</c>).</summary>
    /// <returns>The stored card with the server's <see cref="ModelCard.UpdatedTimestamp"/> and <see cref="ModelCard.UpdatedBy"/>.</returns>
    public async Task<ModelCard> SetModelCardAsync(string name, string version, ModelCard card, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(card);
        var request = new ModelCardRequest(card.IntendedUse, card.TrainingData, card.EvaluationMetrics, card.Limitations, card.Owners);
        var response = await SendJsonAsync(HttpMethod.Put, SlipwayPrefix + VersionPath(name, version) + "/card", request, SlipwayJsonContext.Default.ModelCardRequest, SlipwayJsonContext.Default.ModelCardResponse, ct).ConfigureAwait(false);
        return response.ModelCard ?? throw MissingField("model_card");
    }

    /// <summary>Reads a version's model card as Markdown (<c>GET /api/slipway/v1/models/{name}/versions/{version}/card.md</c>).</summary>
    /// <exception cref="SlipwayApiException"><c>RESOURCE_DOES_NOT_EXIST</c> when the version or its card does not exist.</exception>
    public Task<string> GetModelCardMarkdownAsync(string name, string version, CancellationToken ct = default) =>
        GetTextAsync(SlipwayPrefix + VersionPath(name, version) + "/card.md", ct);

    /// <summary>
    /// Finds the version a <c>models:/</c> URI names — <c>models:/iris@champion</c>, <c>models:/iris/3</c> or
    /// <c>models:/iris/Production</c> — with its download address (<c>GET /api/slipway/v1/models/resolve</c>).
    /// </summary>
    /// <exception cref="SlipwayApiException">
    /// <c>INVALID_PARAMETER_VALUE</c> for a malformed URI or an unknown alias; <c>RESOURCE_DOES_NOT_EXIST</c> for an unknown model or version.
    /// </exception>
    public async Task<ResolvedModelVersion> ResolveModelUriAsync(string modelUri, CancellationToken ct = default)
    {
        var response = await GetJsonAsync(SlipwayPrefix + "models/resolve", [new("uri", modelUri)], SlipwayJsonContext.Default.ResolveResponse, ct).ConfigureAwait(false);
        return new ResolvedModelVersion(response.ModelVersion ?? throw MissingField("model_version"), response.DownloadUri ?? throw MissingField("download_uri"));
    }

    private static string VersionPath(string name, string version) =>
        "models/" + Uri.EscapeDataString(name) + "/versions/" + Uri.EscapeDataString(version);
}
