using Slipway.Deploy.Tests.Support;

namespace Slipway.Deploy.Tests.Helm;

/// <summary>
/// The chart under deploy/helm/slipway, linted and rendered by the real helm, then parsed into Kubernetes objects:
/// with default values (control plane only) and with values that add endpoints, object-store secrets and a
/// ServiceMonitor.
/// </summary>
public sealed class HelmChartTests
{
    private const string EndpointsValues = "values-endpoints.yaml";

    [Fact]
    public async Task Lint_DefaultAndEndpointValues_PassesWithoutErrors()
    {
        var plain = await Support.Helm.RunAsync(["lint", RepositoryPaths.Chart, "--strict"]);
        Assert.True(plain.ExitCode == 0, plain.Output + plain.Error);
        var withEndpoints = await Support.Helm.RunAsync(["lint", RepositoryPaths.Chart, "--strict", "-f", RepositoryPaths.TestValues(EndpointsValues)]);
        Assert.True(withEndpoints.ExitCode == 0, withEndpoints.Output + withEndpoints.Error);
        Assert.Contains("0 chart(s) failed", withEndpoints.Output);
    }

    [Fact]
    public async Task Template_DefaultValues_OneControlPlaneReplicaOnSqliteWithProbes()
    {
        var manifests = Manifests.Parse(await Support.Helm.TemplateAsync("slipway"));

        var deployment = Assert.Single(manifests.Deployments);
        Assert.Equal("slipway", deployment.Metadata.Name);
        // One replica on SQLite under /data renders without any Secret; several need PostgreSQL and object storage.
        Assert.Equal(1, deployment.Spec.Replicas);
        ManifestAssertions.AssertWorkload(deployment, expectedHttpPort: 5000);
        ManifestAssertions.AssertNoLiteralSecrets(deployment);
        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        // The empty image.tag takes the chart's appVersion; no pull policy leaves Kubernetes' (Always for :latest).
        Assert.Equal("ghcr.io/slipway/slipway:" + ChartAppVersion(), container.Image);
        Assert.Null(container.ImagePullPolicy);
        Assert.Equal(["server", "--host", "0.0.0.0", "--port", "5000", "--grpc-port", "5001"], container.Args);
        Assert.DoesNotContain(container.Env, e => e.Name == "SLIPWAY_BACKEND_STORE_URI");

        ManifestAssertions.AssertServiceReaches(manifests.Service("slipway"), deployment, ("http", 5000), ("grpc", 5001));
        // Several replicas and a UI whose interactive pages stay connected to one replica: the Service keeps clients on one.
        Assert.Equal("ClientIP", manifests.Service("slipway").Spec.SessionAffinity);
        Assert.Single(manifests.Objects.OfType<k8s.Models.V1ServiceAccount>(), a => a.Metadata.Name == deployment.Spec.Template.Spec.ServiceAccountName);
        Assert.Empty(manifests.Autoscalers);
        Assert.Empty(manifests.ServiceMonitors);
    }

    [Fact]
    public async Task Template_EndpointValues_ServingDeploymentServiceAndAutoscalerPerEndpoint()
    {
        var manifests = Manifests.Parse(await Support.Helm.TemplateAsync("rel", RepositoryPaths.TestValues(EndpointsValues)));

        Assert.Equal(3, manifests.Deployments.Count());
        foreach (var deployment in manifests.Deployments)
            ManifestAssertions.AssertNoLiteralSecrets(deployment);

        var controlPlane = manifests.Deployment("rel-slipway");
        Assert.Equal(3, controlPlane.Spec.Replicas);
        ManifestAssertions.AssertWorkload(controlPlane, expectedHttpPort: 5000);
        var env = Assert.Single(controlPlane.Spec.Template.Spec.Containers).Env.ToDictionary(e => e.Name);
        Assert.Equal(("pg-uri", "connection"), (env["SLIPWAY_BACKEND_STORE_URI"].ValueFrom.SecretKeyRef.Name, env["SLIPWAY_BACKEND_STORE_URI"].ValueFrom.SecretKeyRef.Key));
        Assert.Equal("s3://ml-artifacts/slipway", env["SLIPWAY_ARTIFACTS_DESTINATION"].Value);
        Assert.Equal("s3-keys", env["AWS_SECRET_ACCESS_KEY"].ValueFrom.SecretKeyRef.Name);
        Assert.Equal("s3-keys", env["AWS_ACCESS_KEY_ID"].ValueFrom.SecretKeyRef.Name);
        Assert.Equal("http://minio:9000", env["Slipway__Artifacts__S3__ServiceUrl"].Value);
        Assert.Equal("true", env["Slipway__Artifacts__S3__ForcePathStyle"].Value);
        Assert.Equal("azure-blob", env["AZURE_STORAGE_CONNECTION_STRING"].ValueFrom.SecretKeyRef.Name);

        // fraud follows the control plane's spec, with its own resources and autoscaling bounds.
        var fraud = manifests.Deployment("rel-slipway-serve-fraud");
        ManifestAssertions.AssertWorkload(fraud, expectedHttpPort: 8080);
        var fraudContainer = Assert.Single(fraud.Spec.Template.Spec.Containers);
        Assert.Equal("serve", fraudContainer.Args[0]);
        Assert.Equal("http://rel-slipway:5000", ArgumentAfter(fraudContainer.Args, "--control-plane"));
        Assert.Equal("fraud", ArgumentAfter(fraudContainer.Args, "--endpoint"));
        Assert.DoesNotContain("--file", fraudContainer.Args);
        Assert.Equal("1Gi", fraudContainer.Resources.Requests["memory"].ToString());
        // The autoscaler owns the replica count: a count in the Deployment would undo its scaling on every upgrade.
        Assert.All(manifests.Deployments.Where(d => d != controlPlane), d => Assert.Null(d.Spec.Replicas));
        Assert.Equal("serving-login", Assert.Single(fraudContainer.Env, e => e.Name == "MLFLOW_TRACKING_PASSWORD").ValueFrom.SecretKeyRef.Name);
        // The inference log goes to the control plane's artifact store, with the same settings and Secrets.
        Assert.Equal("s3://ml-artifacts/slipway", ArgumentAfter(fraudContainer.Args, "--inference-log-dir"));
        Assert.Equal("s3-keys", Assert.Single(fraudContainer.Env, e => e.Name == "AWS_SECRET_ACCESS_KEY").ValueFrom.SecretKeyRef.Name);
        ManifestAssertions.AssertServiceReaches(manifests.Service("rel-slipway-serve-fraud"), fraud, ("http", 8080), ("grpc", 8081));
        ManifestAssertions.AssertAutoscales(manifests.Autoscaler("rel-slipway-serve-fraud"), fraud, min: 2, max: 10, cpuTarget: 60);

        // churn_v2 pins its model in a ConfigMap mounted where --file points, and takes the serving defaults.
        var churn = manifests.Deployment("rel-slipway-serve-churn-v2");
        ManifestAssertions.AssertWorkload(churn, expectedHttpPort: 8080);
        var churnContainer = Assert.Single(churn.Spec.Template.Spec.Containers);
        Assert.Equal("churn_v2", ArgumentAfter(churnContainer.Args, "--endpoint"));
        Assert.Equal("/etc/slipway/endpoints.json", ArgumentAfter(churnContainer.Args, "--file"));
        var spec = Assert.Single(manifests.ConfigMaps, c => c.Metadata.Name == "rel-slipway-serve-churn-v2");
        Assert.Contains("\"model\":\"models:/churn@champion\"", spec.Data["endpoints.json"]);
        Assert.Contains(churn.Spec.Template.Spec.Volumes, v => v.ConfigMap?.Name == spec.Metadata.Name);
        ManifestAssertions.AssertServiceReaches(manifests.Service("rel-slipway-serve-churn-v2"), churn, ("http", 8080), ("grpc", 8081));
        ManifestAssertions.AssertAutoscales(manifests.Autoscaler("rel-slipway-serve-churn-v2"), churn, min: 1, max: 5, cpuTarget: 70);

        // The serving Services must not also catch the control plane's pods, nor the other endpoint's.
        Assert.DoesNotContain(manifests.Services, s => s.Metadata.Name != "rel-slipway"
            && s.Spec.Selector.All(kv => controlPlane.Spec.Template.Metadata.Labels.TryGetValue(kv.Key, out var v) && v == kv.Value));
    }

