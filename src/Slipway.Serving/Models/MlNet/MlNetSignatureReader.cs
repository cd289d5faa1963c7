using Microsoft.ML;
using Slipway.Core.Errors;

namespace Slipway.Serving.Models.MlNet;

/// <summary>
/// The signature of an ML.NET model. Inputs are the visible columns of the saved input schema that the
/// transformer needs: training data usually carries a <c>Label</c> column a prediction does not use, and a client
/// must not be made to send it. Outputs are the visible columns the model adds (typically <c>Score</c>,
/// <c>PredictedLabel</c>, <c>Probability</c>, plus intermediate ones such as <c>Features</c>) that have a tensor form.
/// </summary>
internal static class MlNetSignatureReader
{
    public static (DataViewSchema ViewSchema, MlNetInputColumn[] Inputs, MlNetOutputColumn[] Outputs) Read(ITransformer transformer, DataViewSchema inputSchema)
    {
        var visible = inputSchema.Where(c => !c.IsHidden).ToList();
        var outputSchema = OutputSchema(transformer, Schema(visible))
            ?? throw SlipwayException.InvalidParameter("The ML.NET model does not accept its own saved input schema.");

        // A column is needed when the model cannot run without it; checking one column at a time only inspects schemas.
        var needed = visible.Where(c => OutputSchema(transformer, Schema(visible.Where(o => o.Index != c.Index))) is null).ToList();
        var viewSchema = Schema(needed);
        if (OutputSchema(transformer, viewSchema) is null)
        {
            needed = visible;
            viewSchema = Schema(visible);
        }

        var inputs = needed.Select(MlNetInputColumn.Create).ToArray();
        var inputNames = inputSchema.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var outputs = outputSchema
            .Where(c => !c.IsHidden && !inputNames.Contains(c.Name))
            .Select(MlNetOutputColumn.TryCreate)
            .OfType<MlNetOutputColumn>()
            .ToArray();
        if (outputs.Length == 0)
            throw SlipwayException.InvalidParameter("The ML.NET model adds no output column that a tensor can hold.");
        return (viewSchema, inputs, outputs);
    }

    private static DataViewSchema Schema(IEnumerable<DataViewSchema.Column> columns)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var column in columns)
            builder.AddColumn(column.Name, column.Type, column.Annotations);
        return builder.ToSchema();
    }

    private static DataViewSchema? OutputSchema(ITransformer transformer, DataViewSchema input)
    {
        try
        {
            return transformer.GetOutputSchema(input);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }
}
