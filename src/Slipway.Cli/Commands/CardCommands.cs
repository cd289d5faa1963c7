using System.CommandLine;
using System.Globalization;
using Slipway.Cli.Output;
using Slipway.Client;

namespace Slipway.Cli.Commands;

/// <summary><c>slipway models card get|set|export</c>: a version's model card.</summary>
internal static class CardCommands
{
    public static Command Create(ClientCommandFactory factory) =>
        new("card", "Show, write or export a model version's model card.")
        {
            Get(factory),
            Set(factory),
            Export(factory),
        };

    private static Command Get(ClientCommandFactory factory)
    {
        var (name, version) = (ModelCommands.NameArgument(), ModelCommands.VersionArgument());
        var command = factory.Create("get", "Show a version's model card.", async call =>
        {
            var (modelName, versionNumber) = (call.Value(name)!, call.Value(version)!);
            var card = await call.Client.GetModelCardAsync(modelName, versionNumber, call.CancellationToken);
            if (card is null)
                return call.Cli.Fail($"version {versionNumber} of '{modelName}' has no model card; write one with 'slipway models card set'.");
            if (call.Json)
                return call.WriteJson(card, RegistryCliJsonContext.Default.ModelCard);
            var table = Tables.Create("Field", "Value");
            table.AddTextRow("intended_use", card.IntendedUse);
            table.AddTextRow("training_data", card.TrainingData);
            table.AddTextRow("limitations", card.Limitations);
            table.AddTextRow("owners", string.Join(", ", card.Owners));
            foreach (var metric in card.EvaluationMetrics)
                table.AddTextRow("metrics." + metric.Name, Tables.Number(metric.Value) + (metric.Dataset is null ? "" : $" (on {metric.Dataset})"));
            table.AddTextRow("updated", $"{Tables.Time(card.UpdatedTimestamp)} by {card.UpdatedBy}");
            call.Cli.Console.Write(table);
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        command.Arguments.Add(version);
        return command;
    }

    private static Command Set(ClientCommandFactory factory)
    {
        var (name, version) = (ModelCommands.NameArgument(), ModelCommands.VersionArgument());
        var intendedUse = new Option<string>("--intended-use") { Description = "What the model is for, and not for." };
        var trainingData = new Option<string>("--training-data") { Description = "What it was trained on." };
        var limitations = new Option<string>("--limitations") { Description = "Known limitations and risks." };
        var owners = new Option<string[]>("--owner") { Description = "A responsible person or team; repeatable (replaces the owners)." };
        var metrics = new Option<string[]>("--metric") { Description = "An evaluation metric NAME=VALUE[@DATASET]; repeatable (replaces the metrics)." };
        var command = factory.Create("set", "Write a version's model card; fields not given keep their current value.", async call =>
        {
            var parsedMetrics = new List<CardMetric>();
            foreach (var text in call.Value(metrics) ?? [])
            {
                if (ParseMetric(text) is not { } metric)
                    return call.Cli.Usage($"--metric must look like auc=0.93 or auc=0.93@holdout (got '{text}').");
                parsedMetrics.Add(metric);
            }

            var (modelName, versionNumber) = (call.Value(name)!, call.Value(version)!);
            var card = await call.Client.GetModelCardAsync(modelName, versionNumber, call.CancellationToken) ?? new ModelCard();
            card = card with
            {
                IntendedUse = call.Value(intendedUse) ?? card.IntendedUse,
                TrainingData = call.Value(trainingData) ?? card.TrainingData,
                Limitations = call.Value(limitations) ?? card.Limitations,
                Owners = call.Value(owners) is { Length: > 0 } givenOwners ? givenOwners : card.Owners,
                EvaluationMetrics = parsedMetrics.Count > 0 ? parsedMetrics : card.EvaluationMetrics,
            };
            var stored = await call.Client.SetModelCardAsync(modelName, versionNumber, card, call.CancellationToken);
            if (call.Json)
                return call.WriteJson(stored, RegistryCliJsonContext.Default.ModelCard);
            await call.Cli.Out.WriteLineAsync($"Wrote the model card of version {versionNumber} of '{modelName}'.");
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        command.Arguments.Add(version);
        foreach (var option in new Option[] { intendedUse, trainingData, limitations, owners, metrics })
            command.Options.Add(option);
        return command;
    }

    private static Command Export(ClientCommandFactory factory)
    {
        var (name, version) = (ModelCommands.NameArgument(), ModelCommands.VersionArgument());
        var output = new Option<string>("--out") { Description = "Write the Markdown to this file instead of standard output." };
        var command = factory.Create("export", "Print a version's model card as Markdown.", async call =>
        {
            var markdown = await call.Client.GetModelCardMarkdownAsync(call.Value(name)!, call.Value(version)!, call.CancellationToken);
            if (call.Value(output) is { Length: > 0 } path)
            {
                await File.WriteAllTextAsync(path, markdown, call.CancellationToken);
                await call.Cli.Out.WriteLineAsync($"Wrote the model card to {path}.");
            }
            else
            {
                await call.Cli.Out.WriteAsync(markdown);
            }

            return CliApp.Success;
        });
        command.Arguments.Add(name);
        command.Arguments.Add(version);
        command.Options.Add(output);
        return command;
    }

    private static CardMetric? ParseMetric(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
            return null;
        var value = text[(equals + 1)..];
        var at = value.IndexOf('@', StringComparison.Ordinal);
        var dataset = at >= 0 ? value[(at + 1)..] : null;
        if (at >= 0)
            value = value[..at];
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? new CardMetric(text[..equals].Trim(), number, string.IsNullOrWhiteSpace(dataset) ? null : dataset.Trim())
            : null;
    }
}