    [Fact]
    public async Task Template_ServiceMonitorEnabled_ScrapesMetricsOfEveryService()
    {
        var manifests = Manifests.Parse(await Support.Helm.TemplateAsync("rel", RepositoryPaths.TestValues(EndpointsValues)));

        var monitor = Assert.Single(manifests.ServiceMonitors);
        Assert.Equal("kube-prometheus-stack", monitor.Metadata.Labels["release"]);
        var scrape = Assert.Single(monitor.Spec.Endpoints);
        // The series get job="slipway", which the alert rules under deploy/prometheus select.
        Assert.Equal("app.kubernetes.io/name", monitor.Spec.JobLabel);
        Assert.All(manifests.Services, s => Assert.Equal("slipway", s.Metadata.Labels[monitor.Spec.JobLabel]));
        Assert.Equal(("http", "/metrics"), (scrape.Port, scrape.Path));
        Assert.Equal(3, manifests.Services.Count());
        foreach (var service in manifests.Services)
        {
            Assert.All(monitor.Spec.Selector.MatchLabels, kv => Assert.Equal(kv.Value, service.Metadata.Labels[kv.Key]));
            Assert.Contains(service.Spec.Ports, p => p.Name == scrape.Port);
        }
    }

    [Theory]
    [InlineData("controlPlane.replicas=2", "controlPlane.replicas > 1 needs PostgreSQL")]
    [InlineData("endpoints[0].name=fraud,endpoints[0].hpa.min=6,endpoints[0].hpa.max=3", "endpoint fraud: hpa.min (6) must not exceed hpa.max (3)")]
    [InlineData("endpoints[0].replicas=2", "every entry of endpoints needs a name")]
    [InlineData("endpoints[0].name=fraud,endpoints[0].replicas=2", "endpoint fraud: replicas is not a setting, the endpoint's HorizontalPodAutoscaler owns the count")]
    [InlineData("controlPlane.replicas=2,controlPlane.backendStore.existingSecret=pg", "controlPlane.replicas > 1 needs controlPlane.artifacts.destination")]
    [InlineData("endpoints[0].name=fraud,serving.inferenceLog=true", "serving.inferenceLog needs controlPlane.artifacts.destination")]
    public async Task Template_InconsistentValues_FailsWithReason(string values, string reason)
    {
        var result = await Support.Helm.RunAsync(["template", "slipway", RepositoryPaths.Chart, "--set", values]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(reason, result.Error);
    }

    private static string ChartAppVersion() =>
        File.ReadLines(Path.Combine(RepositoryPaths.Chart, "Chart.yaml"))
            .Single(line => line.StartsWith("appVersion:", StringComparison.Ordinal))["appVersion:".Length..].Trim().Trim('"');

    private static string ArgumentAfter(IList<string> args, string flag)
    {
        var index = args.IndexOf(flag);
        Assert.True(index >= 0 && index + 1 < args.Count, $"{flag} missing from [{string.Join(' ', args)}]");
        return args[index + 1];
    }
}
