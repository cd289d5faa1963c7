using System.Globalization;
using k8s.Models;
using Slipway.Client;

namespace Slipway.Cli.Deploy;

/// <summary>The serving pod: the <c>slipway serve</c> container, its probes, resources, security settings and volumes.</summary>
public sealed partial class ServingManifestBuilder
{
    private V1PodSpec PodSpec(string endpoint, string objectName, bool pinned)
    {
        var volumes = new List<V1Volume>
        {
            // The root filesystem is read-only: downloaded models go to /data, .NET's temporary files to /tmp.
            new() { Name = "data", EmptyDir = new V1EmptyDirVolumeSource() },
            new() { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() },
        };
        var mounts = new List<V1VolumeMount>
        {
            new() { Name = "data", MountPath = "/data" },
            new() { Name = "tmp", MountPath = "/tmp" },
        };
        if (pinned)
        {
            volumes.Add(new V1Volume { Name = "spec", ConfigMap = new V1ConfigMapVolumeSource { Name = objectName } });
            mounts.Add(new V1VolumeMount { Name = "spec", MountPath = SpecDirectory, ReadOnlyProperty = true });
        }
        return new V1PodSpec
        {
            SecurityContext = new V1PodSecurityContext
            {
                RunAsNonRoot = true,
                RunAsUser = ServingDeploymentOptions.AppUserId,
                RunAsGroup = ServingDeploymentOptions.AppUserId,
                FsGroup = ServingDeploymentOptions.AppUserId,
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
            // The pods call the control plane over HTTP, never the Kubernetes API.
            AutomountServiceAccountToken = false,
            Containers = [Container(endpoint, pinned, mounts)],
            Volumes = volumes,
        };
    }

    private V1Container Container(string endpoint, bool pinned, List<V1VolumeMount> mounts)
    {
        var args = new List<string> { "serve", "--control-plane", _options.ControlPlaneUrl, "--endpoint", endpoint };
        if (pinned)
            args.AddRange(["--file", SpecDirectory + "/" + SpecFileName]);
        args.AddRange(
        [
            "--host", "0.0.0.0",
            "--port", ServingDeploymentOptions.HttpPort.ToString(CultureInfo.InvariantCulture),
            "--grpc-port", ServingDeploymentOptions.GrpcPort.ToString(CultureInfo.InvariantCulture),
            "--model-cache", ModelCacheDirectory,
            "--poll-interval", _options.PollInterval,
        ]);
        if (_options.InferenceLogDestination is { } inferenceLog)
            args.AddRange(["--inference-log-dir", inferenceLog]);
        return new V1Container
        {
            Name = ContainerName,
            Image = _options.Image,
            ImagePullPolicy = _options.ImagePullPolicy,
            Args = args,
            Ports =
            [
                new V1ContainerPort { Name = "http", ContainerPort = ServingDeploymentOptions.HttpPort, Protocol = "TCP" },
                new V1ContainerPort { Name = "grpc", ContainerPort = ServingDeploymentOptions.GrpcPort, Protocol = "TCP" },
            ],
            Env = Environment(),
            EnvFrom = _options.EnvFromSecrets.Count == 0
                ? null
                : _options.EnvFromSecrets.Select(s => new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = s } }).ToList(),
            // Startup allows five minutes for large model downloads before liveness counts; readiness turns true
            // once the endpoint's models are loaded.
            StartupProbe = Probe("/health/live", periodSeconds: 5, failureThreshold: 60),
            ReadinessProbe = Probe("/health/ready", periodSeconds: 10, failureThreshold: 3),
            LivenessProbe = Probe("/health/live", periodSeconds: 10, failureThreshold: 6),
            Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
                {
                    ["cpu"] = new(_options.CpuRequest),
                    ["memory"] = new(_options.MemoryRequest),
                },
                Limits = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
                {
                    ["cpu"] = new(_options.CpuLimit),
                    ["memory"] = new(_options.MemoryLimit),
                },
            },
            SecurityContext = new V1SecurityContext
            {
                RunAsNonRoot = true,
                AllowPrivilegeEscalation = false,
                ReadOnlyRootFilesystem = true,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
            },
            VolumeMounts = mounts,
        };
    }

    private List<V1EnvVar> Environment()
    {
        var env = new List<V1EnvVar> { new() { Name = "SLIPWAY_LOG_FORMAT", Value = "json" } };
        if (_options.TokenSecretKey is { } token)
        {
            // A revocable token of a user who may read the endpoint and its models, sent as Authorization: Bearer.
            env.Add(new V1EnvVar
            {
                Name = SlipwayClient.TokenVariable,
                ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = token.Name, Key = token.Key } },
            });
        }
        if (_options.CredentialsSecret is { } secret)
        {
            // The login the pods present to the control plane, as MLflow clients read it; never a literal in the manifest.
            foreach (var variable in new[] { SlipwayClient.UserNameVariable, SlipwayClient.PasswordVariable })
            {
                env.Add(new V1EnvVar
                {
                    Name = variable,
                    ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret, Key = variable } },
                });
            }
        }
        return env;
    }

    private static V1Probe Probe(string path, int periodSeconds, int failureThreshold) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = path, Port = "http" },
        PeriodSeconds = periodSeconds,
        TimeoutSeconds = 3,
        FailureThreshold = failureThreshold,
    };
}
