using System.Text.RegularExpressions;
using Slipway.Cli;
using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Cli;

/// <summary><c>slipway server</c> and <c>slipway db upgrade</c>, run in-process.</summary>
public sealed partial class ServerCommandTests
{
    [Fact]
    public async Task Server_InvalidBackendStoreUri_ExitsTwoWithProblem()
    {
        var result = await CliRunner.RunAsync("server", "--port", "0", "--backend-store-uri", "mysql://nope");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--backend-store-uri", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_FreePort_PrintsListeningUrlThatServesTheApi()
    {
        using var data = new TempDirectory();
        using var output = new SynchronizedStringWriter();
        using var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        var args = new[]
        {
            "server", "--host", "127.0.0.1", "--port", "0",
            "--backend-store-uri", "sqlite:///" + data.Combine("slipway.db"),
            "--artifacts-destination", data.Combine("artifacts"),
        };

        var serverTask = CliApp.RunAsync(args, output, error, stop.Token);
        Uri? address = null;
        for (var i = 0; i < 300 && address is null && !serverTask.IsCompleted; i++)
        {
            await Task.Delay(100);
            var match = ListeningLine().Match(output.ToString());
            if (match.Success)
                address = new Uri(match.Groups[1].Value);
        }

        Assert.True(address is not null, $"no listening line; stdout: {output}; stderr: {error}");
        using (var client = new SlipwayClient(address))
            Assert.Equal("Default", (await client.GetExperimentAsync("0")).Name);
        await stop.CancelAsync();
        Assert.Equal(0, await serverTask.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task DbUpgrade_NewSqliteFile_CreatesDatabase()
    {
        using var data = new TempDirectory();
        var file = data.Combine("upgraded.db");

        var result = await CliRunner.RunAsync("db", "upgrade", "--backend-store-uri", "sqlite:///" + file);

        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(file));
        Assert.Contains("up to date", result.Out, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"listening on (\S+)")]
    private static partial Regex ListeningLine();

    /// <summary>The server writes its line from a host thread while the test polls.</summary>
    private sealed class SynchronizedStringWriter : StringWriter
    {
        private readonly Lock _gate = new();

        public override void WriteLine(string? value)
        {
            lock (_gate)
                base.WriteLine(value);
        }

        public override void Write(char value)
        {
            lock (_gate)
                base.Write(value);
        }

        public override void Write(string? value)
        {
            lock (_gate)
                base.Write(value);
        }

        public override string ToString()
        {
            lock (_gate)
                return base.ToString();
        }
    }
}
