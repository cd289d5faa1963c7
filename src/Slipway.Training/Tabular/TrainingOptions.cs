namespace Slipway.Training.Tabular;

/// <summary>The learning task: what the label is and which metrics apply.</summary>
public enum TrainingTask
{
    Binary,
    Multiclass,
    Regression,
}

/// <summary>The ML.NET trainer; <see cref="Auto"/> fits LightGBM, FastTree and SDCA on a sample of up to 20,000 training rows and trains the best of them (ties go to LightGBM).</summary>
public enum TrainerKind
{
    Auto,
    LightGbm,
    FastTree,
    Sdca,
}

/// <summary>What to train and how to validate it. Unset hyper-parameters take the defaults recorded in <see cref="TrainingResult.Parameters"/>.</summary>
public sealed record TrainingOptions
{
    public required string Label { get; init; }

    public required TrainingTask Task { get; init; }

    public TrainerKind Trainer { get; init; } = TrainerKind.Auto;

    public int Seed { get; init; }

    /// <summary>Share of rows held out for validation when <see cref="CrossValidationFolds"/> is 0.</summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>K for k-fold cross-validation (K ≥ 2); 0 means a single train/validation split.</summary>
    public int CrossValidationFolds { get; init; }

    /// <summary>For a binary task on a two-class string label: the class that counts as positive.</summary>
    public string? PositiveClass { get; init; }

    /// <summary>Boosting rounds (trees) for LightGBM/FastTree; maximum passes for SDCA.</summary>
    public int? NumberOfIterations { get; init; }

    public int? NumberOfLeaves { get; init; }

    public double? LearningRate { get; init; }

    public int? MinimumExampleCountPerLeaf { get; init; }

    /// <summary>Columns to leave out of the features (ids, timestamps, leakage).</summary>
    public IReadOnlyList<string> ExcludedColumns { get; init; } = [];
}

/// <summary>Where training is: a phase name and the overall fraction done (0–1).</summary>
public readonly record struct TrainingProgress(string Phase, double Fraction);
