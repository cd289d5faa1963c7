namespace Slipway.Security.Tests.Matrix;

/// <summary>The matrix's server with authentication off, where every permitted call must succeed.</summary>
public sealed class AuthOffMatrixFixture : MatrixFixture
{
    protected override bool AuthEnabled => false;
}

/// <summary>
/// The recipes themselves, against a server with authentication off (today's single-user behaviour): every permitted
/// call succeeds with the route's normal answer and every list shows alice's resource. Without this a recipe that is
/// simply wrong (a bad body, a missing setup) would pass the matrix's 401 and 403 rows and fail only its last one.
/// Users, tokens and grants exist only with authentication on, so those recipes are left to the matrix.
/// </summary>
public sealed class RecipeTableTests(AuthOffMatrixFixture fixture) : IClassFixture<AuthOffMatrixFixture>
{
    public static TheoryData<string> Recipes { get; } = new(RouteRecipes.All.Where(recipe => !NeedsAuthentication(recipe)).Select(recipe => recipe.Key));

    [Theory]
    [MemberData(nameof(Recipes))]
    public async Task Recipe_AuthOff_PermittedCallSucceeds(string key)
    {
        Assert.True(fixture.Routes.Any(route => route.Key == key), $"the recipe '{key}' names a route the server does not map");
        var run = new RecipeRun(fixture, RouteRecipes.Find(key));

        await run.CheckPermittedCallAsync();

        Assert.True(run.Problems.Count == 0, $"{key}:\n  " + string.Join("\n  ", run.Problems));
    }

    [Fact]
    public void Seed_AliceResources_AllCreated() =>
        Assert.True(fixture.SeedProblems.Count == 0, "seeding failed:\n  " + string.Join("\n  ", fixture.SeedProblems));

    /// <summary>Account routes (users, tokens, grants, who am I, signing in) mean nothing without authentication.</summary>
    private static bool NeedsAuthentication(RouteRecipe recipe) =>
        recipe.Key.Contains("/2.0/slipway/", StringComparison.Ordinal)
        || recipe.Key.Contains("/2.0/mlflow/users/", StringComparison.Ordinal)
        || recipe.Key.Contains("/permissions/", StringComparison.Ordinal)
        || recipe.Key.EndsWith(" /login", StringComparison.Ordinal)
        || recipe.Key.EndsWith(" /logout", StringComparison.Ordinal)
        || recipe.Key == "GET /tokens";
}
