using System.Globalization;
using System.Runtime.CompilerServices;
using Slipway.Client.Protocol;

namespace Slipway.Client;

public sealed partial class SlipwayClient
{
    private const string ApprovalsPath = SlipwayPrefix + "approvals";

    /// <summary>Reads a model's approval policy (<c>GET /api/slipway/v1/models/{name}/policy</c>).</summary>
    /// <returns>The policy, or null when the model has none.</returns>
    /// <exception cref="SlipwayApiException"><c>RESOURCE_DOES_NOT_EXIST</c> for an unknown model.</exception>
    public async Task<ApprovalPolicy?> GetApprovalPolicyAsync(string name, CancellationToken ct = default)
    {
        var response = await GetJsonAsync(ModelPath(name) + "/policy", [], SlipwayJsonContext.Default.PolicyResponse, ct).ConfigureAwait(false);
        return response.Policy;
    }

    /// <summary>Sets (replaces) a model's approval policy (<c>PUT /api/slipway/v1/models/{name}/policy</c>).</summary>
    /// <returns>The policy as the server stored it (stages in canonical spelling, duplicates removed).</returns>
    /// <exception cref="SlipwayApiException"><c>INVALID_PARAMETER_VALUE</c> for a policy that protects nothing or has a bad gate.</exception>
    public async Task<ApprovalPolicy> SetApprovalPolicyAsync(string name, ApprovalPolicy policy, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var response = await SendJsonAsync(HttpMethod.Put, ModelPath(name) + "/policy", policy, SlipwayJsonContext.Default.ApprovalPolicy, SlipwayJsonContext.Default.PolicyResponse, ct).ConfigureAwait(false);
        return response.Policy ?? throw MissingField("policy");
    }

    /// <summary>Removes a model's approval policy (<c>DELETE /api/slipway/v1/models/{name}/policy</c>); its aliases and stages become unprotected.</summary>
    public Task DeleteApprovalPolicyAsync(string name, CancellationToken ct = default) =>
        DeleteAsync(ModelPath(name) + "/policy", ct);

    /// <summary>
    /// Asks for a protected alias to be pointed at a version, or for a version to move to a protected stage
    /// (<c>POST /api/slipway/v1/models/{name}/approvals</c>). The request is made as <see cref="UserName"/>.
    /// </summary>
    /// <param name="name">The registered model.</param>
    /// <param name="version">The version.</param>
    /// <param name="target">The alias or stage, e.g. <see cref="ApprovalTarget.ForAlias"/>(<c>"champion"</c>).</param>
    /// <param name="comment">Why, for the approvers.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="SlipwayApiException">
    /// <c>INVALID_PARAMETER_VALUE</c> when a gate fails (the message names each failing condition and the value found)
    /// or the model has no policy; <c>RESOURCE_ALREADY_EXISTS</c> when the same request is already pending.
    /// </exception>
    public async Task<ApprovalRequest> RequestApprovalAsync(string name, string version, ApprovalTarget target, string? comment = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        if ((target.Alias is null) == (target.Stage is null))
            throw new ArgumentException("An approval target names either an alias or a stage.", nameof(target));
        var request = new CreateApprovalRequest(version, target.Alias, target.Stage, NullIfEmpty(comment));
        var response = await SendJsonAsync(HttpMethod.Post, ModelPath(name) + "/approvals", request, SlipwayJsonContext.Default.CreateApprovalRequest, SlipwayJsonContext.Default.ApprovalResponse, ct).ConfigureAwait(false);
        return response.ApprovalRequest ?? throw MissingField("approval_request");
    }

    /// <summary>Reads an approval request (<c>GET /api/slipway/v1/approvals/{id}</c>).</summary>
    public async Task<ApprovalRequest> GetApprovalRequestAsync(long id, CancellationToken ct = default)
    {
        var response = await GetJsonAsync(ApprovalPath(id), [], SlipwayJsonContext.Default.ApprovalResponse, ct).ConfigureAwait(false);
        return response.ApprovalRequest ?? throw MissingField("approval_request");
    }

