using k8s.Models;

namespace Slipway.Deploy.Tests.Support;

/// <summary>
/// The facts every Slipway workload must satisfy, whoever rendered it (the Helm chart or <c>slipway deploy
/// kubernetes</c>): probes on the health routes of the REST port, requests and limits, a non-root read-only
/// container, an image, Services that reach the pods, autoscalers aimed at a real Deployment.
/// </summary>
internal static class ManifestAssertions
{
    public static void AssertWorkload(V1Deployment deployment, int expectedHttpPort)
    {
        var name = deployment.Metadata.Name;
        var pod = deployment.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);
        Assert.False(string.IsNullOrWhiteSpace(container.Image), $"{name}: no image");

        var http = Assert.Single(container.Ports, p => p.Name == "http");
        Assert.Equal(expectedHttpPort, http.ContainerPort);
        AssertProbe(name, container.ReadinessProbe, "/health/ready", container);
        AssertProbe(name, container.LivenessProbe, "/health/live", container);

        foreach (var resource in new[] { "cpu", "memory" })
        {
            Assert.True(container.Resources?.Requests?.ContainsKey(resource) == true, $"{name}: no {resource} request");
            Assert.True(container.Resources?.Limits?.ContainsKey(resource) == true, $"{name}: no {resource} limit");
        }

        Assert.True(pod.SecurityContext?.RunAsNonRoot == true, $"{name}: pod not runAsNonRoot");
        Assert.NotEqual(0, pod.SecurityContext?.RunAsUser ?? 0);
        Assert.True(container.SecurityContext?.RunAsNonRoot == true, $"{name}: container not runAsNonRoot");
        Assert.True(container.SecurityContext?.ReadOnlyRootFilesystem == true, $"{name}: root filesystem writable");
        Assert.False(container.SecurityContext?.AllowPrivilegeEscalation ?? true, $"{name}: privilege escalation allowed");
        Assert.Equal(["ALL"], container.SecurityContext?.Capabilities?.Drop ?? []);

        // A read-only root needs a writable /tmp, and the mounts must name declared volumes.
        var tmp = Assert.Single(container.VolumeMounts, m => m.MountPath == "/tmp");
        Assert.Contains(pod.Volumes, v => v.Name == tmp.Name && v.EmptyDir is not null);
        foreach (var mount in container.VolumeMounts)
            Assert.Contains(pod.Volumes, v => v.Name == mount.Name);

        // The selector must match the template's labels, or the API server rejects the Deployment.
        foreach (var (key, value) in deployment.Spec.Selector.MatchLabels)
            Assert.Equal(value, deployment.Spec.Template.Metadata.Labels[key]);
    }

    /// <summary>No environment variable carries a database URI or a secret literally: they come from secretKeyRef.</summary>
    public static void AssertNoLiteralSecrets(V1Deployment deployment)
    {
        foreach (var variable in deployment.Spec.Template.Spec.Containers.SelectMany(c => c.Env ?? []))
        {
            Assert.False(variable.Value?.Contains("postgres", StringComparison.OrdinalIgnoreCase) == true, $"{variable.Name} holds a database URI literally");
            if (variable.Name is "SLIPWAY_BACKEND_STORE_URI" or "AWS_ACCESS_KEY_ID" or "AWS_SECRET_ACCESS_KEY" or "AZURE_STORAGE_CONNECTION_STRING"
                or "MLFLOW_TRACKING_PASSWORD" or "MLFLOW_TRACKING_TOKEN" or "SLIPWAY_ADMIN_PASSWORD")
            {
                Assert.Null(variable.Value);
                Assert.NotNull(variable.ValueFrom?.SecretKeyRef);
            }
        }
    }

    /// <summary>The Service selects exactly the Deployment's pods and forwards to ports the container declares.</summary>
    public static void AssertServiceReaches(V1Service service, V1Deployment deployment, params (string Name, int Port)[] ports)
    {
        var podLabels = deployment.Spec.Template.Metadata.Labels;
        Assert.NotEmpty(service.Spec.Selector);
        foreach (var (key, value) in service.Spec.Selector)
            Assert.True(podLabels.TryGetValue(key, out var actual) && actual == value, $"{service.Metadata.Name} selects {key}={value}, which {deployment.Metadata.Name}'s pods lack");
        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        foreach (var (portName, port) in ports)
        {
            var servicePort = Assert.Single(service.Spec.Ports, p => p.Name == portName);
            Assert.Equal(port, servicePort.Port);
            Assert.Contains(container.Ports, p => p.Name == servicePort.TargetPort.Value || p.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) == servicePort.TargetPort.Value);
        }
    }

    public static void AssertAutoscales(V2HorizontalPodAutoscaler autoscaler, V1Deployment deployment, int min, int max, int cpuTarget)
    {
        Assert.Equal("Deployment", autoscaler.Spec.ScaleTargetRef.Kind);
        Assert.Equal("apps/v1", autoscaler.Spec.ScaleTargetRef.ApiVersion);
        Assert.Equal(deployment.Metadata.Name, autoscaler.Spec.ScaleTargetRef.Name);
        Assert.Equal(min, autoscaler.Spec.MinReplicas);
        Assert.Equal(max, autoscaler.Spec.MaxReplicas);
        Assert.True(autoscaler.Spec.MinReplicas <= autoscaler.Spec.MaxReplicas);
        var metric = Assert.Single(autoscaler.Spec.Metrics);
        Assert.Equal("cpu", metric.Resource.Name);
        Assert.Equal(cpuTarget, metric.Resource.Target.AverageUtilization);
        // The HPA's CPU utilisation is relative to the request: without one it cannot compute anything.
        Assert.True(Assert.Single(deployment.Spec.Template.Spec.Containers).Resources.Requests.ContainsKey("cpu"));
    }

    private static void AssertProbe(string deployment, V1Probe? probe, string path, V1Container container)
    {
        Assert.True(probe?.HttpGet is not null, $"{deployment}: no HTTP probe for {path}");
        Assert.Equal(path, probe.HttpGet.Path);
        var port = probe.HttpGet.Port.Value;
        var http = Assert.Single(container.Ports, p => p.Name == "http");
        Assert.True(port == "http" || port == http.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"{deployment}: {path} probes port {port}, not the REST port");
    }
}
