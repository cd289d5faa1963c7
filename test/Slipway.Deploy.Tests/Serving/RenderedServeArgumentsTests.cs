using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using k8s.Models;
using Slipway.Cli;
using Slipway.Cli.Deploy;
using Slipway.Client;
using Slipway.Deploy.Tests.Support;
using Slipway.Testing;

namespace Slipway.Deploy.Tests.Serving;

/// <summary>
/// The serving container that <c>slipway deploy kubernetes</c> and the Helm chart render, run for real: its arguments are handed to
/// <c>slipway</c> in-process with only the machine-specific values replaced (control plane URL, listen address and
/// ports, model cache, the mounted spec's path), and the pod's probe and scrape paths must answer while the endpoint's
/// registered model serves an inference. What cannot be run here is the container itself (no Docker, no cluster).
/// </summary>
public sealed partial class RenderedServeArgumentsTests : IAsyncLifetime
{
    private const string Endpoint = "cancer-ep";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly string ModelFolder = Path.Combine(AppContext.BaseDirectory, "TestData", "logreg_breast_cancer");

    // Values that only make sense inside the cluster, and what they become on this machine; any other flag passes unchanged.
    private static readonly HashSet<string> MachineFlags = ["--control-plane", "--host", "--port", "--grpc-port", "--model-cache", "--file"];

    private SlipwayTestServer _server = null!;
    private string _folder = null!;

    public async Task InitializeAsync()
    {
        _server = await SlipwayTestServer.StartAsync();
        _folder = Directory.CreateTempSubdirectory("slipway-rendered-serve-").FullName;
        using var client = new SlipwayClient(_server.BaseAddress);
        var run = await client.CreateRunAsync("0", "train-cancer");
        await client.UploadArtifactsAsync(run.Info, Path.Combine(ModelFolder, "mlflow_model"), "model");
        await client.CreateRegisteredModelAsync("cancer");
        var version = await client.CreateModelVersionAsync("cancer", $"{run.Info.ArtifactUri}/model", run.Info.RunId);
        await client.SetModelAliasAsync("cancer", "champion", version.Version);
        await client.CreateEndpointAsync(new EndpointSpec { Name = Endpoint, Routes = [new EndpointRoute("main", "models:/cancer@champion")] });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData("cli", false)]
    [InlineData("cli", true)]
    [InlineData("helm", false)]
    [InlineData("helm", true)]
    public async Task RenderedServeContainer_RunWithLocalAddresses_AnswersProbesMetricsAndInference(string renderer, bool pinSpec)
    {
        var (container, pinned) = renderer == "cli" ? await RenderWithCliAsync(pinSpec) : await RenderWithHelmAsync(pinSpec);
        Assert.Equal(pinSpec, pinned is not null);

        var args = Localize(container.Args, pinned);
        using var output = new SynchronizedWriter();
        using var stop = new CancellationTokenSource();
        var serve = Task.Run(() => CliApp.RunAsync([.. args], output, output, stop.Token));
        try
        {
            using var http = new HttpClient { BaseAddress = await WaitForAddressAsync(output, serve) };
            await WaitForStatusAsync(http, container.ReadinessProbe.HttpGet.Path, HttpStatusCode.OK);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(container.LivenessProbe.HttpGet.Path)).StatusCode);
            var metrics = await http.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
            Assert.Contains("# TYPE", await metrics.Content.ReadAsStringAsync());

