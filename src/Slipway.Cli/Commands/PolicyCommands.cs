using System.CommandLine;
using System.Globalization;
using Slipway.Cli.Output;
using Slipway.Client;

namespace Slipway.Cli.Commands;

/// <summary><c>slipway models policy get|set|delete</c>: which aliases and stages need approval, and the gates.</summary>
internal static class PolicyCommands
{
    public static Command Create(ClientCommandFactory factory) =>
        new("policy", "Show, set or remove a model's approval policy.")
        {
            Get(factory),
            Set(factory),
            Delete(factory),
        };

    private static Command Get(ClientCommandFactory factory)
    {
        var name = ModelCommands.NameArgument();
        var command = factory.Create("get", "Show a model's approval policy.", async call =>
        {
            var modelName = call.Value(name)!;
            var policy = await call.Client.GetApprovalPolicyAsync(modelName, call.CancellationToken);
            if (call.Json)
                return call.WriteJson(new PolicyResult(policy), RegistryCliJsonContext.Default.PolicyResult);
            if (policy is null)
                await call.Cli.Out.WriteLineAsync($"Registered model '{modelName}' has no approval policy: its aliases and stages can be set directly.");
            else
                call.Cli.Console.Write(PolicyTable(policy));
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        return command;
    }

    private static Command Set(ClientCommandFactory factory)
    {
        var name = ModelCommands.NameArgument();
        var aliases = Repeatable("--protect-alias", "An alias only an approved request may move; repeatable.");
        var stages = Repeatable("--protect-stage", "A stage only an approved request may put a version in; repeatable.");
        var gates = Repeatable("--gate", "A condition on the source run, e.g. \"metrics.auc >= 0.9\"; repeatable.");
        var tags = Repeatable("--require-tag", "A tag key the version or its run must have; repeatable.");
        var requiredApprovals = new Option<int>("--required-approvals") { Description = "Distinct approvers needed (1-10).", DefaultValueFactory = _ => 1 };
        var approverRole = new Option<string>("--approver-role")
        {
            Description = "The role approvers must hold.",
            DefaultValueFactory = _ => ApprovalPolicy.DefaultApproverRole,
        };
        var requireCard = new Option<bool>("--require-model-card") { Description = "The version must have a model card." };
        var command = factory.Create("set", "Set (replace) a model's approval policy.", async call =>
        {
            var policy = new ApprovalPolicy
            {
                ProtectedAliases = call.Value(aliases) ?? [],
                ProtectedStages = call.Value(stages) ?? [],
                RequiredApprovals = call.Value(requiredApprovals),
                ApproverRole = call.Value(approverRole)!,
                MetricGates = call.Value(gates) ?? [],
                RequiredTags = call.Value(tags) ?? [],
                RequireModelCard = call.Value(requireCard),
            };
            if (policy.ProtectedAliases.Count == 0 && policy.ProtectedStages.Count == 0)
                return call.Cli.Usage("a policy must protect something: give --protect-alias or --protect-stage.");
            var stored = await call.Client.SetApprovalPolicyAsync(call.Value(name)!, policy, call.CancellationToken);
            if (call.Json)
                return call.WriteJson(new PolicyResult(stored), RegistryCliJsonContext.Default.PolicyResult);
            call.Cli.Console.Write(PolicyTable(stored));
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        foreach (var option in new Option[] { aliases, stages, requiredApprovals, approverRole, gates, tags, requireCard })
            command.Options.Add(option);
        return command;
    }

    private static Command Delete(ClientCommandFactory factory)
    {
        var name = ModelCommands.NameArgument();
        var command = factory.Create("delete", "Remove a model's approval policy; its aliases and stages become unprotected.", async call =>
        {
            var modelName = call.Value(name)!;
            await call.Client.DeleteApprovalPolicyAsync(modelName, call.CancellationToken);
            if (call.Json)
                return call.WriteJson(new EmptyResult(), RegistryCliJsonContext.Default.EmptyResult);
            await call.Cli.Out.WriteLineAsync($"Removed the approval policy of '{modelName}'.");
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        return command;
    }

    private static Option<string[]> Repeatable(string name, string description) => new(name) { Description = description };

    private static Spectre.Console.Table PolicyTable(ApprovalPolicy policy)
    {
        var table = Tables.Create("Setting", "Value");
        table.AddTextRow("protected_aliases", string.Join(", ", policy.ProtectedAliases));
        table.AddTextRow("protected_stages", string.Join(", ", policy.ProtectedStages));
        table.AddTextRow("required_approvals", policy.RequiredApprovals.ToString(CultureInfo.InvariantCulture));
        table.AddTextRow("approver_role", policy.ApproverRole);
        table.AddTextRow("metric_gates", string.Join("; ", policy.MetricGates));
        table.AddTextRow("required_tags", string.Join(", ", policy.RequiredTags));
        table.AddTextRow("require_model_card", policy.RequireModelCard ? "yes" : "no");
        return table;
    }
}
