using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Slipway.Security.Tests.Hardening;

/// <summary>
/// No secret is ever written down: a real <c>slipway server --auth</c> child process logging at Trace, with single
/// sign-on configured, goes through the bootstrap of its admin, sign-ins with right and wrong passwords, password
/// changes, tokens created, used (Bearer and as a Basic password), revoked and reused, unknown tokens, and JWTs that fail
/// validation. Its whole console output, <c>/metrics</c> and the audit trail are then searched for every password, token
/// secret and JWT the test used and for every password hash and token hash in its database.
/// </summary>
public sealed class LogScanTests
{
    private const string AdminPassword = "scan-admin-password-1";

    [Fact]
    public async Task ServerConsole_SignInsTokensAndFailedJwts_NeverShowsASecretOrHash()
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        var secrets = new SecretScan();
        secrets.Add("the bootstrap admin password", AdminPassword);
        await using var server = await ServerProcess.StartAsync(["--auth"], new Dictionary<string, string>
        {
            ["SLIPWAY_ADMIN_PASSWORD"] = AdminPassword,
            ["Slipway__Auth__PasswordIterations"] = "10000",
            ["Slipway__Auth__Oidc__Authority"] = issuer.Issuer,
            ["Slipway__Auth__Oidc__Audience"] = TestOidcIssuer.Audience,
            ["Slipway__Auth__Oidc__RequireHttpsMetadata"] = "false",
            ["Logging__LogLevel__Default"] = "Trace",
            ["Logging__LogLevel__Microsoft"] = "Trace",
        });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        await ExerciseAsync(http, issuer, secrets);
        var metrics = await SendAsync(http, HttpMethod.Get, "metrics", Basic("admin", AdminPassword));
        var audit = await SendAsync(http, HttpMethod.Get, "api/slipway/v1/audit?max_results=10000", Basic("admin", AdminPassword));
        var output = await server.StopAsync();
        AddStoredHashes(server.DataDirectory, secrets);

