using System.Text;
using System.Text.Json;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Protocols.Oip;

internal static partial class OipJsonReader
{
    private const int MaxRank = 32;

    private static readonly byte[][] DataTypeNames = Array.ConvertAll(Enum.GetValues<TensorDataType>(), t => Encoding.UTF8.GetBytes(t.WireName()));

    private static void ReadInputs(ref Utf8JsonReader reader, OipInferRequest request, int bodyLength, OipOptions options)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
            throw Invalid("'inputs' must be an array of objects.");
        var names = new NameSet();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var input = ReadInput(ref reader, request.Inputs.Count, bodyLength, options);
            if (!names.Add(input.Name))
                throw Invalid($"Input '{input.Name}' appears more than once.");
            request.Inputs.Add(input);
        }
    }

    private static OipInput ReadInput(ref Utf8JsonReader reader, int index, int bodyLength, OipOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw Invalid($"Input #{index} must be an object.");
        string? name = null;
        TensorDataType? dataType = null;
        long[]? shape = null;
        long? binaryDataSize = null;
        Array? data = null;
        var hasData = false;
        // When 'data' comes before 'datatype' or 'shape', a copy of the reader marks it and the data is read at the end.
        var deferredData = default(Utf8JsonReader);
        var dataDeferred = false;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("name"u8))
            {
                name = ReadString(ref reader, $"Input #{index}: 'name'");
            }
            else if (reader.ValueTextEquals("datatype"u8))
            {
                dataType = ReadDataType(ref reader, name ?? $"#{index}");
            }
            else if (reader.ValueTextEquals("shape"u8))
            {
                shape = ReadShape(ref reader, name ?? $"#{index}");
            }
            else if (reader.ValueTextEquals("parameters"u8))
            {
                reader.Read();
                binaryDataSize = ReadInputParameters(ref reader, name ?? $"#{index}");
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                if (hasData)
                    throw Invalid($"Input '{name ?? $"#{index}"}': 'data' appears more than once.");
                hasData = true;
                reader.Read();
                if (dataType is { } knownType && shape is not null)
                {
                    data = ReadData(ref reader, name ?? $"#{index}", knownType, shape, CheckedElementCount(shape, name ?? $"#{index}", options), bodyLength);
                }
                else
                {
                    deferredData = reader;
                    dataDeferred = true;
                    reader.Skip();
                }
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        if (name is null)
            throw Invalid($"Input #{index} has no 'name'.");
        if (dataType is not { } type)
            throw Invalid($"Input '{name}' has no 'datatype'.");
        if (shape is null)
            throw Invalid($"Input '{name}' has no 'shape'.");
        var count = CheckedElementCount(shape, name, options);
        if (hasData && binaryDataSize is not null)
            throw Invalid($"Input '{name}' has both 'data' and the 'binary_data_size' parameter.");
        if (!hasData && binaryDataSize is null)
            throw Invalid($"Input '{name}' has no 'data'.");
        if (dataDeferred)
            data = ReadData(ref deferredData, name, type, shape, count, bodyLength);
        return new OipInput(name, type, shape, count) { Data = data, BinaryDataSize = binaryDataSize };
    }

    private static TensorDataType ReadDataType(ref Utf8JsonReader reader, string input)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
            throw Invalid($"Input '{input}': 'datatype' must be a string.");
        // Compared as UTF-8 so that the hot path allocates no string for the datatype.
        for (var i = 0; i < DataTypeNames.Length; i++)
        {
            if (reader.ValueTextEquals(DataTypeNames[i]))
                return (TensorDataType)i;
        }
        throw Invalid($"Input '{input}': unknown datatype '{reader.GetString()}'.");
    }

    private static long[] ReadShape(ref Utf8JsonReader reader, string input)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
            throw Invalid($"Input '{input}': 'shape' must be an array of non-negative integers.");
        Span<long> dims = stackalloc long[MaxRank];
        var rank = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var dim) || dim < 0)
                throw Invalid($"Input '{input}': 'shape' must be an array of non-negative integers.");
            if (rank == MaxRank)
                throw Invalid($"Input '{input}': 'shape' has more than {MaxRank} dimensions.");
            dims[rank++] = dim;
        }
        return dims[..rank].ToArray();
    }

    /// <summary>The shape's element count, refused before any allocation when it is beyond the limit (or overflows).</summary>
    internal static long CheckedElementCount(long[] shape, string input, OipOptions options)
    {
        long count = 1;
        foreach (var dim in shape)
        {
            if (dim != 0 && count > options.MaxTensorElements / dim)
                throw Invalid($"Input '{input}': shape {FormatShape(shape)} exceeds the limit of {options.MaxTensorElements} elements per tensor.");
            count *= dim;
        }
        return count;
    }
}
