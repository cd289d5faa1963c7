using Microsoft.ML;
using Microsoft.ML.Data;
using Slipway.Core.Errors;
using Slipway.Monitoring.Data;
using Slipway.Training.Data;
using Slipway.Training.Tabular;

namespace Slipway.Training.Evaluation;

/// <summary>What to evaluate against: the label column of the holdout and the task the model was trained for.</summary>
public sealed record EvaluationOptions
{
    public required string Label { get; init; }

    public required TrainingTask Task { get; init; }

    /// <summary>For a binary task on a two-class string label: the class that counts as positive (as in training).</summary>
    public string? PositiveClass { get; init; }
}

/// <summary>
/// The metrics of one model on one holdout, named as <c>slipway train</c> names them. <see cref="UnseenClassRows"/>
/// counts multiclass rows whose class the model never saw; ML.NET's evaluator leaves those rows out.
/// </summary>
public sealed record EvaluationResult(IReadOnlyDictionary<string, double> Metrics, int Rows, int UnseenClassRows);

/// <summary>
/// Scores a holdout with a saved ML.NET model (an MLflow model directory's <c>model.zip</c>) and computes the
/// training metrics on it. The holdout's columns are matched to the model's inputs by name; extra columns are
/// ignored. Evaluation is CPU-bound and synchronous; callers that must stay responsive run it on a pool thread.
/// </summary>
public static class ModelEvaluator
{
    /// <param name="modelDirectory">An MLflow model directory with the mlnet flavor.</param>
    /// <param name="holdout">Rows with every model input and the label.</param>
    /// <param name="options">Label and task.</param>
    /// <exception cref="SlipwayException">INVALID_PARAMETER_VALUE for a missing model file, input or label column, or labels that do not fit the task.</exception>
    public static EvaluationResult Evaluate(string modelDirectory, DataFrame holdout, EvaluationOptions options)
    {
        var info = ModelDirectoryInfo.Read(modelDirectory);
        var context = new MLContext(seed: 0);
        ITransformer model;
        DataViewSchema inputSchema;
        try
        {
            model = context.Model.Load(info.ModelFile, out inputSchema);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or InvalidDataException)
        {
            throw SlipwayException.InvalidParameter($"The model file '{Path.GetFileName(info.ModelFile)}' is not a readable ML.NET model ({e.Message}).");
        }
        return Evaluate(context, model, inputSchema, holdout, options);
    }

    internal static EvaluationResult Evaluate(MLContext context, ITransformer model, DataViewSchema inputSchema, DataFrame holdout, EvaluationOptions options)
    {
        if (holdout.RowCount == 0)
            throw SlipwayException.InvalidParameter("The holdout has no rows.");
        var label = holdout.Find(options.Label)
            ?? throw SlipwayException.InvalidParameter($"The holdout has no label column '{options.Label}' (columns: {string.Join(", ", holdout.Columns.Select(c => c.Name))}).");

        var columns = InputColumns(inputSchema, holdout);
        var trainingOptions = new TrainingOptions { Label = options.Label, Task = options.Task, PositiveClass = options.PositiveClass };
        columns.Add(LabelConverter.Convert(label, trainingOptions));
        var view = new ArrayDataView(columns, holdout.RowCount);
        var scored = model.Transform(view);

        var unseen = 0;
        if (options.Task == TrainingTask.Multiclass)
            (scored, unseen) = MapLabelToModelClasses(context, scored, columns[^1]);
        else if (options.Task == TrainingTask.Binary && scored.Schema.GetColumnOrNull("Probability") is null)
            throw SlipwayException.InvalidParameter("The model is not a binary classifier (it has no Probability output); check the task.");
        else if (options.Task == TrainingTask.Regression && scored.Schema.GetColumnOrNull("PredictedLabel") is not null)
            throw SlipwayException.InvalidParameter("The model is a classifier (it predicts labels), not a regression model; check the task.");

        Dictionary<string, double> metrics;
        try
        {
            metrics = MetricsCalculator.Evaluate(context, options.Task, scored);
        }
        catch (ArgumentOutOfRangeException e)
        {
            // ML.NET names the missing or mistyped column (Score, Label) when the model does not match the task.
            throw SlipwayException.InvalidParameter($"The model's outputs do not fit a {options.Task.ToString().ToLowerInvariant()} evaluation: {e.Message}");
        }
        return new EvaluationResult(metrics, holdout.RowCount, unseen);
    }

    private static List<ArrayColumn> InputColumns(DataViewSchema inputSchema, DataFrame holdout)
    {
        var missing = inputSchema.Select(c => c.Name).Where(n => holdout.Find(n) is null).ToList();
        if (missing.Count > 0)
            throw SlipwayException.InvalidParameter($"The holdout lacks model input column(s) {string.Join(", ", missing)}.");

        var columns = new List<ArrayColumn>(inputSchema.Count + 1);
        foreach (var input in inputSchema)
        {
            var column = holdout.Find(input.Name)!;
            if (input.Type is TextDataViewType)
            {
                var text = new string?[column.Length];
                for (var i = 0; i < text.Length; i++)
                    text[i] = column.Strings is { } strings ? strings[i] : column.Display(i);
                columns.Add(ArrayColumn.Text(input.Name, FrameConverter.ToText(text)));
            }
            else if (input.Type is NumberDataViewType && column.IsNumeric)
            {
                columns.Add(ArrayColumn.Single(input.Name, Array.ConvertAll(column.Numbers!, v => (float)v)));
            }
            else if (input.Type is BooleanDataViewType && column.IsNumeric)
            {
                columns.Add(ArrayColumn.Boolean(input.Name, Array.ConvertAll(column.Numbers!, v => v != 0)));
            }
            else
            {
                throw SlipwayException.InvalidParameter($"Holdout column '{input.Name}' holds text; the model reads it as {input.Type}.");
            }
        }
        return columns;
    }

    /// <summary>
    /// Training fitted the multiclass label map outside the saved model; its classes survive as the slot names of the
    /// model's Score column, so the holdout's labels are mapped to keys in that order.
    /// </summary>
    private static (IDataView Scored, int Unseen) MapLabelToModelClasses(MLContext context, IDataView scored, ArrayColumn label)
    {
        var score = scored.Schema.GetColumnOrNull("Score")
            ?? throw SlipwayException.InvalidParameter("The model has no Score output; check the task.");
        if (score.Type is not VectorDataViewType || !score.HasSlotNames())
            throw SlipwayException.InvalidParameter("The model is not a multiclass classifier with named classes; check the task.");
        var slotNames = default(VBuffer<ReadOnlyMemory<char>>);
        score.GetSlotNames(ref slotNames);
        var classes = slotNames.DenseValues().Select(v => v.ToString()).ToArray();

        var known = new HashSet<string>(classes, StringComparer.Ordinal);
        var unseen = 0;
        foreach (var value in (ReadOnlyMemory<char>[])label.Values)
        {
            if (!known.Contains(value.ToString()))
                unseen++;
        }
        if (unseen == label.Values.Length)
            throw SlipwayException.InvalidParameter($"No holdout row has a class the model knows ({string.Join(", ", classes.Take(10))}).");

        var keyData = new ArrayDataView([ArrayColumn.Text("Class", classes.Select(c => c.AsMemory()).ToArray())], classes.Length);
        var mapping = context.Transforms.Conversion.MapValueToKey(
            FrameConverter.LabelColumn, FrameConverter.LabelColumn, keyData: keyData);
        return (mapping.Fit(scored).Transform(scored), unseen);
    }
}
