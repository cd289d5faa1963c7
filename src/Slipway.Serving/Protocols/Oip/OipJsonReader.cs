using System.Text.Json;
using Slipway.Core.Errors;

namespace Slipway.Serving.Protocols.Oip;

/// <summary>
/// Reads an OIP infer request body with one forward pass of <see cref="Utf8JsonReader"/>: typed arrays are filled
/// straight from the tokens (no DOM), sizes are checked against the limits before anything is allocated, and every
/// problem is a <see cref="SlipwayException"/> (400) that names the input and, for data, the element.
/// </summary>
internal static partial class OipJsonReader
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <summary>Parses an infer request (the whole body, or the JSON header of a binary request).</summary>
    public static OipInferRequest Parse(ReadOnlySpan<byte> json, OipOptions options)
    {
        try
        {
            return ParseObject(json, options);
        }
        catch (JsonException e)
        {
            throw new SlipwayException(ErrorCode.BadRequest, "Malformed JSON in request body: " + e.Message);
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader reports text it cannot decode (invalid UTF-8, lone surrogate escapes) this way.
            throw new SlipwayException(ErrorCode.BadRequest, "Malformed JSON in request body: " + e.Message);
        }
    }

    private static OipInferRequest ParseObject(ReadOnlySpan<byte> json, OipOptions options)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw Invalid("The request body must be a JSON object.");
        var request = new OipInferRequest();
        var sawInputs = false;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("inputs"u8))
            {
                if (sawInputs)
                    throw Invalid("'inputs' appears more than once.");
                sawInputs = true;
                ReadInputs(ref reader, request, json.Length, options);
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                request.Id = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString(),
                    JsonTokenType.Null => null,
                    _ => throw Invalid("'id' must be a string."),
                };
            }
            else if (reader.ValueTextEquals("parameters"u8))
            {
                reader.Read();
                request.Parameters = ReadParameters(ref reader, "the request");
                request.BinaryDataOutput = BinaryDataOutput(request.Parameters);
            }
            else if (reader.ValueTextEquals("outputs"u8))
            {
                reader.Read();
                request.Outputs = ReadOutputs(ref reader);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        // Whitespace may follow the object; anything else makes Read throw (malformed JSON, a 400).
        if (reader.Read())
            throw Invalid("Unexpected content after the request object.");
        if (!sawInputs)
            throw Invalid("The request has no 'inputs'.");
        return request;
    }

    internal static string FormatShape(long[] shape) => "[" + string.Join(", ", shape) + "]";

    internal static SlipwayException Invalid(string message) => SlipwayException.InvalidParameter(message);

    /// <summary>Moves to the next property name of the current object; false at its end.</summary>
    private static bool NextProperty(ref Utf8JsonReader reader) =>
        reader.Read() && reader.TokenType == JsonTokenType.PropertyName;

    private static void SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }

    private static string ReadString(ref Utf8JsonReader reader, string what)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
            throw Invalid($"{what} must be a string.");
        return reader.GetString()!;
    }
}
