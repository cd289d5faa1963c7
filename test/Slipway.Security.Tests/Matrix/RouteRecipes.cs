namespace Slipway.Security.Tests.Matrix;

/// <summary>
/// The recipe table: how to call every route of the server, keyed by <c>"METHOD pattern"</c>. Each area has its own
/// file (<c>RouteRecipes.Tracking.cs</c>, <c>.Registry.cs</c>, …). <see cref="AuthorizationMatrixTests"/> fails when a
/// route has no recipe and when a recipe names a route the server no longer maps, so a new route cannot go unchecked.
/// MLflow's API is mapped twice, under <c>/api/2.0</c> and under <c>/ajax-api/2.0</c> (what MLflow's own UI calls), with
/// the same handlers: each <c>/api/2.0</c> recipe is repeated for <c>/ajax-api/2.0</c> here rather than written twice.
/// </summary>
public static partial class RouteRecipes
{
    public const string Mlflow = "/api/2.0/mlflow/";
    public const string Slipway = "/api/slipway/v1/";
    public const string AdminApi = "/api/2.0/slipway/";

    // Built on first use: the areas' tables live in other files, whose static fields must be set first.
    private static readonly Lazy<IReadOnlyList<RouteRecipe>> Table = new(Build);

    public static IReadOnlyList<RouteRecipe> All => Table.Value;

    public static RouteRecipe Find(string key) => All.Single(recipe => recipe.Key == key);

    private static IReadOnlyList<RouteRecipe> Build()
    {
        var own = new List<RouteRecipe>([.. Tracking(), .. Artifacts(), .. Registry(), .. Governance(), .. Serving(), .. Inference(),
            .. Monitoring(), .. Pipelines(), .. Administration(), .. MlflowAuth(), .. Operations()]);
        var twins = own
            .Where(recipe => (recipe.Key.Contains(" /api/2.0/", StringComparison.Ordinal) && !recipe.ApiOnly) || recipe.Key == "* /api/{**rest}")
            .Select(recipe => recipe with
            {
                Key = recipe.Key.Replace(" /api/", " /ajax-api/", StringComparison.Ordinal),
                Target = "/ajax-api/" + recipe.Target["/api/".Length..],
            })
            .ToList();
        return [.. own, .. twins];
    }

    /// <summary>An MLflow-style RPC under <paramref name="prefix"/>: for GET, <paramref name="args"/> is the query; otherwise the JSON body.</summary>
    private static RouteRecipe Rpc(string prefix, string method, string rpc, string? args, RouteAccess access) => method == "GET"
        ? new RouteRecipe($"GET {prefix}{rpc}", prefix + rpc + (args is null ? "" : "?" + args), access)
        : new RouteRecipe($"{method} {prefix}{rpc}", prefix + rpc, access) { Body = args ?? "{}", BodyKind = BodyKind.Json };

    /// <summary>A route whose pattern has path values: <paramref name="target"/> is the concrete path.</summary>
    private static RouteRecipe Rest(string method, string pattern, string target, string? json, RouteAccess access) =>
        new($"{method} {pattern}", target, access) { Body = json, BodyKind = json is null ? BodyKind.None : BodyKind.Json };

    /// <summary>A setup that makes one new resource (as alice) and names it <c>{fresh}</c>.</summary>
    private static Func<MatrixFixture, Task<IReadOnlyDictionary<string, string>>> Fresh(Func<MatrixFixture, Task<string>> make) =>
        async fixture => new Dictionary<string, string> { ["fresh"] = await make(fixture) };

    /// <summary>A setup that only prepares state (a tag to delete, an alias to remove) and adds no placeholder.</summary>
    private static Func<MatrixFixture, Task<IReadOnlyDictionary<string, string>>> Prepare(Func<MatrixFixture, Task> prepare) =>
        async fixture =>
        {
            await prepare(fixture);
            return new Dictionary<string, string>();
        };
}
