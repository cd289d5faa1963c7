using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;
using Slipway.Client;
using Slipway.Pipelines.Executors.Kubernetes;

namespace Slipway.Cli.Deploy;

/// <summary>
/// Builds the Kubernetes objects that serve one endpoint with <c>slipway serve</c>: a Deployment, its Service, a
/// HorizontalPodAutoscaler (autoscaling/v2) on CPU, and optionally a ConfigMap holding a pinned spec and a
/// ServiceMonitor. The objects carry the same labels, probes and security settings as the Helm chart's, so a cluster
/// run by either looks the same.
/// </summary>
public sealed partial class ServingManifestBuilder
{
    /// <summary>Label naming the endpoint an object serves (the exact name as a sanitised label value).</summary>
    public const string EndpointLabel = "slipway.dev/endpoint";

    /// <summary>Annotation on the Deployment listing the routes at render time, <c>NAME=MODEL:WEIGHT</c> separated by commas.</summary>
    public const string RoutesAnnotation = "slipway.dev/routes";

    /// <summary>Annotation on the pod template with the hash of a pinned spec, so that a changed spec rolls the pods.</summary>
    public const string SpecChecksumAnnotation = "slipway.dev/spec-checksum";

    /// <summary>Where a pinned spec is mounted in the serving container.</summary>
    public const string SpecDirectory = "/etc/slipway";

    /// <summary>The file name of a pinned spec in its ConfigMap and mount.</summary>
    public const string SpecFileName = "endpoints.json";

    private const string ContainerName = "serve";
    private const string ModelCacheDirectory = "/data/model-cache";

    private readonly ServingDeploymentOptions _options;

    /// <exception cref="ArgumentException">The options are not usable; the message lists every problem.</exception>
    public ServingManifestBuilder(ServingDeploymentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        _options = options;
    }

    /// <summary>The name of every object of <paramref name="endpoint"/>: <c>slipway-serve-</c> and the endpoint name as a DNS label.</summary>
    public static string ObjectName(string endpoint)
    {
        var builder = new StringBuilder("slipway-serve-", KubernetesNames.MaxLength);
        foreach (var c in endpoint.ToLowerInvariant())
        {
            if (builder.Length == KubernetesNames.MaxLength)
                break;
            builder.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }
        return builder.ToString().TrimEnd('-');
    }

    /// <summary>The objects for <paramref name="endpoint"/>, in the order <c>kubectl apply</c> should create them.</summary>
    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Build(ServingEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var objects = new List<IKubernetesObject<V1ObjectMeta>>();
        string? pinnedSpec = null;
        if (_options.PinSpec)
        {
            pinnedSpec = PinnedSpecJson.Write(endpoint.ToSpec());
            objects.Add(ConfigMap(endpoint.Name, pinnedSpec));
        }
        objects.Add(Deployment(endpoint, pinnedSpec));
        objects.Add(Service(endpoint.Name));
        objects.Add(Autoscaler(endpoint.Name));
        if (_options.ServiceMonitor)
            objects.Add(Monitor(endpoint.Name));
        return objects;
    }

    /// <summary>The objects as one multi-document YAML, with a header saying where they came from.</summary>
    public string Render(ServingEndpoint endpoint)
    {
        var yaml = new StringBuilder();
        yaml.Append("# Serving objects for Slipway endpoint '").Append(endpoint.Name).Append("' (revision ")
            .Append(endpoint.Revision.ToString(CultureInfo.InvariantCulture)).Append("), namespace '").Append(_options.Namespace)
            .Append("'. Apply with: kubectl apply -f FILE\n");
        foreach (var item in Build(endpoint))
            yaml.Append("---\n").Append(KubernetesYaml.Serialize(item).TrimEnd('\n')).Append('\n');
        return yaml.ToString();
    }

    private V1Deployment Deployment(ServingEndpoint endpoint, string? pinnedSpec)
    {
        var name = ObjectName(endpoint.Name);
        var podAnnotations = pinnedSpec is null
            ? null
            : new Dictionary<string, string>(StringComparer.Ordinal) { [SpecChecksumAnnotation] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(pinnedSpec))) };
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = Metadata(endpoint.Name, new Dictionary<string, string>(StringComparer.Ordinal) { [RoutesAnnotation] = DescribeRoutes(endpoint) }),
            Spec = new V1DeploymentSpec
            {
                // No Replicas: the HorizontalPodAutoscaler owns the count, and a re-applied manifest that named one
                // would scale the Deployment back to it until the autoscaler corrected it again.
                Selector = new V1LabelSelector { MatchLabels = SelectorLabels(endpoint.Name) },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = SelectorLabels(endpoint.Name), Annotations = podAnnotations },
                    Spec = PodSpec(endpoint.Name, name, pinnedSpec is not null),
                },
            },
        };
    }

    private static string DescribeRoutes(ServingEndpoint endpoint)
    {
        var routes = endpoint.Routes.Select(r => $"{r.Name}={r.Model}:{(r.Weight ?? 100).ToString(CultureInfo.InvariantCulture)}");
        if (endpoint.Shadow is { } shadow)
            routes = routes.Append($"{shadow.Name}={shadow.Model}:shadow");
        return string.Join(",", routes);
    }
}
