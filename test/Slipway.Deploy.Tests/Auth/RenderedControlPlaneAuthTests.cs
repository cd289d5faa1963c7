using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using k8s.Models;
using Slipway.Cli;
using Slipway.Deploy.Tests.Docker;
using Slipway.Deploy.Tests.Support;

namespace Slipway.Deploy.Tests.Auth;

/// <summary>
/// The control plane as the chart and the image start it, run for real in a process of its own with the rendered
/// arguments (listen address and ports localized) and environment (Secrets resolved as the kubelet would): the first
/// start creates the administrator from the Secret, the probes stay anonymous, the API and <c>/metrics</c> need a
/// signed-in user, and a token, as the ServiceMonitor sends it, opens <c>/metrics</c>.
/// </summary>
public sealed class RenderedControlPlaneAuthTests
{
    private const string AdminPassword = "deploy-test-admin-passphrase";
    private const string SomeApiRoute = "/api/2.0/mlflow/experiments/get-by-name?experiment_name=Default";

    [Fact]
    public async Task DefaultChart_RunWithTheAdminSecret_ProbesOpenApiAndMetricsNeedASignedInUser()
    {
        var container = await RenderControlPlaneAsync();
        using var pod = SlipwayProcess.Start(RenderedPod.LocalArguments(container.Args),
            RenderedPod.Environment(container, new Dictionary<(string, string), string> { [("slipway-admin", "password")] = AdminPassword }));
        using var http = new HttpClient { BaseAddress = await pod.WaitForAddressAsync() };

        // Kubernetes probes carry no credentials: they must answer anyway.
        await WaitForStatusAsync(http, container.ReadinessProbe.HttpGet.Path, HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(container.LivenessProbe.HttpGet.Path)).StatusCode);

        using (var anonymous = await http.GetAsync(SomeApiRoute))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            using var error = JsonDocument.Parse(await anonymous.Content.ReadAsStringAsync());
            Assert.Equal("UNAUTHENTICATED", error.RootElement.GetProperty("error_code").GetString());
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/metrics")).StatusCode);

        // The administrator the first start created from the Secret's password signs in.
        var admin = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + AdminPassword)));
        using (var signedIn = new HttpRequestMessage(HttpMethod.Get, SomeApiRoute) { Headers = { Authorization = admin } })
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(signedIn)).StatusCode);

        // A token, as serviceMonitor.bearerTokenSecret holds it, is what Prometheus sends to /metrics.
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/2.0/slipway/tokens")
        {
            Headers = { Authorization = admin },
            Content = JsonContent.Create(new { name = "prometheus" }),
        };
        using var created = await http.SendAsync(create);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var secret = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("secret").GetString()!;
        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", secret) } };
        using var metrics = await http.SendAsync(scrape);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("# TYPE", await metrics.Content.ReadAsStringAsync());

        Assert.DoesNotContain(AdminPassword, pod.Output);
        Assert.DoesNotContain(secret, pod.Output);
    }

    [Fact]
    public async Task InsecureChart_Run_AnswersWithoutCredentials()
    {
        var container = await RenderControlPlaneAsync("auth.enabled=false,auth.insecureNoAuth=true");
        using var pod = SlipwayProcess.Start(RenderedPod.LocalArguments(container.Args), RenderedPod.Environment(container, new Dictionary<(string, string), string>()));
        using var http = new HttpClient { BaseAddress = await pod.WaitForAddressAsync() };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(SomeApiRoute)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task DockerCommand_WithoutAdminPassword_ExitsNamingTheVariable()
    {
        var command = Assert.Single(Dockerfile.Load(RepositoryPaths.Dockerfile).Final.All("CMD")).ExecForm();
        using var pod = SlipwayProcess.Start(RenderedPod.LocalArguments([.. command, "--port", "5000", "--grpc-port", "5001"]), new Dictionary<string, string>());

        // `docker run` without -e SLIPWAY_ADMIN_PASSWORD: a clear refusal, not a server nobody can sign in to.
        Assert.NotEqual(CliApp.Success, await pod.WaitForExitAsync());
        Assert.Contains("no user exists yet: set SLIPWAY_ADMIN_PASSWORD", pod.Output);
    }

    [Fact]
    public async Task DockerCommand_WithoutItsAuthFlag_RefusesToListenBeyondLoopback()
    {
        var command = Assert.Single(Dockerfile.Load(RepositoryPaths.Dockerfile).Final.All("CMD")).ExecForm();
        // The refusal comes from the configuration check, before anything listens: 0.0.0.0 is never bound here.
        using var pod = SlipwayProcess.Start([.. command.Where(word => word != "--auth"), "--port", "0", "--grpc-port", "0"], new Dictionary<string, string>());

        Assert.Equal(CliApp.UsageError, await pod.WaitForExitAsync());
        Assert.Contains("Refusing to listen on '0.0.0.0'", pod.Output);
    }

    private static async Task<V1Container> RenderControlPlaneAsync(string? values = null)
    {
        var result = await Support.Helm.RunAsync(["template", "slipway", RepositoryPaths.Chart, .. values is null ? Array.Empty<string>() : ["--set", values]]);
        Assert.True(result.ExitCode == 0, result.Error);
        return Assert.Single(Manifests.Parse(result.Output).Deployment("slipway").Spec.Template.Spec.Containers);
    }

    private static async Task WaitForStatusAsync(HttpClient http, string path, HttpStatusCode expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            using var response = await http.GetAsync(path, timeout.Token);
            if (response.StatusCode == expected)
                return;
            await Task.Delay(100, timeout.Token);
        }
    }
}
