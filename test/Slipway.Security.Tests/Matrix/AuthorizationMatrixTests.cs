namespace Slipway.Security.Tests.Matrix;

/// <summary>
/// The authorization matrix (issue 9's first check), generated from the server's route table: for every route, a caller
/// without credentials gets 401 (a redirect to /login on a UI page), bob, signed in without permission, gets 403, and the
/// permitted caller gets the route's normal answer, each in the route's own protocol; lists answer bob without alice's
/// resources. One case per route, so a failure names it. The public routes are an explicit allow-list.
/// </summary>
public sealed class AuthorizationMatrixTests(MatrixFixture fixture) : IClassFixture<MatrixFixture>
{
    public static TheoryData<string> Routes { get; } = new(RouteRecipes.All.Select(recipe => recipe.Key));

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_EachCaller_AnswersWhatItsAccessAllows(string key)
    {
        Assert.True(fixture.Routes.Any(route => route.Key == key), $"the recipe '{key}' names a route the server does not map");
        var run = new RecipeRun(fixture, RouteRecipes.Find(key));

        await run.CheckAllCallersAsync();

        Assert.True(run.Problems.Count == 0, $"{key}:\n  " + string.Join("\n  ", run.Problems));
    }

    [Fact]
    public void Seed_AliceResources_AllCreated() =>
        Assert.True(fixture.SeedProblems.Count == 0, "seeding failed:\n  " + string.Join("\n  ", fixture.SeedProblems));

    [Fact]
    public void Recipes_RouteTable_EveryRouteHasExactlyOneRecipe()
    {
        var routes = fixture.Routes.Select(route => route.Key).ToHashSet(StringComparer.Ordinal);
        var recipes = RouteRecipes.All.Select(recipe => recipe.Key).ToList();

        var uncovered = routes.Where(route => !recipes.Contains(route)).Order(StringComparer.Ordinal).ToList();
        var stale = recipes.Where(recipe => !routes.Contains(recipe)).Order(StringComparer.Ordinal).ToList();

        // The table is the server's own; a wrong reader would make this pass vacuously.
        Assert.Contains("POST /api/2.0/mlflow/runs/log-metric", routes);
        Assert.Contains("POST /ajax-api/2.0/mlflow/runs/log-metric", routes);
        Assert.Contains("POST /v2/models/{name}/infer", routes);
        Assert.Contains("POST /inference.GRPCInferenceService/ModelInfer", routes);
        Assert.Contains("GET /experiments/{ExperimentId}", routes);
        Assert.True(uncovered.Count + stale.Count == 0,
            "routes without a recipe (add one to RouteRecipes.*.cs):\n  " + string.Join("\n  ", uncovered)
            + "\nrecipes of routes the server no longer maps:\n  " + string.Join("\n  ", stale));
        Assert.Equal(recipes.Count, recipes.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void PublicRoutes_AllowList_IsExactlyTheAnonymousRecipes()
    {
        var anonymous = RouteRecipes.All.Where(recipe => recipe.Access == RouteAccess.Anonymous).Select(recipe => recipe.Key).ToHashSet(StringComparer.Ordinal);
        var mapped = fixture.Routes.Select(route => route.Key).ToHashSet(StringComparer.Ordinal);

        // Every anonymous recipe is on the allow-list, and every mapped allow-listed route has an anonymous recipe.
        Assert.Empty(anonymous.Except(RouteRecipes.PublicRoutes));
        Assert.Empty(RouteRecipes.PublicRoutes.Where(mapped.Contains).Except(anonymous));
    }

    [Fact]
    public void Routes_EveryNonPublicRoute_IsMappedWithAPolicy()
    {
        var unguarded = fixture.Routes
            .Where(route => !RouteRecipes.PublicRoutes.Contains(route.Key))
            .Where(route => route.Policies.Count == 0 || route.AllowsAnonymous)
            .Select(route => route.Key)
            .ToList();

        Assert.True(unguarded.Count == 0, "routes with no authorization policy (or AllowAnonymous) outside the allow-list:\n  " + string.Join("\n  ", unguarded));
    }
}
