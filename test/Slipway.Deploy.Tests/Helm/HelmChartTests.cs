using Slipway.Client;
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
    public async Task Template_DefaultValues_AuthOnWithTheAdminPasswordFromASecret()
    {
        var manifests = Manifests.Parse(await Support.Helm.TemplateAsync("slipway"));

        var container = Assert.Single(Assert.Single(manifests.Deployments).Spec.Template.Spec.Containers);
        Assert.Contains("--auth", container.Args);
        Assert.DoesNotContain("--insecure-no-auth", container.Args);
        var password = Assert.Single(container.Env, e => e.Name == "SLIPWAY_ADMIN_PASSWORD");
        Assert.Null(password.Value);
        Assert.Equal(("slipway-admin", "password"), (password.ValueFrom.SecretKeyRef.Name, password.ValueFrom.SecretKeyRef.Key));
        Assert.Equal("READ", Assert.Single(container.Env, e => e.Name == "Slipway__Auth__DefaultPermission").Value);
        // /metrics stays behind a sign-in, and one replica keeps its session keys under /data: no keys volume.
        Assert.DoesNotContain(container.Env, e => e.Name is "Slipway__Auth__AnonymousMetrics" or "Slipway__Auth__KeysDirectory");
        Assert.DoesNotContain(container.VolumeMounts, m => m.Name == "keys");
    }

    [Fact]
    public async Task Template_InsecureNoAuth_PassesTheFlagAndNoAuthSettings()
    {
        var result = await Support.Helm.RunAsync(["template", "slipway", RepositoryPaths.Chart, "--set", "auth.enabled=false,auth.insecureNoAuth=true"]);

        Assert.True(result.ExitCode == 0, result.Error);
        var container = Assert.Single(Assert.Single(Manifests.Parse(result.Output).Deployments).Spec.Template.Spec.Containers);
        Assert.Equal(["server", "--host", "0.0.0.0", "--port", "5000", "--grpc-port", "5001", "--insecure-no-auth"], container.Args);
        Assert.DoesNotContain(container.Env, e => e.Name == "SLIPWAY_ADMIN_PASSWORD" || e.Name.StartsWith("Slipway__Auth__", StringComparison.Ordinal));
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
        Assert.Equal(["server", "--host", "0.0.0.0", "--port", "5000", "--grpc-port", "5001", "--auth"], container.Args);
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
        Assert.Equal(("admin-login", "initial-password"), (env["SLIPWAY_ADMIN_PASSWORD"].ValueFrom.SecretKeyRef.Name, env["SLIPWAY_ADMIN_PASSWORD"].ValueFrom.SecretKeyRef.Key));
        Assert.Equal("NO_PERMISSIONS", env["Slipway__Auth__DefaultPermission"].Value);
        Assert.Equal(("https://login.example.com/realms/ml", "slipway"), (env["Slipway__Auth__Oidc__Authority"].Value, env["Slipway__Auth__Oidc__Audience"].Value));
        // Three replicas accept each other's UI sessions: the keys folder is one shared claim, mounted where the setting points.
        var keys = Assert.Single(controlPlane.Spec.Template.Spec.Containers[0].VolumeMounts, m => m.MountPath == env["Slipway__Auth__KeysDirectory"].Value);
        Assert.Equal("slipway-keys", Assert.Single(controlPlane.Spec.Template.Spec.Volumes, v => v.Name == keys.Name).PersistentVolumeClaim.ClaimName);

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
        var token = Assert.Single(fraudContainer.Env, e => e.Name == SlipwayClient.TokenVariable).ValueFrom.SecretKeyRef;
        Assert.Equal(("serving-token", "token"), (token.Name, token.Key));
        // The serving pods get a login for the control plane, never its administrator's password or session keys.
        Assert.DoesNotContain(fraudContainer.Env, e => e.Name == "SLIPWAY_ADMIN_PASSWORD" || e.Name.StartsWith("Slipway__Auth__", StringComparison.Ordinal));
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
        // The control plane's /metrics needs a signed-in user: Prometheus sends the token from the Secret as Bearer.
        Assert.Equal("Bearer", scrape.Authorization?.Type);
        Assert.Equal(("prometheus-token", "slw"), (scrape.Authorization!.Credentials!.Name, scrape.Authorization.Credentials.Key));
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
    [InlineData("auth.adminPasswordSecret.name=", "auth.enabled=true needs auth.adminPasswordSecret.name")]
    [InlineData("auth.enabled=false", "auth.enabled=false needs auth.insecureNoAuth=true")]
    [InlineData("auth.insecureNoAuth=true", "auth.insecureNoAuth=true contradicts auth.enabled=true")]
    [InlineData("auth.defaultPermission=WRITE", "auth.defaultPermission must be READ, EDIT, MANAGE or NO_PERMISSIONS (got WRITE)")]
    [InlineData("auth.oidc.authority=https://login.example.com", "auth.oidc.authority needs auth.oidc.audience")]
    [InlineData("controlPlane.replicas=2,controlPlane.backendStore.existingSecret=pg,controlPlane.artifacts.destination=s3://b/p",
        "controlPlane.replicas > 1 with auth on needs auth.keysVolume.claimName")]
    [InlineData("serviceMonitor.enabled=true", "serviceMonitor.enabled with auth on needs serviceMonitor.bearerTokenSecret.name")]
    [InlineData("endpoints[0].name=fraud", "endpoints with auth on need serving.tokenSecret.name")]
    public async Task Template_InconsistentValues_FailsWithReason(string values, string reason)
    {
        var result = await Support.Helm.RunAsync(["template", "slipway", RepositoryPaths.Chart, "--set", values]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(reason, result.Error);
    }

    [Theory]
    [InlineData("auth.adminPasswordSecret.name=,auth.oidc.authority=https://login.example.com,auth.oidc.audience=slipway")]
    [InlineData("serviceMonitor.enabled=true,auth.anonymousMetrics=true")]
    [InlineData("auth.enabled=false,auth.insecureNoAuth=true,serviceMonitor.enabled=true,endpoints[0].name=fraud")]
    [InlineData("endpoints[0].name=fraud,serving.credentialsSecret=serving-login")]
    public async Task Template_AuthAlternatives_RenderWithoutTheOtherwiseRequiredSecret(string values)
    {
        var result = await Support.Helm.RunAsync(["template", "slipway", RepositoryPaths.Chart, "--set", values]);

        Assert.True(result.ExitCode == 0, result.Error);
        var manifests = Manifests.Parse(result.Output);
        Assert.All(manifests.Deployments, ManifestAssertions.AssertNoLiteralSecrets);
        // Whatever opens /metrics or signs users in, no scrape carries an authorization without a Secret behind it.
        Assert.All(manifests.ServiceMonitors.SelectMany(m => m.Spec.Endpoints), e => Assert.Null(e.Authorization));
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