    /// <summary>Reads one page of approval requests, oldest first (<c>GET /api/slipway/v1/approvals</c>).</summary>
    /// <param name="model">Only this model's requests; null for all.</param>
    /// <param name="status">Only requests in this state (see <see cref="ApprovalStatuses"/>); null for all.</param>
    /// <param name="maxResults">Page size; null for the server default.</param>
    /// <param name="pageToken">The <see cref="Page{T}.NextPageToken"/> of the previous page; null for the first.</param>
    /// <param name="ct">Cancels the request.</param>
    public async Task<Page<ApprovalRequest>> SearchApprovalRequestsAsync(
        string? model = null, string? status = null, int? maxResults = null, string? pageToken = null, CancellationToken ct = default)
    {
        KeyValuePair<string, string?>[] query =
        [
            new("model", NullIfEmpty(model)),
            new("status", NullIfEmpty(status)),
            new("max_results", maxResults?.ToString(CultureInfo.InvariantCulture)),
            new("page_token", NullIfEmpty(pageToken)),
        ];
        var response = await GetJsonAsync(ApprovalsPath, query, SlipwayJsonContext.Default.SearchApprovalsResponse, ct).ConfigureAwait(false);
        return new Page<ApprovalRequest>(response.ApprovalRequests ?? [], NullIfEmpty(response.NextPageToken));
    }

    /// <summary>Enumerates every matching approval request, reading page after page until the server has no more.</summary>
    /// <param name="model">See <see cref="SearchApprovalRequestsAsync"/>.</param>
    /// <param name="status">See <see cref="SearchApprovalRequestsAsync"/>.</param>
    /// <param name="pageSize">Requests per call.</param>
    /// <param name="ct">Cancels the enumeration.</param>
    public async IAsyncEnumerable<ApprovalRequest> SearchAllApprovalRequestsAsync(
        string? model = null, string? status = null, int pageSize = 1000, [EnumeratorCancellation] CancellationToken ct = default)
    {
        string? token = null;
        do
        {
            var page = await SearchApprovalRequestsAsync(model, status, pageSize, token, ct).ConfigureAwait(false);
            foreach (var request in page.Items)
                yield return request;
            token = page.NextPageToken;
        }
        while (token is not null);
    }

    /// <summary>
    /// Approves a request as <see cref="UserName"/> (<c>POST /api/slipway/v1/approvals/{id}/approve</c>). With enough
    /// approvals the server applies the change (moves the alias or stage) and the request becomes approved.
    /// </summary>
    /// <exception cref="SlipwayApiException">
    /// <c>PERMISSION_DENIED</c> when the user opened the request or does not hold the policy's approver role.
    /// </exception>
    public Task<ApprovalRequest> ApproveAsync(long id, string? comment = null, CancellationToken ct = default) =>
        DecideAsync(id, "approve", comment, ct);

    /// <summary>Rejects a request as <see cref="UserName"/> (<c>POST /api/slipway/v1/approvals/{id}/reject</c>).</summary>
    /// <exception cref="SlipwayApiException">
    /// <c>PERMISSION_DENIED</c> when the user opened the request or does not hold the policy's approver role.
    /// </exception>
    public Task<ApprovalRequest> RejectAsync(long id, string? comment = null, CancellationToken ct = default) =>
        DecideAsync(id, "reject", comment, ct);

    private async Task<ApprovalRequest> DecideAsync(long id, string decision, string? comment, CancellationToken ct)
    {
        var response = await SendJsonAsync(HttpMethod.Post, ApprovalPath(id) + "/" + decision, new DecisionRequest(NullIfEmpty(comment)), SlipwayJsonContext.Default.DecisionRequest, SlipwayJsonContext.Default.ApprovalResponse, ct).ConfigureAwait(false);
        return response.ApprovalRequest ?? throw MissingField("approval_request");
    }

    private static string ModelPath(string name) => SlipwayPrefix + "models/" + Uri.EscapeDataString(name);

    private static string ApprovalPath(long id) => ApprovalsPath + "/" + id.ToString(CultureInfo.InvariantCulture);
}
