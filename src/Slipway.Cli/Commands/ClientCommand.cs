using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Slipway.Cli.Output;
using Slipway.Client;

namespace Slipway.Cli.Commands;

/// <summary>What a client command's action gets: the parse result, a connected client and where to write.</summary>
internal sealed record ClientInvocation(ParseResult ParseResult, SlipwayClient Client, CliContext Cli, bool Json, CancellationToken CancellationToken)
{
    public T? Value<T>(Option<T> option) => ParseResult.GetValue(option);

    public T? Value<T>(Argument<T> argument) => ParseResult.GetValue(argument);

    public int WriteJson<T>(T value, JsonTypeInfo<T> type)
    {
        Cli.Out.WriteLine(CliJson.Serialize(value, type));
        return CliApp.Success;
    }
}

/// <summary>
/// Makes client commands: each gets the shared options (<c>--tracking-uri</c>, <c>--user</c>, <c>--token</c>, <c>--json</c>) and the
/// error handling that turns client failures into messages and exit codes. One instance per command tree.
/// </summary>
internal sealed class ClientCommandFactory(CliContext cli)
{
    public const string DefaultTrackingUri = "http://127.0.0.1:5000";
    public const string UserVariable = "SLIPWAY_USER";
    public const string TokenVariable = "SLIPWAY_TOKEN";

    private readonly Option<string> _trackingUri = new("--tracking-uri")
    {
        Description = "The Slipway (or MLflow) server. Default: $MLFLOW_TRACKING_URI, else " + DefaultTrackingUri + ".",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(SlipwayClient.TrackingUriVariable) is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : DefaultTrackingUri,
    };

    // The password only comes from the environment, so it does not end up in shell history or process listings.
    private readonly Option<string> _user = new("--user")
    {
        Description = "Who you are to the server (HTTP Basic user; the audit actor and approver). Default: $"
            + UserVariable + ", else $" + SlipwayClient.UserNameVariable + "; the password is read from $" + SlipwayClient.PasswordVariable + ".",
    };

    // A token on the command line is visible in process listings; the environment variables are the safer way.
    private readonly Option<string> _token = new("--token")
    {
        Description = "An access token (slw_…) sent as Authorization: Bearer; wins over --user. Default: $"
            + TokenVariable + ", else $" + SlipwayClient.TokenVariable + " (unless --user is given).",
    };

    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print the result as JSON (MLflow wire format) instead of a table.",
    };

    public CliContext Cli => cli;

    /// <param name="name">The command name.</param>
    /// <param name="description">The help text.</param>
    /// <param name="action">What the command does with a connected client.</param>
    /// <param name="identityUserOption">False for commands whose own <c>--user</c> names the user they act on
    /// (<c>tokens</c>, <c>permissions</c>); the caller is then named by the environment or <c>--token</c>.</param>
    public Command Create(string name, string description, Func<ClientInvocation, Task<int>> action, bool identityUserOption = true)
    {
        var command = new Command(name, description);
        command.Options.Add(_trackingUri);
        if (identityUserOption)
            command.Options.Add(_user);
        command.Options.Add(_token);
        command.Options.Add(_json);
        command.SetAction(async (parseResult, ct) =>
        {
            var uriText = parseResult.GetValue(_trackingUri) ?? DefaultTrackingUri;
            if (!Uri.TryCreate(uriText, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                return cli.Usage($"--tracking-uri must be an http(s) URL (got '{uriText}').");

            string? givenUser = null;
            if (identityUserOption && parseResult.GetValue(_user) is { Length: > 0 } named)
                givenUser = named;
            var user = givenUser ?? FromEnvironment(UserVariable) ?? FromEnvironment(SlipwayClient.UserNameVariable);

            // A token beats a user name (as in MLflow's client), but a --user typed now beats a token set in the environment.
            var token = parseResult.GetValue(_token) is { Length: > 0 } givenToken
                ? givenToken
                : givenUser is null ? FromEnvironment(TokenVariable) ?? FromEnvironment(SlipwayClient.TokenVariable) : null;
            using var client = new SlipwayClient(uri)
            {
                UserName = user,
                Password = user is null ? null : FromEnvironment(SlipwayClient.PasswordVariable),
                Token = token,
            };
            try
            {
                return await action(new ClientInvocation(parseResult, client, cli, parseResult.GetValue(_json), ct));
            }
            catch (SlipwayApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.Unauthorized)
            {
                var exitCode = cli.Fail($"{ex.ErrorCode}: {ex.Message}");
                cli.Error.WriteLine("hint: sign in with --token or $" + TokenVariable + " (or $" + SlipwayClient.TokenVariable
                    + "), or with --user and $" + SlipwayClient.PasswordVariable + ".");
                return exitCode;
            }
            catch (SlipwayApiException ex)
            {
                return cli.Fail($"{ex.ErrorCode}: {ex.Message}");
            }
            catch (HttpRequestException ex)
            {
                return cli.Fail($"cannot reach the Slipway server at {uri} ({ex.Message}). Is it running? Set --tracking-uri or MLFLOW_TRACKING_URI.");
            }
            catch (JsonException ex)
            {
                return cli.Fail($"the server at {uri} sent an answer that is not MLflow JSON ({ex.Message}).");
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                return cli.Fail($"the server at {uri} did not answer in time.");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException or InvalidOperationException)
            {
                return cli.Fail(ex.Message);
            }
        });
        return command;
    }

    private static string? FromEnvironment(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : null;
}
