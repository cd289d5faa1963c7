using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Slipway.Cli.Deploy;

/// <summary>
/// The part of the Prometheus Operator's <c>monitoring.coreos.com/v1</c> ServiceMonitor that Slipway writes: which
/// Services to scrape and on which port and path. The Kubernetes client has no model for this custom resource.
/// </summary>
public sealed class ServiceMonitor : IKubernetesObject<V1ObjectMeta>
{
    public const string KubeApiVersion = "monitoring.coreos.com/v1";
    public const string KubeKind = "ServiceMonitor";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = KubeApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public ServiceMonitorSpec Spec { get; set; } = new();
}

/// <summary>The Services a <see cref="ServiceMonitor"/> selects and how their pods are scraped.</summary>
public sealed class ServiceMonitorSpec
{
    /// <summary>The Service label whose value becomes the <c>job</c> label of the scraped series.</summary>
    [JsonPropertyName("jobLabel")]
    public string? JobLabel { get; set; }

    [JsonPropertyName("selector")]
    public V1LabelSelector Selector { get; set; } = new();

    /// <summary>The namespaces the selected Services live in; null for the ServiceMonitor's own.</summary>
    [JsonPropertyName("namespaceSelector")]
    public ServiceMonitorNamespaceSelector? NamespaceSelector { get; set; }

    [JsonPropertyName("endpoints")]
    public IList<ServiceMonitorEndpoint> Endpoints { get; set; } = [];
}

/// <summary>The namespaces whose Services a <see cref="ServiceMonitor"/> may select.</summary>
public sealed class ServiceMonitorNamespaceSelector
{
    [JsonPropertyName("matchNames")]
    public IList<string> MatchNames { get; set; } = [];
}

/// <summary>One scrape target of a <see cref="ServiceMonitor"/>: a named Service port, the metrics path, and the
/// credentials Prometheus sends (a control plane with authentication on needs a signed-in user on <c>/metrics</c>).</summary>
public sealed class ServiceMonitorEndpoint
{
    [JsonPropertyName("port")]
    public string Port { get; set; } = "";

    [JsonPropertyName("path")]
    public string Path { get; set; } = "/metrics";

    [JsonPropertyName("interval")]
    public string? Interval { get; set; }

    [JsonPropertyName("scrapeTimeout")]
    public string? ScrapeTimeout { get; set; }

    /// <summary>The <c>Authorization</c> header of each scrape; null sends none.</summary>
    [JsonPropertyName("authorization")]
    public ServiceMonitorAuthorization? Authorization { get; set; }
}

/// <summary>A scrape's <c>Authorization</c> header: its type (<c>Bearer</c>) and the Secret key holding the credentials.</summary>
public sealed class ServiceMonitorAuthorization
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = "Bearer";

    [JsonPropertyName("credentials")]
    public V1SecretKeySelector? Credentials { get; set; }
}
