using k8s;
using k8s.Models;
using Slipway.Cli;
using Slipway.Cli.Deploy;
using Slipway.Client;
using Slipway.Deploy.Tests.Support;
using Slipway.Serving.DataPlane;
using Slipway.Testing;

namespace Slipway.Deploy.Tests.Cli;

/// <summary>
/// <c>slipway deploy kubernetes</c> run in-process against a real server holding an endpoint with two weighted routes
/// and a shadow, created through the SDK; the YAML it prints is parsed strictly and checked like the chart's.
/// </summary>
public sealed class DeployKubernetesCommandTests : IAsyncLifetime
{
    private const string Endpoint = "fraud_v2";
    private const string ObjectName = "slipway-serve-fraud-v2";
    private static readonly string[] Models = ["models:/fraud@champion", "models:/fraud/2", "models:/fraud/3"];

    private SlipwayTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await SlipwayTestServer.StartAsync();
        using var client = new SlipwayClient(_server.BaseAddress);
        await client.CreateEndpointAsync(new EndpointSpec
        {
            Name = Endpoint,
            Routes = [new EndpointRoute("main", Models[0], 90), new EndpointRoute("canary", Models[1], 10)],
            Shadow = new EndpointRoute("shadow", Models[2]),
        });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task DeployKubernetes_FollowedEndpoint_PrintsServeDeploymentServiceAndAutoscaler()
    {
        var (exit, output, error) = await RunAsync(
            "deploy", "kubernetes", "--endpoint", Endpoint, "--namespace", "ml", "--image", "registry.example/slipway:1.4",
            "--min-replicas", "2", "--max-replicas", "8", "--cpu-target", "65", "--control-plane", "http://slipway.ml:5000",
            "--inference-log-dir", "s3://ml-artifacts/slipway", "--env-from-secret", "object-store");

        Assert.True(exit == CliApp.Success, error);
        var manifests = Manifests.Parse(output);
        Assert.Equal(3, manifests.Objects.Count);
        Assert.All(manifests.Objects.Cast<IKubernetesObject<V1ObjectMeta>>(), o => Assert.Equal("ml", o.Metadata.NamespaceProperty));

        var deployment = manifests.Deployment(ObjectName);
        ManifestAssertions.AssertWorkload(deployment, expectedHttpPort: ServingDeploymentOptions.HttpPort);
        ManifestAssertions.AssertNoLiteralSecrets(deployment);
        // The autoscaler owns the replica count; a count here would undo its scaling on every kubectl apply.
        Assert.Null(deployment.Spec.Replicas);
        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        Assert.Equal("registry.example/slipway:1.4", container.Image);
        Assert.Null(container.ImagePullPolicy); // Kubernetes' default: Always for :latest, else IfNotPresent
        Assert.Equal(
            ["serve", "--control-plane", "http://slipway.ml:5000", "--endpoint", Endpoint, "--host", "0.0.0.0", "--port", "8080", "--grpc-port", "8081",
             "--model-cache", "/data/model-cache", "--poll-interval", "2s", "--inference-log-dir", "s3://ml-artifacts/slipway"],
            container.Args);
        Assert.Equal("object-store", Assert.Single(container.EnvFrom).SecretRef.Name);
        // The pods follow the live spec; the annotation records what it was when rendered.
        Assert.Equal($"main={Models[0]}:90,canary={Models[1]}:10,shadow={Models[2]}:shadow", deployment.Metadata.Annotations[ServingManifestBuilder.RoutesAnnotation]);

        ManifestAssertions.AssertServiceReaches(manifests.Service(ObjectName), deployment, ("http", 8080), ("grpc", 8081));
        ManifestAssertions.AssertAutoscales(manifests.Autoscaler(ObjectName), deployment, min: 2, max: 8, cpuTarget: 65);
        Assert.Empty(manifests.ServiceMonitors);
        Assert.Empty(manifests.ConfigMaps);
    }

