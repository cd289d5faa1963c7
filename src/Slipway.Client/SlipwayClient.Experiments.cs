using System.Runtime.CompilerServices;
using Slipway.Client.Protocol;

namespace Slipway.Client;

public sealed partial class SlipwayClient
{
    /// <summary>Creates an experiment (<c>POST experiments/create</c>).</summary>
    /// <param name="name">A unique name (deleted experiments keep theirs).</param>
    /// <param name="artifactLocation">Where to store its artifacts; null lets the server choose (<c>mlflow-artifacts:/&lt;id&gt;</c>).</param>
    /// <param name="tags">Tags to set on the new experiment.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <returns>The new experiment's id.</returns>
    /// <exception cref="SlipwayApiException"><c>RESOURCE_ALREADY_EXISTS</c> when the name is taken.</exception>
    public async Task<string> CreateExperimentAsync(string name, string? artifactLocation = null, IEnumerable<KeyValuePair<string, string>>? tags = null, CancellationToken ct = default)
    {
        var request = new CreateExperimentRequest(name, artifactLocation, ToTags(tags));
        var response = await PostAsync("experiments/create", request, SlipwayJsonContext.Default.CreateExperimentRequest, SlipwayJsonContext.Default.CreateExperimentResponse, ct).ConfigureAwait(false);
        return response.ExperimentId;
    }

