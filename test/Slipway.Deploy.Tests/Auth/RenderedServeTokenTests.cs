using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using k8s.Models;
using Slipway.Cli;
using Slipway.Cli.Deploy;
using Slipway.Client;
using Slipway.Deploy.Tests.Support;
using Slipway.Testing;

namespace Slipway.Deploy.Tests.Auth;

/// <summary>
/// Serving pods in front of a control plane with authentication on: the container the chart (<c>serving.tokenSecret</c>,
/// <c>serving.credentialsSecret</c>) and <c>slipway deploy kubernetes</c> (<c>--token-secret</c>,
/// <c>--credentials-secret</c>) render is run as its own process with the login from the "Secret" in its environment,
/// and must read its endpoint's spec, download the model and answer an inference.
/// </summary>
public sealed class RenderedServeTokenTests : IAsyncLifetime
{
    private const string Endpoint = "cancer-ep";
    private const string AdminPassword = "deploy-serve-admin-passphrase";
    private static readonly string ModelFolder = Path.Combine(AppContext.BaseDirectory, "TestData", "logreg_breast_cancer");

    private SlipwayTestServer _server = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _server = await SlipwayTestServer.StartAsync(configure: o =>
        {
            o.Auth.Enabled = true;
            o.Auth.AdminPassword = AdminPassword;
            o.Auth.PasswordIterations = 10_000;
        });
        using var admin = new SlipwayClient(_server.BaseAddress) { UserName = "admin", Password = AdminPassword };
        var run = await admin.CreateRunAsync("0", "train-cancer");
        await admin.UploadArtifactsAsync(run.Info, Path.Combine(ModelFolder, "mlflow_model"), "model");
        await admin.CreateRegisteredModelAsync("cancer");
        var version = await admin.CreateModelVersionAsync("cancer", $"{run.Info.ArtifactUri}/model", run.Info.RunId);
        await admin.SetModelAliasAsync("cancer", "champion", version.Version);
        await admin.CreateEndpointAsync(new EndpointSpec { Name = Endpoint, Routes = [new EndpointRoute("main", "models:/cancer@champion")] });

        // The administrator's personal token stands for the token an operator stores in the Secret.
        using var http = _server.CreateClient();
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/2.0/slipway/tokens")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + AdminPassword))) },
            Content = new StringContent("""{"name":"serving"}""", Encoding.UTF8, "application/json"),
        };
        using var created = await http.SendAsync(create);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        _token = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("secret").GetString()!;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("cli", "token")]
    [InlineData("helm", "token")]
    [InlineData("cli", "credentials")]
    [InlineData("helm", "credentials")]
    public async Task RenderedServeContainer_LoginFromSecret_ServesTheEndpointOfAnAuthenticatedControlPlane(string renderer, string login)
    {
        var container = renderer == "cli" ? await RenderWithCliAsync(login) : await RenderWithHelmAsync(login);
        var secrets = new Dictionary<(string, string), string>
        {
            [("serving-token", "token")] = _token,
            [("serving-login", SlipwayClient.UserNameVariable)] = "admin",
            [("serving-login", SlipwayClient.PasswordVariable)] = AdminPassword,
        };
        var loginVariable = Assert.Single(container.Env, e => e.Name == (login == "token" ? SlipwayClient.TokenVariable : SlipwayClient.PasswordVariable));
        Assert.NotNull(loginVariable.ValueFrom.SecretKeyRef);

        var args = RenderedPod.LocalArguments(container.Args);
        args[args.IndexOf("--control-plane") + 1] = _server.BaseAddress.ToString();
        var cache = Directory.CreateTempSubdirectory("slipway-serve-cache-").FullName;
        args[args.IndexOf("--model-cache") + 1] = cache;
        try
        {
            using var pod = SlipwayProcess.Start(args, RenderedPod.Environment(container, secrets));
            using var http = new HttpClient { BaseAddress = await pod.WaitForAddressAsync() };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            await WaitForReadyAsync(http, container.ReadinessProbe.HttpGet.Path, pod);

            using var golden = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(ModelFolder, "golden.json")));
            var request = golden.RootElement.GetProperty("oip_v2").GetProperty("request").GetRawText();
            using var answer = await http.PostAsync($"/v2/models/{Endpoint}/infer", new StringContent(request, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.DoesNotContain(_token, pod.Output);
            Assert.DoesNotContain(AdminPassword, pod.Output);
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    private async Task<V1Container> RenderWithCliAsync(string login)
    {
        string[] loginOption = login == "token" ? ["--token-secret", "serving-token"] : ["--credentials-secret", "serving-login"];
        using var rendered = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(
            ["deploy", "kubernetes", "--endpoint", Endpoint, .. loginOption, "--tracking-uri", _server.BaseAddress.ToString(), "--token", _token],
            rendered, error);
        Assert.True(exit == CliApp.Success, error.ToString());
        return Assert.Single(Manifests.Parse(rendered.ToString()).Deployment(ServingManifestBuilder.ObjectName(Endpoint)).Spec.Template.Spec.Containers);
    }

    private static async Task<V1Container> RenderWithHelmAsync(string login)
    {
        var loginValue = login == "token" ? "serving.tokenSecret.name=serving-token" : "serving.credentialsSecret=serving-login";
        var result = await Support.Helm.RunAsync(["template", "slipway", RepositoryPaths.Chart, "--set", $"endpoints[0].name={Endpoint},{loginValue}"]);
        Assert.True(result.ExitCode == 0, result.Error);
        return Assert.Single(Manifests.Parse(result.Output).Deployment($"slipway-serve-{Endpoint}").Spec.Template.Spec.Containers);
    }

    private static async Task WaitForReadyAsync(HttpClient http, string path, SlipwayProcess pod)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (true)
            {
                using var response = await http.GetAsync(path, timeout.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
                await Task.Delay(100, timeout.Token);
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{path} never answered 200; the pod's output:\n{pod.Output}");
        }
    }
}
