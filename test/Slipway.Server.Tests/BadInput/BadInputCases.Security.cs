using static Slipway.Server.Tests.Infrastructure.MlflowError;

namespace Slipway.Server.Tests.BadInput;

/// <summary>
/// Users, tokens and permissions (<c>/api/2.0/slipway</c>), MLflow's auth API (<c>/api/2.0/mlflow/users|…/permissions</c>)
/// on this suite's server (authentication off): names and levels that are not valid, unknown users, tokens and grants.
/// The serving replicas' token check has no bad input with authentication off (it answers that nothing is checked).
/// </summary>
public static partial class BadInputCases
{
    private const string Accounts = "/api/2.0/slipway/";
    private const string Unknown = "no-such-user";
    private const string LongPassword = "a-long-enough-password";

    private static IEnumerable<BadInputCase> SecurityRoutes()
    {
        yield return Send("POST user without a name", "POST", Accounts + "users", $$"""{"password": "{{LongPassword}}"}""", 400, InvalidParameterValue);
        yield return Send("POST user with ':' in the name", "POST", Accounts + "users", $$"""{"name": "a:b", "password": "{{LongPassword}}"}""", 400, InvalidParameterValue);
        yield return Send("POST user with a short password", "POST", Accounts + "users", """{"name": "shorty", "password": "short"}""", 400, InvalidParameterValue);
        yield return Send("GET an unknown user", "GET", Accounts + "users/" + Unknown, null, 404, ResourceDoesNotExist);
        yield return Send("PATCH an unknown user", "PATCH", Accounts + "users/" + Unknown, """{"admin": true}""", 404, ResourceDoesNotExist);
        yield return Send("DELETE an unknown user", "DELETE", Accounts + "users/" + Unknown, null, 404, ResourceDoesNotExist);
        yield return Send("POST token without a name", "POST", Accounts + "tokens", "{}", 400, InvalidParameterValue);
        yield return Send("GET tokens of a user and an endpoint at once", "GET", Accounts + "tokens?user=a&endpoint=b", null, 400, InvalidParameterValue);
        yield return Send("DELETE an unknown token", "DELETE", Accounts + "tokens/tok_0000000000000000", null, 404, ResourceDoesNotExist);
        yield return Send("PUT a permission of an unknown resource type", "PUT", Accounts + "permissions",
            """{"resource_type": "bogus", "resource": "x", "user": "u", "permission": "READ"}""", 400, InvalidParameterValue);
        yield return Send("PUT a permission with an unknown level", "PUT", Accounts + "permissions",
            """{"resource_type": "experiments", "resource": "0", "user": "u", "permission": "WRITE"}""", 400, InvalidParameterValue);
        yield return Send("GET permissions of an unknown resource type", "GET", Accounts + "permissions?resource_type=bogus&resource=x", null, 400, InvalidParameterValue);
        yield return Send("DELETE a permission nobody holds", "DELETE", Accounts + "permissions",
            """{"resource_type": "experiments", "resource": "0", "user": "nobody"}""", 404, ResourceDoesNotExist);

        yield return Post("MLflow users/create without a username", "users/create", $$"""{"password": "{{LongPassword}}"}""", 400, InvalidParameterValue);
        yield return Get("MLflow users/get of an unknown user", "users/get?username=" + Unknown, 404, ResourceDoesNotExist);
        yield return Send("MLflow users/update-password of an unknown user", "PATCH", Api + "users/update-password",
            $$"""{"username": "{{Unknown}}", "password": "{{LongPassword}}"}""", 404, ResourceDoesNotExist);
        yield return Send("MLflow users/update-admin of an unknown user", "PATCH", Api + "users/update-admin",
            $$"""{"username": "{{Unknown}}", "is_admin": true}""", 404, ResourceDoesNotExist);
        yield return Send("MLflow users/delete of an unknown user", "DELETE", Api + "users/delete", $$"""{"username": "{{Unknown}}"}""", 404, ResourceDoesNotExist);
        foreach (var (path, key, value) in new[] { ("experiments", "experiment_id", "0"), ("registered-models", "name", "{model}") })
        {
            yield return Post($"MLflow {path} permission for an unknown user", path + "/permissions/create",
                $$"""{"{{key}}": "{{value}}", "username": "{{Unknown}}", "permission": "READ"}""", 404, ResourceDoesNotExist);
            yield return Get($"MLflow {path} permission nobody holds", $"{path}/permissions/get?{key}={value}&username=nobody", 404, ResourceDoesNotExist);
            yield return Send($"MLflow update of a {path} permission nobody holds", "PATCH", $"{Api}{path}/permissions/update",
                $$"""{"{{key}}": "{{value}}", "username": "nobody", "permission": "READ"}""", 404, ResourceDoesNotExist);
            yield return Send($"MLflow delete of a {path} permission nobody holds", "DELETE", $"{Api}{path}/permissions/delete",
                $$"""{"{{key}}": "{{value}}", "username": "nobody"}""", 404, ResourceDoesNotExist);
        }
    }
}
