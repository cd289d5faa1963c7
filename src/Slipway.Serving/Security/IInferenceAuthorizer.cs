using Microsoft.AspNetCore.Http;
using Slipway.Core.Errors;
using Slipway.Core.Security;

namespace Slipway.Serving.Security;

/// <summary>
/// Decides whether a request may use one endpoint's data-plane routes: OIP REST and gRPC, and MLflow scoring. The
/// ASP.NET Core policy <see cref="SlipwayPolicies.ServingInfer"/> only lets a signed-in principal (a user, or an
/// endpoint token) through; which endpoint it may call is decided here, once per request, by the protocol adapters.
/// A refusal is a <see cref="SlipwayException"/> with UNAUTHENTICATED or PERMISSION_DENIED, which each adapter answers
/// in its own protocol (OIP <c>{"error"}</c> 401/403, gRPC Unauthenticated/PermissionDenied, MLflow JSON).
/// </summary>
public interface IInferenceAuthorizer
{
    /// <summary>Returns when the request may call <paramref name="endpoint"/>; throws <see cref="SlipwayException"/> otherwise.</summary>
    ValueTask AuthorizeAsync(HttpContext context, string endpoint, CancellationToken ct);
}

/// <summary>Lets every request through: a data plane without authentication (an endpoints file, tests).</summary>
public sealed class OpenInferenceAuthorizer : IInferenceAuthorizer
{
    public static readonly OpenInferenceAuthorizer Instance = new();

    public ValueTask AuthorizeAsync(HttpContext context, string endpoint, CancellationToken ct) => ValueTask.CompletedTask;
}

/// <summary>The refusals of the data plane, with messages that say what would be accepted.</summary>
internal static class InferenceRefusals
{
    public static SlipwayException TokenForOtherEndpoint(string endpoint) =>
        new(ErrorCode.PermissionDenied, $"Permission denied: this endpoint token does not open endpoint '{endpoint}'.");

    public static SlipwayException TokenOnly(string endpoint) =>
        new(ErrorCode.PermissionDenied, $"Permission denied: endpoint '{endpoint}' accepts only its own endpoint tokens.");

    public static SlipwayException NotSignedIn() =>
        new(ErrorCode.Unauthenticated, "Authentication required: send an endpoint token or a personal access token as 'Authorization: Bearer slw_…'.");
}
