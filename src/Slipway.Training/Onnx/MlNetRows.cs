using Microsoft.ML;
using Microsoft.ML.Data;

namespace Slipway.Training.Onnx;

/// <summary>
/// The first rows of a data view, with the feature columns the model reads and the outputs the ML.NET model computes
/// for them (<c>Score</c>, and <c>Probability</c>/<c>PredictedLabel</c> for classifiers), read in one pass.
/// </summary>
internal sealed class MlNetRows
{
    public int Rows { get; private init; }
    public List<(string Name, float[] Values)> Numeric { get; } = [];
    public List<(string Name, string[] Values)> Text { get; } = [];

    /// <summary>Row-major: <c>Rows</c> values, or <c>Rows × classes</c> for a multiclass model.</summary>
    public float[] Score { get; private init; } = [];
    public float[]? Probability { get; private init; }
    public bool[]? BinaryLabel { get; private init; }
    public string[]? ClassLabel { get; private init; }

    public static MlNetRows Read(ITransformer model, DataViewSchema inputSchema, IDataView data, int maxRows, CancellationToken ct)
    {
        var scored = model.Transform(data);
        var schema = scored.Schema;
        var score = schema["Score"];
        var probability = schema.GetColumnOrNull("Probability");
        var label = schema.GetColumnOrNull("PredictedLabel");
        var inputs = inputSchema.Select(c => data.Schema[c.Name]).ToList();
        var width = score.Type is VectorDataViewType vector ? vector.Size : 1;

        var numeric = inputs.Where(c => c.Type == NumberDataViewType.Single).Select(c => (c.Name, Values: new List<float>())).ToList();
        var text = inputs.Where(c => c.Type is TextDataViewType).Select(c => (c.Name, Values: new List<string>())).ToList();
        var scores = new List<float>();
        var probabilities = probability is null ? null : new List<float>();
        var binaryLabels = label?.Type is BooleanDataViewType ? new List<bool>() : null;
        var classLabels = label?.Type is TextDataViewType ? new List<string>() : null;

        var needed = new List<DataViewSchema.Column> { score };
        needed.AddRange(new[] { probability, label }.OfType<DataViewSchema.Column>());
        foreach (var name in numeric.Select(n => n.Name).Concat(text.Select(t => t.Name)))
            needed.Add(schema[name]);

        using var cursor = scored.GetRowCursor(needed);
        var numericGetters = numeric.Select(n => cursor.GetGetter<float>(schema[n.Name])).ToArray();
        var textGetters = text.Select(t => cursor.GetGetter<ReadOnlyMemory<char>>(schema[t.Name])).ToArray();
        var scalarScore = width == 1 && score.Type is not VectorDataViewType ? cursor.GetGetter<float>(score) : null;
        var vectorScore = scalarScore is null ? cursor.GetGetter<VBuffer<float>>(score) : null;
        var probabilityGetter = probability is { } p ? cursor.GetGetter<float>(p) : null;
        var binaryGetter = binaryLabels is not null ? cursor.GetGetter<bool>(label!.Value) : null;
        var classGetter = classLabels is not null ? cursor.GetGetter<ReadOnlyMemory<char>>(label!.Value) : null;

        var rows = 0;
        float number = 0;
        var chars = default(ReadOnlyMemory<char>);
        var vectorValue = default(VBuffer<float>);
        var flag = false;
        var dense = new float[width];
        while (rows < maxRows && cursor.MoveNext())
        {
            if ((rows & 1023) == 0)
                ct.ThrowIfCancellationRequested();
            for (var i = 0; i < numericGetters.Length; i++)
            {
                numericGetters[i](ref number);
                numeric[i].Values.Add(number);
            }
            for (var i = 0; i < textGetters.Length; i++)
            {
                textGetters[i](ref chars);
                text[i].Values.Add(chars.ToString());
            }
            if (scalarScore is not null)
            {
                scalarScore(ref number);
                scores.Add(number);
            }
            else
            {
                vectorScore!(ref vectorValue);
                vectorValue.CopyTo(dense);
                scores.AddRange(dense);
            }
            if (probabilityGetter is not null)
            {
                probabilityGetter(ref number);
                probabilities!.Add(number);
            }
            if (binaryGetter is not null)
            {
                binaryGetter(ref flag);
                binaryLabels!.Add(flag);
            }
            if (classGetter is not null)
            {
                classGetter(ref chars);
                classLabels!.Add(chars.ToString());
            }
            rows++;
        }

        var result = new MlNetRows
        {
            Rows = rows,
            Score = [.. scores],
            Probability = probabilities?.ToArray(),
            BinaryLabel = binaryLabels?.ToArray(),
            ClassLabel = classLabels?.ToArray(),
        };
        result.Numeric.AddRange(numeric.Select(n => (n.Name, n.Values.ToArray())));
        result.Text.AddRange(text.Select(t => (t.Name, t.Values.ToArray())));
        return result;
    }
}