            using var golden = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(ModelFolder, "golden.json")));
            var request = golden.RootElement.GetProperty("oip_v2").GetProperty("request").GetRawText();
            using var answer = await http.PostAsync($"/v2/models/{Endpoint}/infer", new StringContent(request, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            using var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            Assert.Equal(Endpoint, body.RootElement.GetProperty("model_name").GetString());
        }
        finally
        {
            await stop.CancelAsync();
        }
        Assert.Equal(CliApp.Success, await serve.WaitAsync(Deadline));
    }

    private async Task<(V1Container Container, string? PinnedSpec)> RenderWithCliAsync(bool pinSpec)
    {
        var render = new List<string> { "deploy", "kubernetes", "--endpoint", Endpoint, "--tracking-uri", _server.BaseAddress.ToString() };
        if (pinSpec)
            render.Add("--pin-spec");
        using var rendered = new StringWriter();
        Assert.Equal(CliApp.Success, await CliApp.RunAsync([.. render], rendered, TextWriter.Null));
        var manifests = Manifests.Parse(rendered.ToString());
        var deployment = manifests.Deployment(ServingManifestBuilder.ObjectName(Endpoint));
        return (Assert.Single(deployment.Spec.Template.Spec.Containers), manifests.ConfigMaps.SingleOrDefault()?.Data[ServingManifestBuilder.SpecFileName]);
    }

    private static async Task<(V1Container Container, string? PinnedSpec)> RenderWithHelmAsync(bool pinSpec)
    {
        // The chart's default turns auth on, which needs a login for the pods; this control plane runs without auth and
        // ignores it (RenderedAuthTests runs them against one with auth on).
        var values = $"endpoints[0].name={Endpoint},serving.tokenSecret.name=serving-token" + (pinSpec ? ",endpoints[0].model=models:/cancer@champion" : "");
        var result = await Support.Helm.RunAsync(["template", "slipway", RepositoryPaths.Chart, "--set", values]);
        Assert.True(result.ExitCode == 0, result.Error);
        var manifests = Manifests.Parse(result.Output);
        var deployment = manifests.Deployment($"slipway-serve-{Endpoint}");
        return (Assert.Single(deployment.Spec.Template.Spec.Containers), manifests.ConfigMaps.SingleOrDefault()?.Data[ServingManifestBuilder.SpecFileName]);
    }

    /// <summary>The rendered arguments with the in-cluster values replaced; the flags replaced are checked, so none is dropped silently.</summary>
    private List<string> Localize(IList<string> rendered, string? pinnedSpec)
    {
        var local = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["--control-plane"] = _server.BaseAddress.ToString(),
            ["--host"] = "127.0.0.1",
            ["--port"] = "0",
            ["--grpc-port"] = "0",
            ["--model-cache"] = Path.Combine(_folder, "model-cache"),
        };
        if (pinnedSpec is not null)
        {
            local["--file"] = Path.Combine(_folder, ServingManifestBuilder.SpecFileName);
            File.WriteAllText(local["--file"], pinnedSpec);
        }
        Assert.Equal("serve", rendered[0]);
        var args = new List<string> { "serve" };
        for (var i = 1; i < rendered.Count; i += 2)
        {
            var flag = rendered[i];
            Assert.StartsWith("--", flag);
            args.Add(flag);
            args.Add(MachineFlags.Contains(flag) ? local[flag] : rendered[i + 1]);
        }
        Assert.Equal(local.Keys.Order(), args.Where(MachineFlags.Contains).Order());
        return args;
    }

    private static async Task<Uri> WaitForAddressAsync(SynchronizedWriter output, Task<int> serve)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        while (ListeningPattern().Match(output.Text) is not { Success: true } match)
        {
            Assert.False(serve.IsCompleted, "slipway serve stopped: " + output.Text);
            await Task.Delay(50, timeout.Token);
        }
        return new Uri(ListeningPattern().Match(output.Text).Groups[1].Value);
    }

    private static async Task WaitForStatusAsync(HttpClient http, string path, HttpStatusCode expected)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        HttpResponseMessage response;
        while ((response = await http.GetAsync(path, timeout.Token)).StatusCode != expected)
        {
            response.Dispose();
            await Task.Delay(100, timeout.Token);
        }
        response.Dispose();
    }

    [GeneratedRegex(@"listening on (http://[^\s]+)")]
    private static partial Regex ListeningPattern();

    /// <summary>A writer the serving host and the test can share across threads.</summary>
    private sealed class SynchronizedWriter : StringWriter
    {
        private readonly Lock _gate = new();

        public string Text
        {
            get
            {
                lock (_gate)
                    return ToString();
            }
        }

        public override void Write(char value)
        {
            lock (_gate)
                base.Write(value);
        }

        public override void Write(string? value)
        {
            lock (_gate)
                base.Write(value);
        }

        public override void WriteLine(string? value)
        {
            lock (_gate)
                base.WriteLine(value);
        }
    }
}
