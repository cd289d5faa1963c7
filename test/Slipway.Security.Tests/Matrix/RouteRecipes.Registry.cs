using System.Globalization;
using static Slipway.Security.Tests.Matrix.RouteAccess;

namespace Slipway.Security.Tests.Matrix;

/// <summary>The MLflow model registry and Slipway's governance REST (model permissions; audit and webhooks for admins).</summary>
public static partial class RouteRecipes
{
    private static IEnumerable<RouteRecipe> Registry()
    {
        const string m = Mlflow;
        yield return Rpc(m, "POST", "registered-models/create", """{"name": "matrix-carol-{unique}"}""", Creates);
        yield return Rpc(m, "GET", "registered-models/get", "name={model}", Resource);
        yield return Rpc(m, "GET", "registered-models/search", "max_results=1000", List) with { Hidden = "{model}" };
        yield return Rpc(m, "POST", "registered-models/rename", """{"name": "{fresh}", "new_name": "{fresh}-renamed"}""", Resource) with { Setup = Fresh(NewModelAsync) };
        yield return Rpc(m, "PATCH", "registered-models/update", """{"name": "{model}", "description": "matrix"}""", Resource);
        yield return Rpc(m, "DELETE", "registered-models/delete", """{"name": "{fresh}"}""", Resource) with { Setup = Fresh(NewModelAsync) };
        yield return Rpc(m, "POST", "registered-models/set-tag", """{"name": "{model}", "key": "k", "value": "v"}""", Resource);
        yield return Rpc(m, "DELETE", "registered-models/delete-tag", """{"name": "{model}", "key": "gone"}""", Resource) with
        {
            Setup = Prepare(fixture => fixture.CallOkAsync(Caller.Alice, "POST", Mlflow + "registered-models/set-tag", new { name = fixture.Expand("{model}"), key = "gone", value = "v" })),
        };
        yield return Rpc(m, "POST", "registered-models/get-latest-versions", """{"name": "{model}"}""", Resource);
        yield return Rpc(m, "GET", "registered-models/get-latest-versions", "name={model}", Resource);
        yield return Rpc(m, "POST", "registered-models/alias", """{"name": "{model}", "alias": "champion", "version": "1"}""", Resource);
        yield return Rpc(m, "DELETE", "registered-models/alias", """{"name": "{model}", "alias": "gone"}""", Resource) with
        {
            Setup = Prepare(fixture => fixture.CallOkAsync(Caller.Alice, "POST", Mlflow + "registered-models/alias", new { name = fixture.Expand("{model}"), alias = "gone", version = "1" })),
        };
        yield return Rpc(m, "GET", "registered-models/alias", "name={model}&alias=champion", Resource);
        yield return Rpc(m, "POST", "model-versions/create", """{"name": "{model}", "source": "{source}"}""", Resource);
        yield return Rpc(m, "GET", "model-versions/get", "name={model}&version=1", Resource);
        yield return Rpc(m, "GET", "model-versions/search", "max_results=1000", List) with { Hidden = "{model}" };
        yield return Rpc(m, "PATCH", "model-versions/update", """{"name": "{model}", "version": "1", "description": "matrix"}""", Resource);
        yield return Rpc(m, "POST", "model-versions/transition-stage", """{"name": "{model}", "version": "1", "stage": "Staging"}""", Resource);
        yield return Rpc(m, "DELETE", "model-versions/delete", """{"name": "{model}", "version": "{fresh}"}""", Resource) with
        {
            Setup = Fresh(async fixture => MatrixFixture.FirstString(
                await fixture.CallOkAsync(Caller.Alice, "POST", Mlflow + "model-versions/create", new { name = fixture.Expand("{model}"), source = fixture.Expand("{source}") }), "version")),
        };
        yield return Rpc(m, "GET", "model-versions/get-download-uri", "name={model}&version=1", Resource);
        yield return Rpc(m, "POST", "model-versions/set-tag", """{"name": "{model}", "version": "1", "key": "k", "value": "v"}""", Resource);
        yield return Rpc(m, "DELETE", "model-versions/delete-tag", """{"name": "{model}", "version": "1", "key": "gone"}""", Resource) with
        {
            Setup = Prepare(fixture => fixture.CallOkAsync(Caller.Alice, "POST", Mlflow + "model-versions/set-tag", new { name = fixture.Expand("{model}"), version = "1", key = "gone", value = "v" })),
        };
    }

