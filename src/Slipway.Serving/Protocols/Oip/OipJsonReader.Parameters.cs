using System.Text.Json;

namespace Slipway.Serving.Protocols.Oip;

internal static partial class OipJsonReader
{
    /// <summary>Reads a <c>parameters</c> object: each value a string, number (long when integral) or boolean.</summary>
    private static Dictionary<string, object?>? ReadParameters(ref Utf8JsonReader reader, string owner)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType != JsonTokenType.StartObject)
            throw Invalid($"'parameters' of {owner} must be an object.");
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (NextProperty(ref reader))
        {
            var key = reader.GetString()!;
            reader.Read();
            parameters[key] = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                // Boxed one by one: a conditional of long and double would widen the integer to double.
                JsonTokenType.Number => reader.TryGetInt64(out var integer) ? (object)integer
                    : reader.TryGetDouble(out var real) ? real
                    : throw Invalid($"Parameter '{key}' of {owner} is out of range."),
                JsonTokenType.True => true,
                JsonTokenType.False => false,
                JsonTokenType.Null => null,
                _ => throw Invalid($"Parameter '{key}' of {owner} must be a string, number or boolean."),
            };
        }
        return parameters;
    }

    private static bool BinaryDataOutput(Dictionary<string, object?>? parameters) =>
        parameters is null || !parameters.TryGetValue("binary_data_output", out var value) || value is null
            ? false
            : value as bool? ?? throw Invalid("Parameter 'binary_data_output' must be a boolean.");

    /// <summary>Reads an input's parameters; only <c>binary_data_size</c> means anything to the adapter.</summary>
    private static long? ReadInputParameters(ref Utf8JsonReader reader, string input)
    {
        var parameters = ReadParameters(ref reader, $"input '{input}'");
        if (parameters is null || !parameters.TryGetValue("binary_data_size", out var size) || size is null)
            return null;
        return size is long bytes && bytes >= 0
            ? bytes
            : throw Invalid($"Input '{input}': parameter 'binary_data_size' must be a non-negative integer.");
    }

    private static List<OipRequestedOutput>? ReadOutputs(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType != JsonTokenType.StartArray)
            throw Invalid("'outputs' must be an array of objects.");
        var outputs = new List<OipRequestedOutput>();
        var names = new NameSet();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
                throw Invalid($"Output #{outputs.Count} must be an object.");
            string? name = null;
            Dictionary<string, object?>? parameters = null;
            while (NextProperty(ref reader))
            {
                if (reader.ValueTextEquals("name"u8))
                {
                    name = ReadString(ref reader, $"Output #{outputs.Count}: 'name'");
                }
                else if (reader.ValueTextEquals("parameters"u8))
                {
                    reader.Read();
                    parameters = ReadParameters(ref reader, $"output #{outputs.Count}");
                }
                else
                {
                    SkipValue(ref reader);
                }
            }
            if (name is null)
                throw Invalid($"Output #{outputs.Count} has no 'name'.");
            if (!names.Add(name))
                throw Invalid($"Output '{name}' is requested more than once.");
            bool? binary = null;
            if (parameters is not null && parameters.TryGetValue("binary_data", out var flag) && flag is not null)
                binary = flag as bool? ?? throw Invalid($"Output '{name}': parameter 'binary_data' must be a boolean.");
            outputs.Add(new OipRequestedOutput(name, binary));
        }
        return outputs.Count == 0 ? null : outputs;
    }

    /// <summary>Duplicate-name check: a linear scan for the usual handful of names, a hash set past that.</summary>
    private struct NameSet
    {
        private const int LinearLimit = 16;
        private List<string>? _few;
        private HashSet<string>? _many;

        public bool Add(string name)
        {
            if (_many is not null)
                return _many.Add(name);
            _few ??= new List<string>(4);
            foreach (var existing in _few)
            {
                if (existing == name)
                    return false;
            }
            _few.Add(name);
            if (_few.Count > LinearLimit)
                _many = new HashSet<string>(_few, StringComparer.Ordinal);
            return true;
        }
    }
}
