using System.Text;
using System.Text.Json;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Protocols.Mlflow;

/// <summary>
/// Writes <c>{"predictions": …}</c> as MLflow's onnx flavor answers: for tensor input an object of output name →
/// nested lists; for DataFrame input one record per row, each output's row under its name.
/// </summary>
internal static class PredictionsWriter
{
    public static void Write(Utf8JsonWriter w, IReadOnlyList<Tensor> outputs, bool records)
    {
        w.WriteStartObject();
        w.WritePropertyName("predictions");
        if (records)
            WriteRecords(w, outputs);
        else
        {
            w.WriteStartObject();
            foreach (var output in outputs)
            {
                w.WritePropertyName(output.Name);
                WriteNested(w, output, 0, 0);
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteRecords(Utf8JsonWriter w, IReadOnlyList<Tensor> outputs)
    {
        var rows = outputs.Count == 0 || outputs[0].Shape.Length == 0 ? 0 : outputs[0].Shape[0];
        w.WriteStartArray();
        for (long row = 0; row < rows; row++)
        {
            w.WriteStartObject();
            foreach (var output in outputs)
            {
                w.WritePropertyName(output.Name);
                var rowSize = RowSize(output);
                if (output.Shape.Length == 1 || rowSize == 1)
                    WriteElement(w, output.Data, (int)(row * rowSize));
                else
                    WriteNested(w, output, 1, (int)(row * rowSize));
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static long RowSize(Tensor tensor) => tensor.Shape.Length <= 1 ? 1 : ShapeMath.ElementCount(tensor.Shape.AsSpan(1));

    /// <summary>Writes dimension <paramref name="dim"/> onwards starting at flat index <paramref name="offset"/>; returns nothing, advances by the sub-shape size.</summary>
    private static void WriteNested(Utf8JsonWriter w, Tensor tensor, int dim, int offset)
    {
        if (dim == tensor.Shape.Length)
        {
            WriteElement(w, tensor.Data, offset);
            return;
        }
        var stride = (int)ShapeMath.ElementCount(tensor.Shape.AsSpan(dim + 1));
        w.WriteStartArray();
        for (var i = 0; i < tensor.Shape[dim]; i++)
            WriteNested(w, tensor, dim + 1, offset + i * stride);
        w.WriteEndArray();
    }

    private static void WriteElement(Utf8JsonWriter w, Array data, int index)
    {
        switch (data)
        {
            case float[] f when float.IsFinite(f[index]): w.WriteNumberValue(f[index]); break;
            case float[] f: WriteDouble(w, f[index], finite: false); break;
            case double[] d: WriteDouble(w, d[index], double.IsFinite(d[index])); break;
            case long[] l: w.WriteNumberValue(l[index]); break;
            case int[] i: w.WriteNumberValue(i[index]); break;
            case short[] s: w.WriteNumberValue(s[index]); break;
            case sbyte[] sb: w.WriteNumberValue(sb[index]); break;
            case byte[] b: w.WriteNumberValue(b[index]); break;
            case ushort[] us: w.WriteNumberValue(us[index]); break;
            case uint[] ui: w.WriteNumberValue(ui[index]); break;
            case ulong[] ul: w.WriteNumberValue(ul[index]); break;
            case bool[] bo: w.WriteBooleanValue(bo[index]); break;
            case byte[][] bytes: w.WriteStringValue(Encoding.UTF8.GetString(bytes[index])); break;
            case Half[] h: WriteDouble(w, (double)h[index], Half.IsFinite(h[index])); break;
            default: w.WriteNullValue(); break;
        }

        static void WriteDouble(Utf8JsonWriter w, double value, bool finite)
        {
            if (finite)
                w.WriteNumberValue(value);
            else
                w.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }
}
