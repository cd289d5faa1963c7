using Slipway.Pipelines.Execution;

namespace Slipway.Pipelines.Executors.Kubernetes;

public sealed partial class KubernetesJobBuilder
{
    /// <summary>
    /// <c>with:</c> keys of a train step (those the in-process train executor reads) and the
    /// <c>slipway train</c> flag each becomes. Keys may be written with '_' or '-' (<c>register_as</c>,
    /// <c>register-as</c>).
    /// </summary>
    private static readonly Dictionary<string, string> s_trainFlags = new(StringComparer.Ordinal)
    {
        ["data"] = "--data",
        ["label"] = "--label",
        ["task"] = "--task",
        ["trainer"] = "--trainer",
        ["experiment"] = "--experiment",
        ["register_as"] = "--register-as",
        ["validation_fraction"] = "--validation-fraction",
        ["cv"] = "--cv",
        ["positive_class"] = "--positive-class",
        ["exclude"] = "--exclude",
        ["seed"] = "--seed",
        ["iterations"] = "--iterations",
        ["leaves"] = "--leaves",
        ["learning_rate"] = "--learning-rate",
    };

    private static readonly string[] s_trainRequired = ["data", "label", "task"];

    /// <summary>Keys the in-process executor reads that <c>slipway train</c> has no flag for.</summary>
    private static readonly string[] s_trainUnsupported = ["min_data_in_leaf"];

    /// <summary><c>with: onnx</c> (true by default, as in-process): false becomes <c>--no-onnx</c>.</summary>
    private const string OnnxKey = "onnx";

    /// <summary>The <c>with:</c> keys a train step accepts on Kubernetes, besides <c>image</c>.</summary>
    public static IReadOnlyCollection<string> TrainKeys => [.. s_trainFlags.Keys, OnnxKey];

    /// <summary>
    /// <c>slipway train … --json</c>: the JSON outcome on stdout is how the executor learns the
    /// step's <c>run_id</c> and <c>model_uri</c>. The experiment defaults to the pipeline's name, the
    /// trainer to LightGBM, and the run is named after the step, as in-process training does.
    /// </summary>
    private List<string> TrainCommand(StepInvocation invocation)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var exportOnnx = true;
        foreach (var (rawKey, value) in invocation.With.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            if (rawKey == ImageKey)
                continue;
            var key = rawKey.Replace('-', '_');
            if (s_trainUnsupported.Contains(key))
            {
                throw new KubernetesManifestException(
                    $"step '{invocation.StepId}': 'with: {rawKey}' has no 'slipway train' flag, so it cannot run on Kubernetes");
            }
            if (key == OnnxKey)
            {
                exportOnnx = OnnxFlag(invocation.StepId, rawKey, value);
                continue;
            }
            if (!s_trainFlags.ContainsKey(key))
            {
                throw new KubernetesManifestException(
                    $"step '{invocation.StepId}': uses: train does not take 'with: {rawKey}' " +
                    $"(it takes {string.Join(", ", TrainKeys)} and image)");
            }
            if (!string.IsNullOrWhiteSpace(value))
                values[key] = value.Trim();
        }
        foreach (var required in s_trainRequired)
        {
            if (!values.ContainsKey(required))
                throw new KubernetesManifestException($"step '{invocation.StepId}' needs 'with: {required}'");
        }
        // The same defaults as the in-process train executor, which differ from the command line's.
        values.TryAdd("experiment", invocation.PipelineName);
        values.TryAdd("trainer", "lightgbm");
        if (values.GetValueOrDefault("cv") == "0")
            values.Remove("cv");

        var command = new List<string> { _options.SlipwayExecutable, "train" };
        foreach (var (key, flag) in s_trainFlags)
        {
            if (!values.TryGetValue(key, out var value))
                continue;
            if (key == "exclude")
            {
                foreach (var column in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    command.AddRange([flag, column]);
                continue;
            }
            command.AddRange([flag, value]);
        }
        if (!exportOnnx)
            command.Add("--no-onnx");
        command.AddRange(["--run-name", invocation.StepId, "--json"]);
        return command;
    }

    /// <summary>The in-process train step's reading of <c>with: onnx</c>: empty means the default (true).</summary>
    private static bool OnnxFlag(string stepId, string rawKey, string value) => value.Trim().ToLowerInvariant() switch
    {
        "" or "true" or "yes" or "on" or "1" => true,
        "false" or "no" or "off" or "0" => false,
        _ => throw new KubernetesManifestException($"step '{stepId}': with: {rawKey} = '{value}' is not true or false"),
    };
}
