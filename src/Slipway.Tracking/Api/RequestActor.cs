using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Slipway.Core.Audit;

namespace Slipway.Tracking.Api;

/// <summary>
/// Who is making a request, for audit events: the authenticated user once authentication exists, otherwise the
/// user name of an HTTP Basic <c>Authorization</c> header (what MLflow clients send from
/// <c>MLFLOW_TRACKING_USERNAME</c>), otherwise <paramref name="fallback"/> (such as a run's <c>mlflow.user</c> tag)
/// or <c>anonymous</c>. The request id is the client's <c>X-Request-Id</c> when it sends a sane one.
/// </summary>
public static class RequestActor
{
    private const int MaxNameLength = 256;

    public static AuditContext From(HttpContext context, string? fallback = null) =>
        new(UserName(context) ?? (string.IsNullOrEmpty(fallback) ? AuditContext.Anonymous : fallback), RequestId(context));

    /// <summary>The user the request names, or null when it names none.</summary>
    public static string? UserName(HttpContext context)
    {
        if (context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } authenticated })
            return authenticated;
        var header = context.Request.Headers.Authorization.ToString();
        if (!AuthenticationHeaderValue.TryParse(header, out var value)
            || !string.Equals(value.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || value.Parameter is null)
            return null;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value.Parameter));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            var user = colon >= 0 ? decoded[..colon] : decoded;
            return user.Length is > 0 and <= MaxNameLength && !user.Any(char.IsControl) ? user : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string RequestId(HttpContext context)
    {
        var given = context.Request.Headers["X-Request-Id"].ToString();
        return given.Length is > 0 and <= 128 && given.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')
            ? given
            : context.TraceIdentifier;
    }
}
