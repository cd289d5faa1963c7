using System.CommandLine;
using Slipway.Cli.Output;
using Slipway.Client;

namespace Slipway.Cli.Commands;

/// <summary><c>slipway experiments list|create|delete</c>.</summary>
internal static class ExperimentCommands
{
    public static Command Create(ClientCommandFactory factory) =>
        new("experiments", "List, create and delete experiments.")
        {
            List(factory),
            CreateExperiment(factory),
            Delete(factory),
        };

    private static Command List(ClientCommandFactory factory)
    {
        var view = ViewOption.Create();
        var command = factory.Create("list", "List experiments.", async call =>
        {
            var experiments = new List<Experiment>();
            await foreach (var experiment in call.Client.SearchAllExperimentsAsync(viewType: ViewOption.Parse(call.Value(view)), ct: call.CancellationToken))
                experiments.Add(experiment);
            if (call.Json)
                return call.WriteJson(experiments, CliJsonContext.Default.ListExperiment);

            var table = Tables.Create("ID", "Name", "Stage", "Artifact location", "Created");
            foreach (var e in experiments)
                table.AddTextRow(e.ExperimentId, e.Name, e.LifecycleStage, e.ArtifactLocation, Tables.Time(e.CreationTime));
            call.Cli.Console.Write(table);
            return CliApp.Success;
        });
        command.Options.Add(view);
        return command;
    }

    private static Command CreateExperiment(ClientCommandFactory factory)
    {
        var name = new Argument<string>("NAME") { Description = "The experiment name (unique)." };
        var artifactLocation = new Option<string>("--artifact-location") { Description = "Where to store the experiment's artifacts (default: chosen by the server)." };
        var command = factory.Create("create", "Create an experiment.", async call =>
        {
            var experimentName = call.Value(name)!;
            var id = await call.Client.CreateExperimentAsync(experimentName, call.Value(artifactLocation), ct: call.CancellationToken);
            if (call.Json)
                return call.WriteJson(new CreatedExperiment(id), CliJsonContext.Default.CreatedExperiment);
            await call.Cli.Out.WriteLineAsync($"Created experiment '{experimentName}' with id {id}.");
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        command.Options.Add(artifactLocation);
        return command;
    }

    private static Command Delete(ClientCommandFactory factory)
    {
        var id = new Argument<string>("ID") { Description = "The experiment id." };
        var command = factory.Create("delete", "Delete an experiment (it can be restored).", async call =>
        {
            var experimentId = call.Value(id)!;
            await call.Client.DeleteExperimentAsync(experimentId, call.CancellationToken);
            if (call.Json)
                return call.WriteJson(new EmptyResult(), CliJsonContext.Default.EmptyResult);
            await call.Cli.Out.WriteLineAsync($"Deleted experiment {experimentId}.");
            return CliApp.Success;
        });
        command.Arguments.Add(id);
        return command;
    }
}
