using static Slipway.Security.Tests.Matrix.RouteAccess;

namespace Slipway.Security.Tests.Matrix;

/// <summary>
/// Operations (probes and Prometheus metrics), the web UI's pages and its interactive connection, and the public routes.
/// <see cref="PublicRoutes"/> is the allow-list of routes meant to answer without credentials; the matrix asserts that
/// they do, and that no other route does.
/// </summary>
public static partial class RouteRecipes
{
    /// <summary>
    /// The routes meant to be anonymous, each for a reason: orchestrators and load balancers probe health without
    /// credentials (REST and gRPC); a browser must reach the sign-in page and the scripts and styles that draw it.
    /// </summary>
    public static readonly IReadOnlySet<string> PublicRoutes = new HashSet<string>(StringComparer.Ordinal)
    {
        "* /health/live",
        "* /health/ready",
        "GET /v2/health/live",
        "GET /v2/health/ready",
        "POST /inference.GRPCInferenceService/ServerLive",
        "POST /inference.GRPCInferenceService/ServerReady",
        "GET /login",
        "POST /login",
        "POST /logout",
        "GET /_framework/blazor.web.js",
        "GET /_content/Plotly.Blazor/{file}",
        "GET /ui/{**path}",
    };

    private static IEnumerable<RouteRecipe> Operations()
    {
        yield return new RouteRecipe("* /health/live", "/health/live", Anonymous);
        yield return new RouteRecipe("* /health/ready", "/health/ready", Anonymous);
        // Metrics name endpoints, models and monitors: scrapers authenticate (Prometheus basic_auth or a bearer token).
        yield return new RouteRecipe("* /metrics", "/metrics", SignedIn);

        // The UI's interactive connection (SignalR): a signed-in browser negotiates, connects with the id it got, and
        // tells the server when a tab goes away. Without a connection id the hub answers 400, which is its normal
        // answer to a bare request.
        yield return new RouteRecipe("* /_blazor/negotiate", "/_blazor/negotiate?negotiateVersion=1", SignedIn) { Verb = "POST" };
        yield return new RouteRecipe("* /_blazor", "/_blazor", SignedIn) { Status = 400 };
        yield return new RouteRecipe("* /_blazor/initializers", "/_blazor/initializers", SignedIn);
        yield return new RouteRecipe("* /_blazor/disconnect", "/_blazor/disconnect", SignedIn) { Verb = "POST", Status = 400 };
        yield return new RouteRecipe("GET /_framework/opaque-redirect", "/_framework/opaque-redirect", SignedIn) { Status = 400 };

        // The sign-in form; a post without the form's anti-forgery token is the form again with 400, a sign-out without
        // a session leads to the form.
        yield return new RouteRecipe("GET /login", "/login", Anonymous);
        yield return new RouteRecipe("POST /login", "/login", Anonymous) { Status = 400 };
        yield return new RouteRecipe("POST /logout", "/logout", Anonymous) { Status = 302 };
        yield return new RouteRecipe("GET /_framework/blazor.web.js", "/_framework/blazor.web.js", Anonymous);
        yield return new RouteRecipe("GET /_content/Plotly.Blazor/{file}", "/_content/Plotly.Blazor/plotly-basic-3.7.0.min.js", Anonymous);
        yield return new RouteRecipe("GET /ui/{**path}", "/ui/slipway.css", Anonymous);

        foreach (var (page, target) in UiPages)
        {
            yield return new RouteRecipe("GET " + page, target, UiPage);
            // Razor components also take form posts at each page's address; a post without an anti-forgery token is
            // refused with 400 once the caller is signed in.
            yield return new RouteRecipe("POST " + page, target, SignedIn) { Status = 400, Body = "", BodyKind = BodyKind.Text };
        }
    }

    /// <summary>The UI's pages and a concrete address of each (alice's resources where the page shows one).</summary>
    private static readonly (string Page, string Target)[] UiPages =
    [
        ("/", "/"),
        ("/compare", "/compare?runs={run}"),
        ("/endpoints", "/endpoints"),
        ("/endpoints/{Name}", "/endpoints/{endpoint}"),
        ("/experiments", "/experiments"),
        ("/experiments/{ExperimentId}", "/experiments/{exp}"),
        ("/models", "/models"),
        ("/models/{Name}", "/models/{model}"),
        ("/monitors", "/monitors"),
        ("/monitors/{Name}", "/monitors/{monitor}"),
        ("/pipelines", "/pipelines"),
        ("/pipelines/runs/{RunId}", "/pipelines/runs/{pipelineRun}"),
        ("/pipelines/{Name}", "/pipelines/{pipeline}"),
        ("/runs/{RunId}", "/runs/{run}"),
        ("/tokens", "/tokens"),
    ];
}
