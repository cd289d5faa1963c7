using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Slipway.Cli.Output;
using Slipway.Client;

namespace Slipway.Cli.Commands;

/// <summary><c>slipway audit</c>: who changed what in the registry, oldest first.</summary>
internal static class AuditCommands
{
    private const int MaxValueChars = 40;
    private const int MaxSummaryChars = 160;

    public static Command Create(ClientCommandFactory factory)
    {
        var resource = new Option<string>("--resource") { Description = "Only this resource and everything below it, e.g. models/iris." };
        var action = new Option<string>("--action") { Description = "Only this action, e.g. model_version.transition_stage." };
        var since = new Option<string>("--since") { Description = "Only events from this time on: ISO 8601 (e.g. 2025-01-31T12:00Z) or Unix milliseconds." };
        var maxResults = new Option<int?>("--max-results") { Description = "Show at most the first N events; default: all." };
        var command = factory.Create("audit", "Show the audit log: who changed what, and how.", async call =>
        {
            long? sinceMs = null;
            if (call.Value(since) is { Length: > 0 } sinceText)
            {
                if (ParseTime(sinceText) is not { } parsed)
                    return call.Cli.Usage($"--since must be an ISO 8601 time or Unix milliseconds (got '{sinceText}').");
                sinceMs = parsed;
            }

            AuditEventsPage page;
            if (call.Value(maxResults) is { } size)
            {
                if (size <= 0)
                    return call.Cli.Usage("--max-results must be a positive number.");
                var result = await call.Client.SearchAuditEventsAsync(call.Value(resource), call.Value(action), sinceMs, size, ct: call.CancellationToken);
                page = new AuditEventsPage(result.Items, result.NextPageToken);
            }
            else
            {
                var events = new List<AuditEvent>();
                await foreach (var auditEvent in call.Client.SearchAllAuditEventsAsync(call.Value(resource), call.Value(action), sinceMs, ct: call.CancellationToken))
                    events.Add(auditEvent);
                page = new AuditEventsPage(events, null);
            }

            if (call.Json)
                return call.WriteJson(page, RegistryCliJsonContext.Default.AuditEventsPage);
            var table = Tables.Create("Time", "Actor", "Action", "Resource", "Change");
            foreach (var e in page.Events)
                table.AddTextRow(Tables.Time(e.Timestamp), e.Actor, e.Action, e.Resource, Summarize(e.Before, e.After));
            call.Cli.Console.Write(table);
            return CliApp.Success;
        });
        foreach (var option in new Option[] { resource, action, since, maxResults })
            command.Options.Add(option);
        return command;
    }

    internal static long? ParseTime(string text)
    {
        if (text.All(char.IsAsciiDigit))
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? ms : null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToUnixTimeMilliseconds()
            : null;
    }

    /// <summary>A one-line description of a change: <c>created</c>, <c>deleted</c>, or the fields that differ.</summary>
    internal static string Summarize(JsonElement? before, JsonElement? after)
    {
        var (hasBefore, hasAfter) = (IsPresent(before), IsPresent(after));
        if (!hasBefore)
            return hasAfter ? "created" : "";
        if (!hasAfter)
            return "deleted";
        var (old, now) = (before!.Value, after!.Value);
        if (old.ValueKind != JsonValueKind.Object || now.ValueKind != JsonValueKind.Object)
            return $"{Short(old)} → {Short(now)}";

        var oldFields = old.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        var changes = new List<string>();
        foreach (var field in now.EnumerateObject())
        {
            if (!oldFields.Remove(field.Name, out var previous))
                changes.Add($"{field.Name}: {Short(field.Value)}");
            else if (!JsonElement.DeepEquals(previous, field.Value))
                changes.Add($"{field.Name}: {Short(previous)} → {Short(field.Value)}");
        }

        changes.AddRange(oldFields.Keys.Select(removed => $"{removed} removed"));
        var summary = changes.Count == 0 ? "no change" : string.Join("; ", changes);
        return summary.Length <= MaxSummaryChars ? summary : summary[..(MaxSummaryChars - 1)] + "…";
    }

    private static bool IsPresent(JsonElement? value) => value is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) };

    private static string Short(JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText();
        return text.Length <= MaxValueChars ? text : text[..(MaxValueChars - 1)] + "…";
    }
}
