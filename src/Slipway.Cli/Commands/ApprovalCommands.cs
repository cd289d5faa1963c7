using System.CommandLine;
using System.Globalization;
using Slipway.Cli.Output;
using Slipway.Client;
using Spectre.Console;

namespace Slipway.Cli.Commands;

/// <summary><c>slipway models approvals list|request|approve|reject</c>.</summary>
internal static class ApprovalCommands
{
    public static Command Create(ClientCommandFactory factory) =>
        new("approvals", "Request and decide changes to protected aliases and stages.")
        {
            List(factory),
            Request(factory),
            Decide(factory, "approve", "Approve a request; with enough approvals the alias or stage changes."),
            Decide(factory, "reject", "Reject a request; nothing changes."),
        };

    private static Command List(ClientCommandFactory factory)
    {
        var model = new Option<string>("--model") { Description = "Only this model's requests." };
        var status = new Option<string>("--status") { Description = "Only requests in this state." };
        status.AcceptOnlyFromAmong(ApprovalStatuses.Pending, ApprovalStatuses.Approved, ApprovalStatuses.Rejected);
        var command = factory.Create("list", "List approval requests, oldest first.", async call =>
        {
            var requests = new List<ApprovalRequest>();
            await foreach (var request in call.Client.SearchAllApprovalRequestsAsync(call.Value(model), call.Value(status), ct: call.CancellationToken))
                requests.Add(request);
            if (call.Json)
                return call.WriteJson(requests, RegistryCliJsonContext.Default.ListApprovalRequest);
            var table = Tables.Create("ID", "Model", "Version", "Target", "Status", "Requester", "Approvals", "Created");
            foreach (var r in requests)
            {
                table.AddTextRow(
                    r.Id.ToString(CultureInfo.InvariantCulture), r.ModelName, r.Version, r.Target.ToString(), r.Status, r.Requester, Approvals(r), Tables.Time(r.CreatedTimestamp));
            }

            call.Cli.Console.Write(table);
            return CliApp.Success;
        });
        command.Options.Add(model);
        command.Options.Add(status);
        return command;
    }

    private static Command Request(ClientCommandFactory factory)
    {
        var name = ModelCommands.NameArgument();
        var version = new Option<string>("--version") { Description = "The version to promote.", Required = true };
        var alias = new Option<string>("--alias") { Description = "The protected alias to point at the version." };
        var stage = new Option<string>("--stage") { Description = "The protected stage to move the version to." };
        var comment = new Option<string>("--comment") { Description = "Why, for the approvers." };
        var command = factory.Create("request", "Ask approvers to point a protected alias at a version or move it to a protected stage.", async call =>
        {
            var (aliasName, stageName) = (call.Value(alias), call.Value(stage));
            if (string.IsNullOrEmpty(aliasName) == string.IsNullOrEmpty(stageName))
                return call.Cli.Usage("give exactly one of --alias and --stage.");
            var target = aliasName is { Length: > 0 } ? ApprovalTarget.ForAlias(aliasName) : ApprovalTarget.ForStage(stageName!);
            var request = await call.Client.RequestApprovalAsync(call.Value(name)!, call.Value(version)!, target, call.Value(comment), call.CancellationToken);
            if (call.Json)
                return call.WriteJson(request, RegistryCliJsonContext.Default.ApprovalRequest);
            await call.Cli.Out.WriteLineAsync(
                $"Opened approval request {Id(request)}: {request.Target} → version {request.Version} of '{request.ModelName}', "
                + $"needs {request.RequiredApprovals} approval(s).");
            WriteDetails(call.Cli.Console, request);
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        foreach (var option in new Option[] { version, alias, stage, comment })
            command.Options.Add(option);
        return command;
    }

    private static Command Decide(ClientCommandFactory factory, string decision, string description)
    {
        var id = new Argument<long>("ID") { Description = "The approval request id." };
        var comment = new Option<string>("--comment") { Description = "A note for the requester and the audit log." };
        var command = factory.Create(decision, description, async call =>
        {
            var requestId = call.Value(id);
            var request = decision == "approve"
                ? await call.Client.ApproveAsync(requestId, call.Value(comment), call.CancellationToken)
                : await call.Client.RejectAsync(requestId, call.Value(comment), call.CancellationToken);
            if (call.Json)
                return call.WriteJson(request, RegistryCliJsonContext.Default.ApprovalRequest);
            var outcome = request.Status switch
            {
                ApprovalStatuses.Approved => $"approved: version {request.Version} of '{request.ModelName}' now has {request.Target}",
                ApprovalStatuses.Rejected => "rejected",
                _ => $"still pending ({Approvals(request)} approvals)",
            };
            await call.Cli.Out.WriteLineAsync($"Request {Id(request)} is {outcome}.");
            WriteDetails(call.Cli.Console, request);
            return CliApp.Success;
        });
        command.Arguments.Add(id);
        command.Options.Add(comment);
        return command;
    }

    private static void WriteDetails(IAnsiConsole console, ApprovalRequest request)
    {
        if (request.Gates.Count > 0)
        {
            var gates = Tables.Create("Gate", "Result", "Found");
            foreach (var gate in request.Gates)
                gates.AddTextRow(gate.Condition, gate.Passed ? "passed" : "FAILED", gate.Detail);
            console.Write(gates);
        }

        if (request.Decisions.Count > 0)
        {
            var decisions = Tables.Create("Approver", "Decision", "Comment", "Time");
            foreach (var d in request.Decisions)
                decisions.AddTextRow(d.Approver, d.Decision, d.Comment, Tables.Time(d.Timestamp));
            console.Write(decisions);
        }
    }

    private static string Id(ApprovalRequest request) => "#" + request.Id.ToString(CultureInfo.InvariantCulture);

    private static string Approvals(ApprovalRequest request) =>
        $"{request.Decisions.Count(d => d.Decision == "approve")}/{request.RequiredApprovals}";
}
