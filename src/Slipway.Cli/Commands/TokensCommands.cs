using System.CommandLine;
using System.Globalization;
using Slipway.Cli.Output;
using Slipway.Client;

namespace Slipway.Cli.Commands;

/// <summary><c>slipway tokens create|list|revoke</c>: personal access tokens and endpoint tokens.</summary>
internal static class TokensCommands
{
    public static Command Create(ClientCommandFactory factory) =>
        new("tokens", "Create, list and revoke access tokens (personal tokens, and endpoint tokens for serving).")
        {
            CreateToken(factory),
            List(factory),
            Revoke(factory),
        };

    private static Command CreateToken(ClientCommandFactory factory)
    {
        var name = new Argument<string>("NAME") { Description = "A name for people, e.g. where the token is used (ci, notebook)." };
        var expiresIn = new Option<string>("--expires-in") { Description = "Lifetime: 30d (days), 4w (weeks), 1y (365 days) or a number of days. Default: the server's (90 days)." };
        var user = new Option<string>("--user") { Description = "Create a personal token for this user (administrators only). Default: yourself." };
        var endpoint = new Option<string>("--endpoint") { Description = "Create an endpoint token for this serving endpoint (needs MANAGE on it)." };
        var command = factory.Create("create", "Create a token and print its secret, once.", async call =>
        {
            int? days = null;
            if (call.Value(expiresIn) is { Length: > 0 } text)
            {
                if (ParseDays(text) is not { } parsed)
                    return call.Cli.Usage($"--expires-in must be a positive lifetime such as 30d, 4w, 1y or 30 (got '{text}').");
                days = parsed;
            }

            if (call.Value(user) is { Length: > 0 } && call.Value(endpoint) is { Length: > 0 })
                return call.Cli.Usage("--user and --endpoint exclude each other: a token is either a user's or an endpoint's.");
            var created = await call.Client.CreateTokenAsync(call.Value(name)!, days, call.Value(user), call.Value(endpoint), call.CancellationToken);
            if (call.Json)
                return call.WriteJson(created, SecurityCliJsonContext.Default.CreatedAccessToken);
            var token = created.Token;
            var expiry = token.ExpiryTime is { } ms ? "expires " + Tables.Time(ms) : "does not expire";
            await call.Cli.Out.WriteLineAsync($"Created {token.Kind} token {token.Id} '{token.Name}' for {token.Subject}; it {expiry}.");
            await call.Cli.Out.WriteLineAsync();
            await call.Cli.Out.WriteLineAsync($"    {created.Secret}");
            await call.Cli.Out.WriteLineAsync();
            await call.Cli.Out.WriteLineAsync(token.Kind == TokenKinds.Endpoint
                ? "Store it now: it is not shown again. Callers of the endpoint send it as 'Authorization: Bearer <token>'."
                : "Store it now: it is not shown again. Use it as MLFLOW_TRACKING_TOKEN (or SLIPWAY_TOKEN, --token, 'Authorization: Bearer <token>').");
            return CliApp.Success;
        }, identityUserOption: false);
        command.Arguments.Add(name);
        foreach (var option in new Option[] { expiresIn, user, endpoint })
            command.Options.Add(option);
        return command;
    }

    private static Command List(ClientCommandFactory factory)
    {
        var user = new Option<string>("--user") { Description = "This user's tokens (administrators). Default: your own." };
        var endpoint = new Option<string>("--endpoint") { Description = "This endpoint's tokens (needs MANAGE on it)." };
        var command = factory.Create("list", "List tokens, revoked and expired ones included; secrets are never shown.", async call =>
        {
            var tokens = await call.Client.ListTokensAsync(call.Value(user), call.Value(endpoint), call.CancellationToken);
            if (call.Json)
                return call.WriteJson(tokens, SecurityCliJsonContext.Default.IReadOnlyListAccessTokenInfo);
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var table = Tables.Create("ID", "Name", "Kind", "For", "Prefix", "Status", "Created", "Expires", "Last used", "Created by");
            foreach (var t in tokens)
            {
                table.AddTextRow(
                    t.Id, t.Name, t.Kind, t.Subject, t.Prefix + "…", Status(t, now), Tables.Time(t.CreationTime),
                    Tables.Time(t.ExpiryTime), Tables.Time(t.LastUsedTime), t.CreatedBy);
            }

            call.Cli.Console.Write(table);
            return CliApp.Success;
        }, identityUserOption: false);
        command.Options.Add(user);
        command.Options.Add(endpoint);
        return command;
    }

    private static Command Revoke(ClientCommandFactory factory)
    {
        var id = new Argument<string>("ID") { Description = "The token id (tok_…), as 'tokens list' shows it." };
        var command = factory.Create("revoke", "Revoke a token; it stops working at once.", async call =>
        {
            var token = await call.Client.RevokeTokenAsync(call.Value(id)!, call.CancellationToken);
            if (call.Json)
                return call.WriteJson(token, SecurityCliJsonContext.Default.AccessTokenInfo);
            await call.Cli.Out.WriteLineAsync($"Revoked token {token.Id} '{token.Name}' of {token.Subject}.");
            return CliApp.Success;
        }, identityUserOption: false);
        command.Arguments.Add(id);
        return command;
    }

    private static string Status(AccessTokenInfo token, long now) =>
        token.RevokedTime is not null ? "revoked" : token.IsActiveAt(now) ? "active" : "expired";

    /// <summary>Days in <c>30d</c>, <c>4w</c>, <c>1y</c> or <c>30</c>; null when the text is none of these or not positive.</summary>
    internal static int? ParseDays(string text)
    {
        text = text.Trim().ToLowerInvariant();
        var (digits, unit) = text.Length > 0 && char.IsLetter(text[^1]) ? (text[..^1], text[^1]) : (text, 'd');
        var daysPerUnit = unit switch { 'd' => 1, 'w' => 7, 'y' => 365, _ => 0 };
        if (daysPerUnit == 0 || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0 || count > 100_000)
            return null;
        return count * daysPerUnit;
    }
}