        Assert.Equal(HttpStatusCode.OK, metrics.Status);
        Assert.Equal(HttpStatusCode.OK, audit.Status);
        // The capture works and ran at the levels asked for: the host's start line is there, and so is the audit trail's sign-in.
        Assert.Contains("Now listening on", output, StringComparison.Ordinal);
        Assert.Contains("auth.signin_failed", audit.Body, StringComparison.Ordinal);
        Assert.True(secrets.Count >= 12, $"only {secrets.Count} secrets collected");
        var leaks = secrets.FindIn("the server console", output)
            .Concat(secrets.FindIn("/metrics", metrics.Body))
            .Concat(secrets.FindIn("the audit trail", audit.Body))
            .ToList();
        Assert.True(leaks.Count == 0, "secrets written down:\n  " + string.Join("\n  ", leaks));
    }

    private static async Task ExerciseAsync(HttpClient http, TestOidcIssuer issuer, SecretScan secrets)
    {
        var admin = Basic("admin", AdminPassword);
        const string alicePassword = "scan-alice-password-1";
        const string aliceNewPassword = "scan-alice-password-2";
        secrets.Add("alice's password", alicePassword);
        secrets.Add("alice's second password", aliceNewPassword);
        await ExpectAsync(http, HttpMethod.Post, "api/2.0/slipway/users", admin, HttpStatusCode.OK, new { name = "alice", password = alicePassword });
        await ExpectAsync(http, HttpMethod.Get, "api/2.0/slipway/whoami", Basic("alice", alicePassword), HttpStatusCode.OK);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var wrong = $"scan-wrong-password-{attempt}-{Guid.NewGuid():N}";
            secrets.Add($"wrong password {attempt}", wrong);
            await ExpectAsync(http, HttpMethod.Get, "api/2.0/slipway/whoami", Basic("alice", wrong), HttpStatusCode.Unauthorized);
        }
        await ExpectAsync(http, new HttpMethod("PATCH"), "api/2.0/slipway/users/alice", Basic("alice", alicePassword), HttpStatusCode.OK,
            new { password = aliceNewPassword, current_password = alicePassword });
        await ExpectAsync(http, HttpMethod.Get, "api/2.0/slipway/whoami", Basic("alice", aliceNewPassword), HttpStatusCode.OK);

        // MLflow's auth API takes passwords too.
        const string mlflowPassword = "scan-mlflow-user-password";
        const string mlflowNewPassword = "scan-mlflow-user-password-2";
        secrets.Add("a password given to MLflow's users/create", mlflowPassword);
        secrets.Add("a password given to MLflow's users/update-password", mlflowNewPassword);
        await ExpectAsync(http, HttpMethod.Post, "api/2.0/mlflow/users/create", admin, HttpStatusCode.OK, new { username = "mallory", password = mlflowPassword });
        await ExpectAsync(http, new HttpMethod("PATCH"), "api/2.0/mlflow/users/update-password", admin, HttpStatusCode.OK, new { username = "mallory", password = mlflowNewPassword });

        var created = await ExpectAsync(http, HttpMethod.Post, "api/2.0/slipway/tokens", Basic("alice", aliceNewPassword), HttpStatusCode.OK, new { name = "scan" });
        using var token = JsonDocument.Parse(created);
        var secret = token.RootElement.GetProperty("secret").GetString()!;
        var id = token.RootElement.GetProperty("token").GetProperty("id").GetString()!;
        secrets.Add("alice's token secret", secret);
        secrets.Add("alice's token hash", Slipway.Security.Credentials.TokenCodec.HashOf(secret));
        await ExpectAsync(http, HttpMethod.Get, "api/2.0/slipway/whoami", new AuthenticationHeaderValue("Bearer", secret), HttpStatusCode.OK);
        await ExpectAsync(http, HttpMethod.Get, "api/2.0/slipway/whoami", Basic("alice", secret), HttpStatusCode.OK);
        await ExpectAsync(http, HttpMethod.Delete, "api/2.0/slipway/tokens/" + id, Basic("alice", aliceNewPassword), HttpStatusCode.OK);
        await ExpectAsync(http, HttpMethod.Get, "api/2.0/slipway/whoami", new AuthenticationHeaderValue("Bearer", secret), HttpStatusCode.Unauthorized);
        var unknown = Slipway.Security.Credentials.TokenCodec.NewSecret().Secret;
        secrets.Add("an unknown token secret", unknown);
        await ExpectAsync(http, HttpMethod.Get, "api/2.0/slipway/whoami", new AuthenticationHeaderValue("Bearer", unknown), HttpStatusCode.Unauthorized);

        using var otherKey = System.Security.Cryptography.RSA.Create(2048);
        var badJwts = new Dictionary<string, string>
        {
            ["a JWT for another audience"] = issuer.Sign("olivia", audience: "someone-else"),
            ["an expired JWT"] = issuer.Sign("olivia", expiresIn: TimeSpan.FromHours(-1)),
            ["a JWT signed with another key"] = issuer.Sign("olivia", key: otherKey),
            ["an unsigned JWT"] = issuer.Unsigned("olivia"),
        };
        foreach (var (label, jwt) in badJwts)
        {
            secrets.Add(label, jwt);
            await ExpectAsync(http, HttpMethod.Get, "api/2.0/slipway/whoami", new AuthenticationHeaderValue("Bearer", jwt), HttpStatusCode.Unauthorized);
        }
        var good = issuer.Sign("olivia");
        secrets.Add("a valid JWT", good);
        await ExpectAsync(http, HttpMethod.Get, "api/2.0/slipway/whoami", new AuthenticationHeaderValue("Bearer", good), HttpStatusCode.OK);
    }

    /// <summary>Every password hash and token hash the server stored (and each part of a structured password hash).</summary>
    private static void AddStoredHashes(string dataDirectory, SecretScan secrets)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "slipway.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        foreach (var (sql, label) in new[] { ("SELECT name, password_hash FROM users WHERE password_hash IS NOT NULL", "password hash"), ("SELECT id, hash FROM access_tokens", "token hash") })
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var stored = reader.GetString(1);
                secrets.Add($"the stored {label} of {reader.GetString(0)}", stored);
                foreach (var part in stored.Split('$', ':', '.').Where(part => part.Length >= 16))
                    secrets.Add($"a part of the stored {label} of {reader.GetString(0)}", part);
            }
        }
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));

    private static async Task<string> ExpectAsync(HttpClient http, HttpMethod method, string target, AuthenticationHeaderValue authorization, HttpStatusCode expected, object? body = null)
    {
        var (status, text) = await SendAsync(http, method, target, authorization, body);
        Assert.True(status == expected, $"{method} {target} answered {(int)status}, expected {(int)expected}: {text}");
        return text;
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient http, HttpMethod method, string target, AuthenticationHeaderValue authorization, object? body = null)
    {
        using var request = new HttpRequestMessage(method, target) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = authorization;
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
