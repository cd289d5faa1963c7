using k8s.Models;

namespace Slipway.Deploy.Tests.Support;

/// <summary>
/// Turns a rendered container into what <see cref="SlipwayProcess"/> runs on this machine: its arguments with only the
/// listen address and ports replaced, and its environment as the kubelet would build it, each <c>secretKeyRef</c>
/// resolved from the Secrets the test says exist (a reference to any other Secret fails the test, as the pod would
/// not start).
/// </summary>
internal static class RenderedPod
{
    /// <summary>Flags whose values only make sense in the cluster, and what they become here; gRPC is turned off.</summary>
    private static readonly Dictionary<string, string> LocalValues = new(StringComparer.Ordinal)
    {
        ["--host"] = "127.0.0.1",
        ["--port"] = "0",
        ["--grpc-port"] = "0",
    };

    /// <summary>The arguments with <c>--host</c>, <c>--port</c> and <c>--grpc-port</c> localized; every other word unchanged.</summary>
    public static List<string> LocalArguments(IList<string> rendered)
    {
        var args = new List<string>(rendered.Count);
        for (var i = 0; i < rendered.Count; i++)
        {
            args.Add(rendered[i]);
            if (LocalValues.TryGetValue(rendered[i], out var local) && i + 1 < rendered.Count)
            {
                args.Add(local);
                i++;
            }
        }
        Assert.All(LocalValues.Keys, flag => Assert.Contains(flag, args));
        return args;
    }

    /// <summary>The container's environment; <paramref name="secrets"/> maps (Secret, key) to the value stored there.</summary>
    public static Dictionary<string, string> Environment(V1Container container, IReadOnlyDictionary<(string Secret, string Key), string> secrets)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in container.Env ?? [])
        {
            if (variable.ValueFrom?.SecretKeyRef is { } reference)
            {
                Assert.True(secrets.TryGetValue((reference.Name, reference.Key), out var value),
                    $"{variable.Name} reads Secret {reference.Name} key {reference.Key}, which the test did not create: the pod would not start");
                environment[variable.Name] = value;
            }
            else
            {
                Assert.Null(variable.ValueFrom); // field and resource references have no meaning outside a cluster
                environment[variable.Name] = variable.Value ?? "";
            }
        }
        return environment;
    }
}