    /// <summary>Reads an experiment by id (<c>GET experiments/get</c>).</summary>
    /// <exception cref="SlipwayApiException"><c>RESOURCE_DOES_NOT_EXIST</c> for an unknown id.</exception>
    public async Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken ct = default)
    {
        var response = await GetAsync("experiments/get", [new("experiment_id", experimentId)], SlipwayJsonContext.Default.ExperimentResponse, ct).ConfigureAwait(false);
        return response.Experiment ?? throw MissingField("experiment");
    }

    /// <summary>Reads an experiment by name (<c>GET experiments/get-by-name</c>), deleted ones included.</summary>
    /// <returns>The experiment, or null when no experiment has that name.</returns>
    public async Task<Experiment?> GetExperimentByNameAsync(string name, CancellationToken ct = default)
    {
        try
        {
            var response = await GetAsync("experiments/get-by-name", [new("experiment_name", name)], SlipwayJsonContext.Default.ExperimentResponse, ct).ConfigureAwait(false);
            return response.Experiment;
        }
        catch (SlipwayApiException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>Reads one page of experiments (<c>POST experiments/search</c>).</summary>
    /// <param name="filter">A filter such as <c>name LIKE 'prod-%' AND tags.team = 'a'</c>; null for all.</param>
    /// <param name="orderBy">Sort clauses such as <c>name ASC</c> or <c>last_update_time DESC</c>.</param>
    /// <param name="maxResults">Page size; null for the server default.</param>
    /// <param name="pageToken">The <see cref="Page{T}.NextPageToken"/> of the previous page; null for the first.</param>
    /// <param name="viewType">Which lifecycle stages to include.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="SlipwayApiException"><c>INVALID_PARAMETER_VALUE</c> for a bad filter or order.</exception>
    public async Task<Page<Experiment>> SearchExperimentsAsync(
        string? filter = null, IEnumerable<string>? orderBy = null, int? maxResults = null, string? pageToken = null,
        ViewType viewType = ViewType.ActiveOnly, CancellationToken ct = default)
    {
        var request = new SearchExperimentsRequest(maxResults, NullIfEmpty(pageToken), NullIfEmpty(filter), orderBy?.ToList(), viewType);
        var response = await PostAsync("experiments/search", request, SlipwayJsonContext.Default.SearchExperimentsRequest, SlipwayJsonContext.Default.SearchExperimentsResponse, ct).ConfigureAwait(false);
        return new Page<Experiment>(response.Experiments ?? [], NullIfEmpty(response.NextPageToken));
    }

    /// <summary>Enumerates every matching experiment, reading page after page until the server has no more.</summary>
    /// <param name="filter">See <see cref="SearchExperimentsAsync"/>.</param>
    /// <param name="orderBy">See <see cref="SearchExperimentsAsync"/>.</param>
    /// <param name="viewType">Which lifecycle stages to include.</param>
    /// <param name="pageSize">Experiments per request.</param>
    /// <param name="ct">Cancels the enumeration.</param>
    public async IAsyncEnumerable<Experiment> SearchAllExperimentsAsync(
        string? filter = null, IEnumerable<string>? orderBy = null, ViewType viewType = ViewType.ActiveOnly,
        int pageSize = 1000, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var order = orderBy?.ToList();
        string? token = null;
        do
        {
            var page = await SearchExperimentsAsync(filter, order, pageSize, token, viewType, ct).ConfigureAwait(false);
            foreach (var experiment in page.Items)
                yield return experiment;
            token = page.NextPageToken;
        }
        while (token is not null);
    }

    /// <summary>Renames an experiment (<c>POST experiments/update</c>).</summary>
    public Task UpdateExperimentAsync(string experimentId, string newName, CancellationToken ct = default) =>
        PostAsync("experiments/update", new UpdateExperimentRequest(experimentId, newName), SlipwayJsonContext.Default.UpdateExperimentRequest, ct);

    /// <summary>Marks an experiment and its runs deleted (<c>POST experiments/delete</c>); it can be restored.</summary>
    public Task DeleteExperimentAsync(string experimentId, CancellationToken ct = default) =>
        PostAsync("experiments/delete", new ExperimentIdRequest(experimentId), SlipwayJsonContext.Default.ExperimentIdRequest, ct);

    /// <summary>Restores a deleted experiment (<c>POST experiments/restore</c>).</summary>
    public Task RestoreExperimentAsync(string experimentId, CancellationToken ct = default) =>
        PostAsync("experiments/restore", new ExperimentIdRequest(experimentId), SlipwayJsonContext.Default.ExperimentIdRequest, ct);

    /// <summary>Sets (or overwrites) an experiment tag (<c>POST experiments/set-experiment-tag</c>).</summary>
    public Task SetExperimentTagAsync(string experimentId, string key, string value, CancellationToken ct = default) =>
        PostAsync("experiments/set-experiment-tag", new SetExperimentTagRequest(experimentId, key, value), SlipwayJsonContext.Default.SetExperimentTagRequest, ct);

    /// <summary>Deletes an experiment tag (<c>POST experiments/delete-experiment-tag</c>).</summary>
    public Task DeleteExperimentTagAsync(string experimentId, string key, CancellationToken ct = default) =>
        PostAsync("experiments/delete-experiment-tag", new DeleteExperimentTagRequest(experimentId, key), SlipwayJsonContext.Default.DeleteExperimentTagRequest, ct);

    /// <summary>
    /// Resolves an experiment the way <c>mlflow.set_experiment</c> does: by name first; a name that is not found
    /// and consists only of digits is taken as an id (and must exist); any other unknown name is created.
    /// </summary>
    /// <returns>The experiment id.</returns>
    public async Task<string> GetOrCreateExperimentAsync(string experimentIdOrName, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentIdOrName);
        var existing = await GetExperimentByNameAsync(experimentIdOrName, ct).ConfigureAwait(false);
        if (existing is not null)
            return existing.ExperimentId;
        if (experimentIdOrName.All(char.IsAsciiDigit))
            return (await GetExperimentAsync(experimentIdOrName, ct).ConfigureAwait(false)).ExperimentId;
        try
        {
            return await CreateExperimentAsync(experimentIdOrName, ct: ct).ConfigureAwait(false);
        }
        catch (SlipwayApiException ex) when (ex.ErrorCode == ApiErrorCodes.ResourceAlreadyExists)
        {
            // Someone else created it between our lookup and our create.
            var created = await GetExperimentByNameAsync(experimentIdOrName, ct).ConfigureAwait(false);
            if (created is null)
                throw;
            return created.ExperimentId;
        }
    }

    private static List<Tag>? ToTags(IEnumerable<KeyValuePair<string, string>>? tags) =>
        tags?.Select(t => new Tag(t.Key, t.Value)).ToList();

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static InvalidOperationException MissingField(string field) =>
        new($"The server's answer has no '{field}' field.");
}