    private static IEnumerable<RouteRecipe> Governance()
    {
        const string s = Slipway;
        yield return Rest("GET", s + "models/{name}/versions/{version}/card", s + "models/{model}/versions/1/card", null, Resource);
        yield return Rest("PUT", s + "models/{name}/versions/{version}/card", s + "models/{model}/versions/1/card", """{"intended_use": "the matrix", "owners": ["alice"]}""", Resource);
        yield return Rest("GET", s + "models/{name}/versions/{version}/card.md", s + "models/{model}/versions/1/card.md", null, Resource);
        yield return Rest("GET", s + "lineage/models/{name}/versions/{version}", s + "lineage/models/{model}/versions/1", null, Resource);
        yield return new RouteRecipe($"GET {s}models/resolve", s + "models/resolve?uri=models:/{model}@champion", Resource);
        yield return Rest("GET", s + "models/{name}/policy", s + "models/{governed}/policy", null, Resource);
        yield return Rest("PUT", s + "models/{name}/policy", s + "models/{fresh}/policy", """{"protected_aliases": ["prod"], "required_approvals": 1}""", Resource) with { Setup = Fresh(NewModelAsync) };
        yield return Rest("DELETE", s + "models/{name}/policy", s + "models/{fresh}/policy", null, Resource) with
        {
            Setup = Fresh(async fixture =>
            {
                var name = await NewModelAsync(fixture);
                await fixture.CallOkAsync(Caller.Alice, "PUT", Slipway + $"models/{name}/policy", new { protected_aliases = new[] { "prod" }, required_approvals = 1 });
                return name;
            }),
        };
        // One request may be pending per version and target, so each recipe asks on a governed model of its own.
        yield return Rest("POST", s + "models/{name}/approvals", s + "models/{fresh}/approvals", """{"version": "1", "alias": "champion"}""", Resource) with
        {
            Setup = Fresh(fixture => fixture.NewGovernedModelAsync()),
        };
        yield return new RouteRecipe($"GET {s}approvals", s + "approvals?max_results=1000", List) { Hidden = "{governed}" };
        yield return Rest("GET", s + "approvals/{id}", s + "approvals/{approval}", null, Resource);
        // Deciding needs the approver role besides READ on the model; the admin holds every role, alice (the requester) none.
        foreach (var decision in new[] { "approve", "reject" })
        {
            yield return Rest("POST", s + "approvals/{id}/" + decision, s + "approvals/{fresh}/" + decision, """{"comment": "matrix"}""", Admin) with
            {
                Setup = Fresh(async fixture => await fixture.RequestApprovalAsync(await fixture.NewGovernedModelAsync())),
            };
        }

        yield return new RouteRecipe($"GET {s}audit", s + "audit?max_results=10", Admin);
        yield return Rest("POST", s + "webhooks", s + "webhooks",
            """{"name": "matrix-{unique}", "url": "http://127.0.0.1:9/matrix", "events": ["registered_model.deleted"]}""", Admin);
        yield return new RouteRecipe($"GET {s}webhooks", s + "webhooks", Admin);
        yield return Rest("GET", s + "webhooks/{id}", s + "webhooks/{webhook}", null, Admin);
        yield return Rest("PATCH", s + "webhooks/{id}", s + "webhooks/{webhook}", """{"active": true}""", RouteAccess.Admin);
        yield return Rest("DELETE", s + "webhooks/{id}", s + "webhooks/{fresh}", null, Admin) with
        {
            Setup = Fresh(async fixture => (await fixture.CallOkAsync(Caller.Admin, "POST", Slipway + "webhooks",
                    new { name = MatrixFixture.Unique("matrix-hook"), url = "http://127.0.0.1:9/matrix", events = new[] { "registered_model.deleted" } }))
                .GetProperty("webhook").GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture)),
        };
        yield return Rest("GET", s + "webhooks/{id}/deliveries", s + "webhooks/{webhook}/deliveries", null, Admin);
    }

    private static async Task<string> NewModelAsync(MatrixFixture fixture)
    {
        var name = MatrixFixture.Unique("matrix-fresh-model");
        await fixture.CallOkAsync(Caller.Alice, "POST", Mlflow + "registered-models/create", new { name });
        return name;
    }
}
