using System.Text.Json;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Models;

/// <summary>One entry of an MLflow tensor-based signature; <see cref="Name"/> is null for an unnamed single tensor.</summary>
internal sealed record MlflowTensorSpec(string? Name, TensorDataType DataType, string Dtype, long[]? Shape);

/// <summary>
/// The tensor-based signature of an MLmodel file. A side is null when it is absent or column-based (a DataFrame
/// schema, which says nothing about tensor names and shapes); the ONNX graph's own metadata is used for it then.
/// </summary>
internal sealed record MlflowSignature(IReadOnlyList<MlflowTensorSpec>? Inputs, IReadOnlyList<MlflowTensorSpec>? Outputs)
{
    /// <summary>Parses e.g. <c>[{"name": "input", "type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 30]}}]</c>.</summary>
    public static IReadOnlyList<MlflowTensorSpec>? ParseTensorSpecs(string? json, string side, string directory)
    {
        if (string.IsNullOrWhiteSpace(json) || json == "null")
            return null;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                throw Invalid(directory, side, "is not a JSON list");
            var specs = new List<MlflowTensorSpec>(document.RootElement.GetArrayLength());
            foreach (var entry in document.RootElement.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object
                    || !entry.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "tensor"
                    || !entry.TryGetProperty("tensor-spec", out var tensorSpec) || tensorSpec.ValueKind != JsonValueKind.Object)
                    return null;
                specs.Add(ParseTensorSpec(entry, tensorSpec, side, directory));
            }

            return specs;
        }
        catch (JsonException e)
        {
            throw Invalid(directory, side, $"is not valid JSON ({e.Message})");
        }
    }

    private static MlflowTensorSpec ParseTensorSpec(JsonElement entry, JsonElement tensorSpec, string side, string directory)
    {
        var name = entry.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        var dtype = tensorSpec.TryGetProperty("dtype", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        if (!OnnxTensorTypes.TryParseNumpy(dtype, out var dataType))
            throw Invalid(directory, side, $"entry '{name}' has dtype '{dtype}', which is not supported by this model runtime");

        long[]? shape = null;
        if (tensorSpec.TryGetProperty("shape", out var s) && s.ValueKind == JsonValueKind.Array)
        {
            shape = new long[s.GetArrayLength()];
            var i = 0;
            foreach (var dim in s.EnumerateArray())
                shape[i++] = dim.ValueKind == JsonValueKind.Number && dim.TryGetInt64(out var value) && value >= 0 ? value : -1;
        }

        return new MlflowTensorSpec(name, dataType, dtype!, shape);
    }

    private static SlipwayException Invalid(string directory, string side, string problem) =>
        SlipwayException.InvalidParameter($"MLflow model '{directory}': MLmodel signature {side} {problem}.");
}
