using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Slipway.LoadTest.Scenarios;

/// <summary>
/// The price of authentication on the request path: the same small call (runs/log-batch with 1 metric, the fixed cost
/// of a call) sequentially and from 4 clients, on a server with authentication off, then on one with it on, signed in
/// by HTTP Basic (what MLflow clients send on every request: the slow password hash is paid once, then remembered) and
/// by a Bearer personal access token. Also one uncached PBKDF2 verification at the default 600,000 iterations, the
/// price of a first sign-in.
/// </summary>
internal sealed class AuthScenario : IScenario
{
    private const string AdminPassword = "load-test-admin-password";
    private static readonly TimeSpan PhaseDeadline = TimeSpan.FromSeconds(120);

    public string Name => "auth";

    public async Task RunAsync(ScenarioContext context)
    {
        var calls = context.Budget(4000, 200);
        await using (var open = await context.StartServerAsync())
            await MeasureAsync(context, open, context.Http, "auth off", calls);

        await using var server = await context.StartServerAsync(new Dictionary<string, string>
        {
            ["Slipway__Auth__Enabled"] = "true",
            ["SLIPWAY_ADMIN_PASSWORD"] = AdminPassword,
        });
        using var basic = SlipwayApi.CreateHttpClient();
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + AdminPassword)));
        var firstSignIn = System.Diagnostics.Stopwatch.StartNew();
        using (var first = await basic.GetAsync(new Uri(server.BaseAddress, "api/2.0/slipway/whoami")))
            first.EnsureSuccessStatusCode();
        context.Report(Name, "first HTTP Basic sign-in (PBKDF2-SHA256, 600,000 iterations, plus one request)",
            $"{firstSignIn.Elapsed.TotalMilliseconds:0} ms", "", null, "", "paid once per user and password per cache lifetime (5 min)");
        await MeasureAsync(context, server, basic, "auth on, HTTP Basic password", calls);

        using var bearer = SlipwayApi.CreateHttpClient();
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await CreateTokenAsync(basic, server.BaseAddress));
        await MeasureAsync(context, server, bearer, "auth on, Bearer access token", calls);
    }

    private async Task MeasureAsync(ScenarioContext context, ServerProcess server, HttpClient http, string label, int calls)
    {
        var api = new SlipwayApi(http, server.BaseAddress);
        var experimentId = await api.CreateExperimentAsync("auth-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var clients in new[] { 1, 4 })
        {
            var runs = new string[clients];
            for (var c = 0; c < clients; c++)
                runs[c] = await api.CreateRunAsync(experimentId, $"auth-{clients}-{c}");
            var perClient = calls / clients;
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var before = CpuSample.Take(server);
            var outcome = await LoadRunner.RunAsync(clients, perClient * clients, PhaseDeadline, (worker, index) =>
                api.PostAsync("runs/log-batch", SlipwayApi.Json(w =>
                {
                    w.WriteString("run_id", runs[worker]);
                    w.WriteStartArray("metrics");
                    w.WriteStartObject();
                    w.WriteString("key", "m");
                    w.WriteNumber("value", index);
                    w.WriteNumber("timestamp", timestamp);
                    w.WriteNumber("step", index);
                    w.WriteEndObject();
                    w.WriteEndArray();
                })), interleaved: true);
            context.Report(Name, $"log-batch ×1 metric, {label}, {clients} client(s)", $"{outcome.PerSecond:N0} calls/s", "", null, "",
                $"{outcome.DeadlineNote}per call {outcome.Latency.Summary()}; {before.Describe(CpuSample.Take(server), outcome.Completed, "call")}");
        }
    }

    private static async Task<string> CreateTokenAsync(HttpClient http, Uri baseAddress)
    {
        using var content = new StringContent("{\"name\":\"load-test\",\"expires_in_days\":1}", Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri(baseAddress, "api/2.0/slipway/tokens"), content);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("secret").GetString()!;
    }
}
