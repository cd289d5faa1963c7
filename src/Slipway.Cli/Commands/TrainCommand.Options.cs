using System.CommandLine;
using Slipway.Training.Tabular;

namespace Slipway.Cli.Commands;

/// <summary>The options of <c>slipway train</c>, and the checks between them that the parser cannot express.</summary>
internal sealed class TrainOptions
{
    public Option<string> Data { get; } = new("--data") { Description = "The training rows: a .csv file with a header row, or a .parquet file.", Required = true };

    public Option<string> Label { get; } = new("--label") { Description = "The column to predict.", Required = true };

    public Option<string> Task { get; } = new("--task") { Description = "The learning task: binary, multiclass or regression.", Required = true };

    public Option<string> Trainer { get; } = new("--trainer")
    {
        Description = "The ML.NET trainer: lightgbm, fasttree, sdca, or auto (compares the three on a 20,000-row sample).",
        DefaultValueFactory = _ => "auto",
    };

    public Option<string> Experiment { get; } = new("--experiment") { Description = "Experiment name (created when missing) or id. Default: Default." };

    public Option<string> RunName { get; } = new("--run-name") { Description = "A name for the run." };

    public Option<string> RegisterAs { get; } = new("--register-as") { Description = "Register the trained model as a new version of this model." };

    public Option<double?> ValidationFraction { get; } = new("--validation-fraction") { Description = "Share of rows held out for validation (0–1). Default: 0.2." };

    public Option<int?> CrossValidation { get; } = new("--cv") { Description = "K-fold cross-validation with K ≥ 2 folds, instead of a hold-out split." };

    public Option<string> PositiveClass { get; } = new("--positive-class") { Description = "For a binary task on a text label: the class that counts as positive." };

    public Option<string[]> Exclude { get; } = new("--exclude") { Description = "A column to leave out of the features (repeatable).", AllowMultipleArgumentsPerToken = false };

    public Option<int> Seed { get; } = new("--seed") { Description = "Random seed for the split and the trainer. Default: 0." };

    public Option<int?> Iterations { get; } = new("--iterations") { Description = "Boosting rounds (LightGBM, FastTree) or maximum passes (SDCA)." };

    public Option<int?> Leaves { get; } = new("--leaves") { Description = "Leaves per tree (LightGBM, FastTree)." };

    public Option<double?> LearningRate { get; } = new("--learning-rate") { Description = "Learning rate (LightGBM, FastTree)." };

    public Option<bool> NoOnnx { get; } = new("--no-onnx") { Description = "Skip the ONNX export and its verification." };

    public TrainOptions()
    {
        Task.AcceptOnlyFromAmong("binary", "multiclass", "regression");
        Trainer.AcceptOnlyFromAmong("lightgbm", "fasttree", "sdca", "auto");
    }

    public void AddTo(Command command)
    {
        Option[] all = [Data, Label, Task, Trainer, Experiment, RunName, RegisterAs, ValidationFraction, CrossValidation,
            PositiveClass, Exclude, Seed, Iterations, Leaves, LearningRate, NoOnnx];
        foreach (var option in all)
            command.Options.Add(option);
    }

    /// <summary>A usage message for option combinations the parser accepts but training cannot; null when they are fine.</summary>
    public string? Validate(ClientInvocation call)
    {
        var folds = call.Value(CrossValidation);
        var fraction = call.Value(ValidationFraction);
        if (folds is not null && fraction is not null)
            return "--cv and --validation-fraction are alternatives: cross-validation uses every row for validation once.";
        if (folds is < 2)
            return $"--cv needs at least 2 folds (got {folds}).";
        if (fraction is <= 0 or >= 1)
            return $"--validation-fraction must be between 0 and 1, exclusive (got {fraction}).";
        if (call.Value(Iterations) is < 1 || call.Value(Leaves) is < 2 || call.Value(LearningRate) is <= 0)
            return "hyper-parameters must be positive: --iterations ≥ 1, --leaves ≥ 2, --learning-rate > 0.";
        return null;
    }

    public TrainingOptions ToTrainingOptions(ClientInvocation call) => new()
    {
        Label = call.Value(Label)!,
        Task = Enum.Parse<TrainingTask>(call.Value(Task)!, ignoreCase: true),
        Trainer = Enum.Parse<TrainerKind>(call.Value(Trainer)!, ignoreCase: true),
        Seed = call.Value(Seed),
        ValidationFraction = call.Value(ValidationFraction) ?? 0.2,
        CrossValidationFolds = call.Value(CrossValidation) ?? 0,
        PositiveClass = call.Value(PositiveClass),
        NumberOfIterations = call.Value(Iterations),
        NumberOfLeaves = call.Value(Leaves),
        LearningRate = call.Value(LearningRate),
        ExcludedColumns = call.Value(Exclude) ?? [],
    };
}
