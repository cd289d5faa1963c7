using k8s.Models;
using Slipway.Pipelines.Executors.Kubernetes;

namespace Slipway.Cli.Deploy;

/// <summary>The objects around the Deployment: Service, HorizontalPodAutoscaler, pinned-spec ConfigMap, ServiceMonitor.</summary>
public sealed partial class ServingManifestBuilder
{
    private const string NameLabel = "app.kubernetes.io/name";

    /// <summary>The labels pods are selected by; they never change for an endpoint, so the Deployment's selector stays valid.</summary>
    public static Dictionary<string, string> SelectorLabels(string endpoint) => new(StringComparer.Ordinal)
    {
        [NameLabel] = "slipway",
        ["app.kubernetes.io/component"] = "serving",
        [EndpointLabel] = KubernetesNames.LabelValue(endpoint),
    };

    private V1ObjectMeta Metadata(string endpoint, Dictionary<string, string>? annotations = null)
    {
        var labels = SelectorLabels(endpoint);
        labels[KubernetesJobBuilder.ManagedByLabel] = "slipway";
        return new V1ObjectMeta
        {
            Name = ObjectName(endpoint),
            NamespaceProperty = _options.Namespace,
            Labels = labels,
            Annotations = annotations,
        };
    }

    private V1Service Service(string endpoint) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = Metadata(endpoint),
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            Selector = SelectorLabels(endpoint),
            Ports =
            [
                new V1ServicePort { Name = "http", Port = ServingDeploymentOptions.HttpPort, TargetPort = "http", Protocol = "TCP" },
                new V1ServicePort
                {
                    Name = "grpc",
                    Port = ServingDeploymentOptions.GrpcPort,
                    TargetPort = "grpc",
                    Protocol = "TCP",
                    AppProtocol = "kubernetes.io/h2c",
                },
            ],
        },
    };

    private V2HorizontalPodAutoscaler Autoscaler(string endpoint) => new()
    {
        ApiVersion = "autoscaling/v2",
        Kind = "HorizontalPodAutoscaler",
        Metadata = Metadata(endpoint),
        Spec = new V2HorizontalPodAutoscalerSpec
        {
            ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = ObjectName(endpoint) },
            MinReplicas = _options.MinReplicas,
            MaxReplicas = _options.MaxReplicas,
            Metrics =
            [
                new V2MetricSpec
                {
                    Type = "Resource",
                    Resource = new V2ResourceMetricSource
                    {
                        Name = "cpu",
                        Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = _options.CpuTarget },
                    },
                },
            ],
        },
    };

    private V1ConfigMap ConfigMap(string endpoint, string pinnedSpec) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = Metadata(endpoint),
        Data = new Dictionary<string, string>(StringComparer.Ordinal) { [SpecFileName] = pinnedSpec },
    };

    private ServiceMonitor Monitor(string endpoint) => new()
    {
        Metadata = Metadata(endpoint),
        Spec = new ServiceMonitorSpec
        {
            // job="slipway", as the alert rules under deploy/prometheus expect, rather than the Service's name.
            JobLabel = NameLabel,
            Selector = new V1LabelSelector { MatchLabels = SelectorLabels(endpoint) },
            NamespaceSelector = new ServiceMonitorNamespaceSelector { MatchNames = [_options.Namespace] },
            Endpoints = [new ServiceMonitorEndpoint { Port = "http", Path = "/metrics", Interval = "30s" }],
        },
    };
}
