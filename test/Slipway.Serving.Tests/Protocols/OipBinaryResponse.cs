using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Slipway.Serving.Tests.Protocols;

/// <summary>Test-side reader of a binary-extension response: the JSON header and each binary output's bytes, by name.</summary>
internal sealed class OipBinaryResponse
{
    private OipBinaryResponse(JsonElement header, Dictionary<string, byte[]> binary)
    {
        Header = header;
        Binary = binary;
    }

    public JsonElement Header { get; }

    public Dictionary<string, byte[]> Binary { get; }

    public static OipBinaryResponse Parse(byte[] body, int headerLength)
    {
        using var document = JsonDocument.Parse(body.AsMemory(0, headerLength));
        var header = document.RootElement.Clone();
        var binary = new Dictionary<string, byte[]>();
        var offset = headerLength;
        foreach (var output in header.GetProperty("outputs").EnumerateArray())
        {
            if (!output.TryGetProperty("parameters", out var parameters) || !parameters.TryGetProperty("binary_data_size", out var size))
                continue;
            binary[output.GetProperty("name").GetString()!] = body[offset..(offset + size.GetInt32())];
            offset += size.GetInt32();
        }
        Assert.Equal(body.Length, offset);
        return new OipBinaryResponse(header, binary);
    }

    public static string[] BytesElements(byte[] data)
    {
        var elements = new List<string>();
        var span = data.AsSpan();
        while (!span.IsEmpty)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(span);
            elements.Add(Encoding.UTF8.GetString(span.Slice(4, length)));
            span = span[(4 + length)..];
        }
        return [.. elements];
    }

    public JsonElement Output(string name) =>
        Header.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("name").GetString() == name);
}
