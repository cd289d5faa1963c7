using k8s;
using k8s.Models;
using Slipway.Cli.Deploy;

namespace Slipway.Deploy.Tests.Support;

/// <summary>Rendered manifests parsed into the Kubernetes client's typed objects (strict: an unknown field fails the parse).</summary>
internal sealed class Manifests
{
    private static readonly Dictionary<string, Type> CustomTypes = new(StringComparer.Ordinal)
    {
        [$"{ServiceMonitor.KubeApiVersion}/{ServiceMonitor.KubeKind}"] = typeof(ServiceMonitor),
    };

    private Manifests(IReadOnlyList<object> objects) => Objects = objects;

    public IReadOnlyList<object> Objects { get; }

    public IEnumerable<V1Deployment> Deployments => Objects.OfType<V1Deployment>();

    public IEnumerable<V1Service> Services => Objects.OfType<V1Service>();

    public IEnumerable<V2HorizontalPodAutoscaler> Autoscalers => Objects.OfType<V2HorizontalPodAutoscaler>();

    public IEnumerable<ServiceMonitor> ServiceMonitors => Objects.OfType<ServiceMonitor>();

    public IEnumerable<V1ConfigMap> ConfigMaps => Objects.OfType<V1ConfigMap>();

    public static Manifests Parse(string yaml)
    {
        var objects = KubernetesYaml.LoadAllFromString(yaml, CustomTypes, strict: true);
        Assert.NotEmpty(objects);
        return new Manifests(objects.ToList());
    }

    public V1Deployment Deployment(string name) =>
        Assert.Single(Deployments, d => d.Metadata.Name == name);

    public V1Service Service(string name) =>
        Assert.Single(Services, s => s.Metadata.Name == name);

    public V2HorizontalPodAutoscaler Autoscaler(string name) =>
        Assert.Single(Autoscalers, h => h.Metadata.Name == name);
}
