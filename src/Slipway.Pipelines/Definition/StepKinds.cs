namespace Slipway.Pipelines.Definition;

/// <summary>The values <c>uses:</c> accepts and the outputs each kind always produces.</summary>
public static class StepKinds
{
    public const string Train = "train";
    public const string Evaluate = "evaluate";
    public const string Gate = "gate";
    public const string Register = "register";
    public const string Promote = "promote";
    public const string Deploy = "deploy";
    public const string Monitor = "monitor";
    public const string Command = "command";

    public static IReadOnlyList<string> All { get; } =
        [Train, Evaluate, Gate, Register, Promote, Deploy, Monitor, Command];

    // Validation needs to know which outputs a reference may name before anything runs; the built-in
    // executors (Executors/BuiltIn) always set every one of these, empty when it does not apply.
    // A command step's outputs are whatever its script writes, so it declares them with `outputs:`.
    private static readonly Dictionary<string, string[]> s_builtInOutputs = new()
    {
        // metric/value: the task's default metric on validation; model_name/version: set with register_as.
        [Train] = ["run_id", "model_uri", "onnx_uri", "metric", "value", "model_name", "version"],
        [Evaluate] = ["run_id", "metric", "value"],
        // candidate_metric/champion_metric are the values of `metric`; champion_metric is empty without a champion.
        [Gate] = ["passed", "metric", "candidate_metric", "champion_metric"],
        [Register] = ["model_name", "version", "model_uri"],
        // approval_request: the id of the approval request, empty when the alias was not protected.
        [Promote] = ["model_name", "version", "alias", "approval_request"],
        [Deploy] = ["endpoint", "version"],
        [Monitor] = ["monitor_id"],
        [Command] = [],
    };

    public static bool IsKnown(string uses) => s_builtInOutputs.ContainsKey(uses);

    /// <summary>Outputs a step may be referenced by: its kind's fixed outputs plus its declared ones.</summary>
    public static IReadOnlyCollection<string> OutputsOf(StepDefinition step)
    {
        var outputs = new HashSet<string>(step.Outputs, StringComparer.Ordinal);
        if (s_builtInOutputs.TryGetValue(step.Uses, out var builtIn))
            outputs.UnionWith(builtIn);
        return outputs;
    }
}
