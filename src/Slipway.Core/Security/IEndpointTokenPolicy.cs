namespace Slipway.Core.Security;

/// <summary>
/// Whether an endpoint accepts only its own endpoint tokens for inference (see
/// <see cref="ISecurityStore.EndpointRequiresTokenAsync"/>). Asked on every inference request, so the security module
/// answers from a cache that a token change made through this process clears at once.
/// </summary>
public interface IEndpointTokenPolicy
{
    ValueTask<bool> RequiresTokenAsync(string endpoint, CancellationToken ct);
}