    [Fact]
    public async Task DeployKubernetes_PinnedSpecWithServiceMonitorToFile_WritesASpecThatServeAccepts()
    {
        var folder = Directory.CreateTempSubdirectory("slipway-deploy-").FullName;
        try
        {
            var file = Path.Combine(folder, "fraud.yaml");
            var (exit, output, error) = await RunAsync("deploy", "kubernetes", "--endpoint", Endpoint, "--pin-spec", "--service-monitor", "--credentials-secret", "serving-login", "--out", file);

            Assert.True(exit == CliApp.Success, error);
            Assert.Contains($"kubectl apply -f {file}", output);
            var manifests = Manifests.Parse(await File.ReadAllTextAsync(file));
            var deployment = manifests.Deployment(ObjectName);
            ManifestAssertions.AssertWorkload(deployment, expectedHttpPort: ServingDeploymentOptions.HttpPort);
            Assert.Null(deployment.Spec.Replicas); // the autoscaler (min 2) sets it
            ManifestAssertions.AssertNoLiteralSecrets(deployment);
            var login = Assert.Single(deployment.Spec.Template.Spec.Containers).Env.Where(e => e.ValueFrom?.SecretKeyRef is not null).ToList();
            Assert.Equal([("serving-login", "MLFLOW_TRACKING_USERNAME"), ("serving-login", "MLFLOW_TRACKING_PASSWORD")],
                login.Select(e => (e.ValueFrom.SecretKeyRef.Name, e.ValueFrom.SecretKeyRef.Key)));
            ManifestAssertions.AssertAutoscales(manifests.Autoscaler(ObjectName), deployment, min: 2, max: 10, cpuTarget: 70);

            // The spec is pinned in a ConfigMap that the container reads with --file, with every model of the endpoint.
            var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
            var fileArgument = container.Args[container.Args.IndexOf("--file") + 1];
            var configMap = Assert.Single(manifests.ConfigMaps);
            var volume = Assert.Single(deployment.Spec.Template.Spec.Volumes, v => v.ConfigMap?.Name == configMap.Metadata.Name);
            var mount = Assert.Single(container.VolumeMounts, m => m.Name == volume.Name);
            Assert.Equal(fileArgument, $"{mount.MountPath}/{Assert.Single(configMap.Data.Keys)}");
            Assert.False(string.IsNullOrEmpty(deployment.Spec.Template.Metadata.Annotations[ServingManifestBuilder.SpecChecksumAnnotation]));

            // The pinned file is read by the same reader `slipway serve --file` uses, with the control plane for models:/.
            var pinnedPath = Path.Combine(folder, ServingManifestBuilder.SpecFileName);
            await File.WriteAllTextAsync(pinnedPath, configMap.Data[ServingManifestBuilder.SpecFileName]);
            using var client = new SlipwayClient(_server.BaseAddress);
            var spec = Assert.Single(EndpointFile.Parse(configMap.Data[ServingManifestBuilder.SpecFileName], pinnedPath,
                new FileModelSource(folder, new RemoteModelSource(client, Path.Combine(folder, "cache")))));
            Assert.Equal(Endpoint, spec.Name);
            Assert.Equal([Models[0], Models[1]], spec.Routes.Select(r => r.Model));
            Assert.Equal([90, 10], spec.Routes.Select(r => r.Weight));
            Assert.Equal(Models[2], spec.Shadow?.Model);

            var monitor = Assert.Single(manifests.ServiceMonitors);
            var service = manifests.Service(ObjectName);
            Assert.Equal("slipway", service.Metadata.Labels[monitor.Spec.JobLabel!]); // job="slipway", as the alert rules expect
            Assert.All(monitor.Spec.Selector.MatchLabels, kv => Assert.Equal(kv.Value, service.Metadata.Labels[kv.Key]));
            Assert.Equal(("http", "/metrics"), (monitor.Spec.Endpoints[0].Port, monitor.Spec.Endpoints[0].Path));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("serving-token", "serving-token", "token")]
    [InlineData("fraud.tokens:slw_secret", "fraud.tokens", "slw_secret")]
    public async Task DeployKubernetes_TokenSecret_PodsReadTheTokenFromTheSecretKey(string option, string secret, string key)
    {
        var (exit, output, error) = await RunAsync("deploy", "kubernetes", "--endpoint", Endpoint, "--token-secret", option);

        Assert.True(exit == CliApp.Success, error);
        var deployment = Manifests.Parse(output).Deployment(ObjectName);
        ManifestAssertions.AssertNoLiteralSecrets(deployment);
        var token = Assert.Single(Assert.Single(deployment.Spec.Template.Spec.Containers).Env, e => e.Name == SlipwayClient.TokenVariable);
        Assert.Equal((secret, key), (token.ValueFrom.SecretKeyRef.Name, token.ValueFrom.SecretKeyRef.Key));
        // Only what was asked for: no user name or password variables without --credentials-secret.
        Assert.DoesNotContain(deployment.Spec.Template.Spec.Containers[0].Env, e => e.Name is SlipwayClient.UserNameVariable or SlipwayClient.PasswordVariable);
    }

    [Fact]
    public async Task DeployKubernetes_NoTokenSecret_PodsGetNoTokenVariable()
    {
        var (exit, output, error) = await RunAsync("deploy", "kubernetes", "--endpoint", Endpoint);

        Assert.True(exit == CliApp.Success, error);
        Assert.DoesNotContain(Assert.Single(Manifests.Parse(output).Deployment(ObjectName).Spec.Template.Spec.Containers).Env,
            e => e.Name == SlipwayClient.TokenVariable);
    }

    [Fact]
    public async Task DeployKubernetes_UnknownEndpoint_FailsWithTheServerReason()
    {
        var (exit, output, error) = await RunAsync("deploy", "kubernetes", "--endpoint", "no-such-endpoint");

        Assert.Equal(CliApp.Failure, exit);
        Assert.Equal("", output);
        Assert.Contains("RESOURCE_DOES_NOT_EXIST", error);
        Assert.Contains("no-such-endpoint", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Theory]
    [InlineData("--min-replicas", "5", "--max-replicas", "2", "--max-replicas (2) must not be less than --min-replicas (5)")]
    [InlineData("--cpu-target", "150", "--min-replicas", "2", "--cpu-target must be a percentage from 1 to 100 (got 150)")]
    [InlineData("--min-replicas", "0", "--max-replicas", "10", "--min-replicas must be at least 1 (got 0)")]
    [InlineData("--memory-limit", "lots", "--namespace", "ml", "--memory-limit must be a Kubernetes quantity")]
    [InlineData("--namespace", "ML_Prod", "--min-replicas", "2", "--namespace must be a DNS label")]
    [InlineData("--credentials-secret", "my secret", "--min-replicas", "2", "--credentials-secret must be a Secret name")]
    [InlineData("--env-from-secret", "Keys!", "--min-replicas", "2", "--env-from-secret must be a Secret name")]
    [InlineData("--token-secret", "Serving_Token", "--min-replicas", "2", "--token-secret must be NAME or NAME:KEY")]
    [InlineData("--token-secret", "serving-token:a key", "--min-replicas", "2", "--token-secret must be NAME or NAME:KEY")]
    [InlineData("--token-secret", "serving-token:", "--min-replicas", "2", "--token-secret must be NAME or NAME:KEY")]
    public async Task DeployKubernetes_BadOptions_UsageErrorWithoutAskingTheServer(string flag, string value, string otherFlag, string otherValue, string message)
    {
        // An unreachable server: had the command asked it, the error would be "cannot reach", with exit code 1.
        var (exit, output, error) = await RunAsync("deploy", "kubernetes", "--endpoint", Endpoint, "--tracking-uri", "http://127.0.0.1:1", flag, value, otherFlag, otherValue);

        Assert.Equal(CliApp.UsageError, exit);
        Assert.Equal("", output);
        Assert.Contains(message, error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task DeployKubernetes_NotANumberOrNoEndpoint_UsageError()
    {
        var (badNumber, _, numberError) = await RunAsync("deploy", "kubernetes", "--endpoint", Endpoint, "--max-replicas", "many");
        var (noEndpoint, _, endpointError) = await RunAsync("deploy", "kubernetes");

        Assert.Equal(CliApp.UsageError, badNumber);
        Assert.Contains("many", numberError);
        Assert.Equal(CliApp.UsageError, noEndpoint);
        Assert.Contains("--endpoint", endpointError);
    }

    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var withServer = args.Contains("--tracking-uri") || args.Length < 3 ? args : [.. args, "--tracking-uri", _server.BaseAddress.ToString()];
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(withServer, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
