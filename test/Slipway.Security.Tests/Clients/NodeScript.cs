using System.Text.Json;
using Slipway.Testing;

namespace Slipway.Security.Tests.Clients;

/// <summary>Runs <c>mlflow-auth.test.mjs</c> (beside this file) with <c>node</c>, resolving the <c>mlflow</c> package from test/clients/node.</summary>
internal static class NodeScript
{
    private const string ScriptName = "mlflow-auth.test.mjs";
    private const string ResultProperty = "slipway_npm_auth_result";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public sealed record Outcome(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";

        /// <summary>The script's result line (the package also console.logs every POST body, so earlier lines are noise).</summary>
        public JsonElement Result()
        {
            var line = Stdout.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Contains(ResultProperty, StringComparison.Ordinal));
            Assert.True(line is not null, $"the script printed no {ResultProperty} line:\n{this}");
            using var document = JsonDocument.Parse(line);
            return document.RootElement.GetProperty(ResultProperty).Clone();
        }
    }

    /// <param name="environment">Variables for the script; the process's own MLflow variables are never inherited.</param>
    public static async Task<Outcome> RunAsync(IReadOnlyDictionary<string, string> environment)
    {
        var clients = NodeClients.Folder();
        Assert.True(File.Exists(Path.Combine(clients, "node_modules", "mlflow", "package.json")),
            $"The mlflow npm package is not installed in {clients}. Run ./scripts/test.sh (it runs `npm ci` there).");
        var script = Path.GetFullPath(Path.Combine(clients, "..", "..", "Slipway.Security.Tests", "Clients", ScriptName));
        Assert.True(File.Exists(script), $"{script} is missing.");

        var run = await NodeScriptRun.RunAsync(script, environment, Timeout);
        return new Outcome(run.ExitCode, run.Stdout, run.Stderr);
    }
}
