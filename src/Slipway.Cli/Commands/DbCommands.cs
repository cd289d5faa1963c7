using System.CommandLine;
using Slipway.Core.Errors;
using Slipway.Server;

namespace Slipway.Cli.Commands;

/// <summary><c>slipway db upgrade</c>: applies schema migrations without starting the server.</summary>
internal static class DbCommands
{
    public static Command Create(CliContext cli)
    {
        var backendStoreUri = new Option<string>("--backend-store-uri")
        {
            Description = "Metadata store to upgrade (default: as for 'slipway server').",
        };
        var upgrade = new Command("upgrade", "Apply pending schema migrations to the metadata store.") { backendStoreUri };
        upgrade.SetAction(async (parseResult, ct) =>
        {
            var uri = parseResult.GetValue(backendStoreUri) ?? SlipwayHost.LoadOptions().BackendStoreUri;
            try
            {
                await SlipwayHost.UpgradeDatabaseAsync(uri, ct);
            }
            catch (SlipwayException ex)
            {
                return cli.Usage(ex.Message);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or ArgumentException or NotSupportedException)
            {
                return cli.Fail(ex.Message);
            }

            await cli.Out.WriteLineAsync($"Database {uri} is up to date.");
            return CliApp.Success;
        });

        return new Command("db", "Manage the metadata database.") { upgrade };
    }
}
