using System.CommandLine;
using Slipway.Cli.Deploy;

namespace Slipway.Cli.Commands;

/// <summary>
/// <c>slipway deploy kubernetes --endpoint NAME</c>: reads an endpoint from the server and prints (or writes) the
/// Kubernetes objects that serve it with <c>slipway serve</c> — Deployment, Service, HorizontalPodAutoscaler, and
/// optionally a pinned-spec ConfigMap and a ServiceMonitor — as multi-document YAML for <c>kubectl apply -f</c>.
/// </summary>
internal static class DeployCommands
{
    public static Command Create(ClientCommandFactory factory) =>
        new("deploy", "Render deployment manifests for Slipway workloads.")
        {
            Kubernetes(factory),
        };

    private static Command Kubernetes(ClientCommandFactory factory)
    {
        var defaults = new ServingDeploymentOptions();
        var endpoint = new Option<string>("--endpoint") { Description = "The endpoint to serve (read from the server given by --tracking-uri).", Required = true };
        var ns = new Option<string>("--namespace") { Description = "Namespace of the objects.", DefaultValueFactory = _ => defaults.Namespace };
        var image = new Option<string>("--image") { Description = "The Slipway image the pods run.", DefaultValueFactory = _ => defaults.Image };
        var controlPlane = new Option<string>("--control-plane")
        {
            Description = "URL at which the pods reach the control plane inside the cluster (the Helm chart's Service for a release named slipway by default).",
            DefaultValueFactory = _ => defaults.ControlPlaneUrl,
        };
        var minReplicas = new Option<int>("--min-replicas") { Description = "Fewest replicas the autoscaler keeps.", DefaultValueFactory = _ => defaults.MinReplicas };
        var maxReplicas = new Option<int>("--max-replicas") { Description = "Most replicas the autoscaler adds.", DefaultValueFactory = _ => defaults.MaxReplicas };
        var cpuTarget = new Option<int>("--cpu-target") { Description = "Average CPU utilisation (% of the request) the autoscaler aims at.", DefaultValueFactory = _ => defaults.CpuTarget };
        var cpuRequest = new Option<string>("--cpu-request") { Description = "CPU request per pod.", DefaultValueFactory = _ => defaults.CpuRequest };
        var memoryRequest = new Option<string>("--memory-request") { Description = "Memory request per pod.", DefaultValueFactory = _ => defaults.MemoryRequest };
        var cpuLimit = new Option<string>("--cpu-limit") { Description = "CPU limit per pod.", DefaultValueFactory = _ => defaults.CpuLimit };
        var memoryLimit = new Option<string>("--memory-limit") { Description = "Memory limit per pod.", DefaultValueFactory = _ => defaults.MemoryLimit };
        var credentialsSecret = new Option<string>("--credentials-secret")
        {
            Description = "A Secret with MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD keys, when the control plane asks for a login.",
        };
        var tokenSecret = new Option<string>("--token-secret")
        {
            Description = "NAME[:KEY] of a Secret holding an access token (slw_…) the pods send to the control plane as MLFLOW_TRACKING_TOKEN; key 'token' by default.",
        };
        var inferenceLog = new Option<string>("--inference-log-dir")
        {
            Description = "Write sampled requests to this destination: the control plane's s3:// or azblob:// artifact destination, where its monitors read them.",
        };
        var envFromSecrets = new Option<string[]>("--env-from-secret")
        {
            Description = "A Secret whose keys become environment variables, e.g. AWS_ACCESS_KEY_ID and Slipway__Artifacts__S3__ServiceUrl; repeatable.",
        };
        var serviceMonitor = new Option<bool>("--service-monitor") { Description = "Add a Prometheus Operator ServiceMonitor scraping /metrics." };
        var pinSpec = new Option<bool>("--pin-spec")
        {
            Description = "Serve the endpoint's spec as it is now, from a ConfigMap, instead of following its changes on the control plane.",
        };
        var output = new Option<string>("--out") { Description = "Write the YAML to this file instead of standard output." };

        var command = factory.Create("kubernetes", "Render the Deployment, Service and HorizontalPodAutoscaler that serve one endpoint with `slipway serve`.", async call =>
        {
            var options = new ServingDeploymentOptions
            {
                Namespace = call.Value(ns)!,
                Image = call.Value(image)!,
                ControlPlaneUrl = call.Value(controlPlane)!,
                MinReplicas = call.Value(minReplicas),
                MaxReplicas = call.Value(maxReplicas),
                CpuTarget = call.Value(cpuTarget),
                CpuRequest = call.Value(cpuRequest)!,
                MemoryRequest = call.Value(memoryRequest)!,
                CpuLimit = call.Value(cpuLimit)!,
                MemoryLimit = call.Value(memoryLimit)!,
                CredentialsSecret = call.Value(credentialsSecret),
                TokenSecret = call.Value(tokenSecret),
                InferenceLogDestination = call.Value(inferenceLog),
                ServiceMonitor = call.Value(serviceMonitor),
                PinSpec = call.Value(pinSpec),
            };
            options.EnvFromSecrets.AddRange(call.Value(envFromSecrets) ?? []);
            // Checked before the server is asked, so a typo costs no round trip and never looks like a server error.
            var problems = options.Validate();
            if (problems.Count > 0)
                return call.Cli.Usage("Invalid options:\n  " + string.Join("\n  ", problems));

            var served = await call.Client.GetEndpointAsync(call.Value(endpoint)!, call.CancellationToken);
            var yaml = new ServingManifestBuilder(options).Render(served);
            if (call.Value(output) is { Length: > 0 } file)
            {
                await File.WriteAllTextAsync(file, yaml, call.CancellationToken);
                await call.Cli.Out.WriteLineAsync($"Wrote the Kubernetes objects of endpoint '{served.Name}' to {file}; apply with: kubectl apply -f {file}");
            }
            else
            {
                await call.Cli.Out.WriteAsync(yaml);
            }
            return CliApp.Success;
        });
        foreach (var option in new Option[] { endpoint, ns, image, controlPlane, minReplicas, maxReplicas, cpuTarget, cpuRequest, memoryRequest, cpuLimit, memoryLimit, credentialsSecret, tokenSecret, inferenceLog, envFromSecrets, serviceMonitor, pinSpec, output })
            command.Options.Add(option);
        return command;
    }
}
