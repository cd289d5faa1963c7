using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Slipway.Testing;

namespace Slipway.Monitoring.Tests.Alerts;

/// <summary>
/// A real Prometheus Alertmanager (the Debian package <c>prometheus-alertmanager</c>, which scripts/test.sh installs)
/// on 127.0.0.1 and a free port, clustering off, storage and config in a temporary folder, routing every alert to
/// <see cref="Receiver"/> as webhooks. Without the binary the tests fail: they are never skipped.
/// </summary>
public sealed class AlertmanagerFixture : IAsyncLifetime
{
    public const string DefaultBinary = "/usr/bin/prometheus-alertmanager";
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    private readonly string _folder = Directory.CreateTempSubdirectory("slipway-am-").FullName;
    private readonly StringBuilder _output = new();
    private Process? _process;

    public string BaseUrl { get; private set; } = "";

    internal CapturingReceiver Receiver { get; private set; } = null!;

    /// <summary>The end of Alertmanager's log, for failure messages.</summary>
    public string LogTail
    {
        get
        {
            lock (_output)
                return _output.Length <= 4000 ? _output.ToString() : _output.ToString(_output.Length - 4000, 4000);
        }
    }

    public async Task InitializeAsync()
    {
        var binary = Environment.GetEnvironmentVariable("SLIPWAY_TEST_ALERTMANAGER") ?? DefaultBinary;
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException(
                $"Alertmanager is not installed at {binary}. Run ./scripts/test.sh (it installs it) or: apt-get install -y prometheus-alertmanager " +
                "(or point SLIPWAY_TEST_ALERTMANAGER at an alertmanager binary).");
        }
        Receiver = await CapturingReceiver.StartAsync();
        var config = Path.Combine(_folder, "alertmanager.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              resolve_timeout: 5m
            route:
              receiver: slipway-test
              group_by: ['...']
              group_wait: 1s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: slipway-test
                webhook_configs:
                  - url: {Receiver.BaseUrl}/am-webhook
                    send_resolved: true
            """);

        // The free port can be taken between the probe and the start; a few tries cover that race.
        for (var attempt = 1; ; attempt++)
        {
            var port = LocalPorts.Free();
            BaseUrl = $"http://127.0.0.1:{port}";
            _process = Start(binary, config, port);
            if (await WaitReadyAsync(_process))
                return;
            Stop();
            if (attempt == 3)
                throw new InvalidOperationException($"Alertmanager did not become ready at {BaseUrl}/-/ready. Its log:\n{LogTail}");
        }
    }

    private Process Start(string binary, string config, int port)
    {
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add($"--config.file={config}");
        info.ArgumentList.Add($"--storage.path={Path.Combine(_folder, "data")}");
        info.ArgumentList.Add($"--web.listen-address=127.0.0.1:{port}");
        info.ArgumentList.Add("--cluster.listen-address=");
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task<bool> WaitReadyAsync(Process process)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartDeadline;
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync($"{BaseUrl}/-/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                    return true;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        return false;
    }


    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    private void Stop()
    {
        if (_process is null)
            return;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited on its own meanwhile.
        }
        _process.Dispose();
        _process = null;
    }

    public async Task DisposeAsync()
    {
        Stop();
        if (Receiver is not null)
            await Receiver.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }
}
