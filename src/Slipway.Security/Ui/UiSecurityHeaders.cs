using Microsoft.AspNetCore.Http;

namespace Slipway.Security.Ui;

/// <summary>
/// The response headers every web UI response carries (pages, the login form, scripts and styles). The policy is as
/// tight as Blazor Server and plotly.js allow: scripts only from this origin (no inline script, no eval), connections
/// (the Blazor WebSocket) only back to it, no framing, no plugins, forms only posted here. Inline styles stay allowed:
/// Blazor renders <c>style</c> attributes (bar widths, run colours) and plotly.js writes its own style elements.
/// </summary>
public static class UiSecurityHeaders
{
    private const string Directives =
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; frame-src 'none'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'";

    /// <summary>The Content-Security-Policy of the UI.</summary>
    public const string ContentSecurityPolicy = "script-src 'self'; " + Directives;

    /// <summary>
    /// The policy of a document that draws WebGL charts (the parallel-coordinates plot): plotly.js compiles their
    /// shaders' drawing code at run time with <c>Function</c>, which needs <c>'unsafe-eval'</c>. Only documents opened
    /// at such a page get it (see <see cref="NeedsEval"/>); every other page keeps the strict policy.
    /// </summary>
    public const string WebGlChartsContentSecurityPolicy = "script-src 'self' 'unsafe-eval'; " + Directives;

    /// <summary>Pages whose document needs <see cref="WebGlChartsContentSecurityPolicy"/>.</summary>
    public static bool NeedsEval(PathString path) => path.StartsWithSegments("/compare", StringComparison.OrdinalIgnoreCase);

    /// <summary>No powerful browser feature is used by the UI, so none is granted to it.</summary>
    public const string PermissionsPolicy =
        "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

    /// <summary>Sets the headers on <paramref name="response"/>; call before the response starts.</summary>
    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = NeedsEval(response.HttpContext.Request.Path) ? WebGlChartsContentSecurityPolicy : ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers["Permissions-Policy"] = PermissionsPolicy;
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
    }

    /// <summary>Sets the headers when <paramref name="response"/> starts, whoever writes it (a page, a redirect, an error).</summary>
    public static void ApplyOnStarting(HttpResponse response) =>
        response.OnStarting(static state =>
        {
            Apply((HttpResponse)state);
            return Task.CompletedTask;
        }, response);
}
