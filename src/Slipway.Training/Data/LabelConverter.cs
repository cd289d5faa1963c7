using Slipway.Core.Errors;
using Slipway.Monitoring.Data;
using Slipway.Training.Tabular;

namespace Slipway.Training.Data;

/// <summary>
/// Types the label for the task: binary → Boolean (0/1, True/False, or two string classes with a positive class),
/// multiclass → text (mapped to a key before training), regression → Single. Rows without a label are rejected
/// rather than dropped, because silently training on fewer rows hides a data problem.
/// </summary>
internal static class LabelConverter
{
    public static ArrayColumn Convert(DataColumn label, TrainingOptions options)
    {
        var missing = FirstMissing(label);
        if (missing >= 0)
            throw SlipwayException.InvalidParameter($"Label column '{label.Name}' is missing a value in row {missing + 1}.");

        return options.Task switch
        {
            TrainingTask.Binary => ArrayColumn.Boolean(FrameConverter.LabelColumn, Binary(label, options.PositiveClass)),
            TrainingTask.Multiclass => ArrayColumn.Text(FrameConverter.LabelColumn, Multiclass(label)),
            _ => ArrayColumn.Single(FrameConverter.LabelColumn, Regression(label)),
        };
    }

    private static int FirstMissing(DataColumn label)
    {
        for (var i = 0; i < label.Length; i++)
        {
            if (label.Numbers is { } numbers ? double.IsNaN(numbers[i]) : string.IsNullOrEmpty(label.Strings![i]))
                return i;
        }
        return -1;
    }

    private static bool[] Binary(DataColumn label, string? positiveClass)
    {
        // Numeric 0/1 and bool labels are the common case; reading the numbers avoids formatting every row as text.
        if (label.IsNumeric && positiveClass is null && Array.TrueForAll(label.Numbers!, v => v is 0 or 1))
        {
            var flags = Array.ConvertAll(label.Numbers!, v => v == 1);
            return Array.IndexOf(flags, true) >= 0 && Array.IndexOf(flags, false) >= 0 ? flags : throw OneClass(label);
        }

        var classes = Enumerable.Range(0, label.Length).Select(label.Display).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (classes.Count < 2)
            throw OneClass(label);
        if (classes.Count > 2)
            throw SlipwayException.InvalidParameter($"A binary label has two classes; '{label.Name}' has {classes.Count} ({string.Join(", ", classes.Take(5))}…). Use --task multiclass.");
        if (positiveClass is not null && !classes.Contains(positiveClass))
            throw SlipwayException.InvalidParameter($"The positive class '{positiveClass}' is not a value of label column '{label.Name}' ({string.Join(", ", classes)}).");
        var positive = positiveClass ?? DefaultPositive(label, classes!);
        var result = new bool[label.Length];
        for (var i = 0; i < result.Length; i++)
            result[i] = string.Equals(label.Display(i), positive, StringComparison.Ordinal);
        return result;
    }

    private static SlipwayException OneClass(DataColumn label) =>
        SlipwayException.InvalidParameter($"Label column '{label.Name}' holds a single class; a binary model needs rows of both classes.");

    private static string DefaultPositive(DataColumn label, List<string> classes)
    {
        if (classes.TrueForAll(c => c is "0" or "1"))
            return "1";
        if (classes.TrueForAll(c => c is "True" or "False"))
            return "True";
        if (classes.TrueForAll(c => c.Equals("true", StringComparison.OrdinalIgnoreCase) || c.Equals("false", StringComparison.OrdinalIgnoreCase)))
            return classes.First(c => c.Equals("true", StringComparison.OrdinalIgnoreCase));
        throw SlipwayException.InvalidParameter(
            $"Label column '{label.Name}' has classes {string.Join(" and ", classes)}; name the positive class (--positive-class).");
    }

    private static ReadOnlyMemory<char>[] Multiclass(DataColumn label)
    {
        var text = new string?[label.Length];
        for (var i = 0; i < text.Length; i++)
            text[i] = label.Display(i);
        return FrameConverter.ToText(text);
    }

    private static float[] Regression(DataColumn label)
    {
        if (!label.IsNumeric)
            throw SlipwayException.InvalidParameter($"A regression label must be numeric; '{label.Name}' holds text.");
        var result = new float[label.Length];
        for (var i = 0; i < result.Length; i++)
            result[i] = (float)label.Numbers![i];
        return result;
    }
}
