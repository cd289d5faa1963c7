using static Slipway.Security.Tests.Matrix.RouteAccess;

namespace Slipway.Security.Tests.Matrix;

/// <summary>
/// Users, tokens and permissions: Slipway's admin REST under <c>/api/2.0/slipway</c> and MLflow's auth REST under
/// <c>/api/2.0/mlflow</c> (what MLflow's <c>AuthServiceClient</c> calls). A user may read their own account and manage
/// their own tokens; a resource's MANAGE holder decides who else may use it; everything else needs the admin.
/// </summary>
public static partial class RouteRecipes
{
    private static IEnumerable<RouteRecipe> Administration()
    {
        const string a = AdminApi;
        yield return Rest("POST", a + "users", a + "users", """{"name": "matrix-user-{unique}", "password": "matrix-user-password"}""", RouteAccess.Admin);
        yield return new RouteRecipe($"GET {a}users", a + "users", RouteAccess.Admin);
        // Admin or self: alice reads her own account, bob may not read hers.
        yield return Rest("GET", a + "users/{name}", a + "users/alice", null, Resource);
        yield return Rest("PATCH", a + "users/{name}", a + "users/{fresh}", """{"roles": ["approver"]}""", RouteAccess.Admin) with { Setup = Fresh(NewUserAsync) };
        yield return Rest("DELETE", a + "users/{name}", a + "users/{fresh}", null, RouteAccess.Admin) with { Setup = Fresh(NewUserAsync) };
        yield return new RouteRecipe($"GET {a}whoami", a + "whoami", SignedIn);
        yield return Rest("POST", a + "tokens", a + "tokens", """{"name": "matrix-{unique}", "expires_in_days": 1}""", SignedIn);
        yield return new RouteRecipe($"GET {a}tokens", a + "tokens", List) { Hidden = "{token}" };
        yield return Rest("DELETE", a + "tokens/{id}", a + "tokens/{fresh}", null, Resource) with
        {
            Setup = Fresh(async fixture => MatrixFixture.FirstString(
                await fixture.CallOkAsync(Caller.Alice, "POST", AdminApi + "tokens", new { name = MatrixFixture.Unique("matrix-token") }), "id")),
        };
        // Grants are changed on fresh experiments: carol's READ on alice's main experiment must stay as seeded.
        yield return Rest("PUT", a + "permissions", a + "permissions", """{"resource_type": "experiments", "resource": "{fresh}", "user": "carol", "permission": "READ"}""", Resource) with
        {
            Setup = Fresh(NewExperimentAsync),
        };
        yield return new RouteRecipe($"GET {a}permissions", a + "permissions?resource_type=experiments&resource={exp}", Resource);
        yield return Rest("DELETE", a + "permissions", a + "permissions", """{"resource_type": "experiments", "resource": "{fresh}", "user": "carol"}""", Resource) with
        {
            Setup = Fresh(async fixture =>
            {
                var experiment = await NewExperimentAsync(fixture);
                await fixture.CallOkAsync(Caller.Alice, "PUT", AdminApi + "permissions", new { resource_type = "experiments", resource = experiment, user = "carol", permission = "EDIT" });
                return experiment;
            }),
        };
    }

    private static IEnumerable<RouteRecipe> MlflowAuth()
    {
        const string m = Mlflow;
        yield return Rpc(m, "POST", "users/create", """{"username": "matrix-user-{unique}", "password": "matrix-user-password"}""", RouteAccess.Admin);
        yield return Rpc(m, "GET", "users/get", "username=alice", Resource);
        yield return Rpc(m, "PATCH", "users/update-password", """{"username": "{fresh}", "password": "matrix-changed-password"}""", RouteAccess.Admin) with { Setup = Fresh(NewUserAsync) };
        yield return Rpc(m, "PATCH", "users/update-admin", """{"username": "{fresh}", "is_admin": false}""", RouteAccess.Admin) with { Setup = Fresh(NewUserAsync) };
        yield return Rpc(m, "DELETE", "users/delete", """{"username": "{fresh}"}""", RouteAccess.Admin) with { Setup = Fresh(NewUserAsync) };

        // MANAGE on the experiment or model decides; each recipe works on a fresh one of alice's so that "create" never
        // meets an existing grant.
        foreach (var (kind, key, fresh) in new[] { ("experiments", "experiment_id", (Func<MatrixFixture, Task<string>>)NewExperimentAsync), ("registered-models", "name", NewModelAsync) })
        {
            var grant = $$"""{"{{key}}": "{fresh}", "username": "carol", "permission": "READ"}""";
            yield return Rpc(m, "POST", kind + "/permissions/create", grant, Resource) with { Setup = Fresh(fresh) };
            yield return Rpc(m, "GET", kind + "/permissions/get", $"{key}={{fresh}}&username=carol", Resource) with { Setup = Fresh(WithCarolGrant(kind, key, fresh)) };
            yield return Rpc(m, "PATCH", kind + "/permissions/update", grant.Replace("READ", "EDIT", StringComparison.Ordinal), Resource) with { Setup = Fresh(WithCarolGrant(kind, key, fresh)) };
            yield return Rpc(m, "DELETE", kind + "/permissions/delete", $$"""{"{{key}}": "{fresh}", "username": "carol"}""", Resource) with { Setup = Fresh(WithCarolGrant(kind, key, fresh)) };
        }
    }

    /// <summary>A fresh resource of alice's on which carol already holds READ (granted through MLflow's own API).</summary>
    private static Func<MatrixFixture, Task<string>> WithCarolGrant(string kind, string key, Func<MatrixFixture, Task<string>> fresh) => async fixture =>
    {
        var resource = await fresh(fixture);
        await fixture.CallOkAsync(Caller.Alice, "POST", $"{Mlflow}{kind}/permissions/create",
            $$"""{"{{key}}": "{{resource}}", "username": "carol", "permission": "READ"}""");
        return resource;
    };

    private static async Task<string> NewUserAsync(MatrixFixture fixture)
    {
        var name = MatrixFixture.Unique("matrix-user");
        await fixture.CallOkAsync(Caller.Admin, "POST", AdminApi + "users", new { name, password = "matrix-user-password" });
        return name;
    }
}
