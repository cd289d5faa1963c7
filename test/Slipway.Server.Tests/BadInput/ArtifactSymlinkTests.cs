using System.Net;
using System.Text;
using Slipway.Server.Tests.Infrastructure;
using Slipway.Testing;

namespace Slipway.Server.Tests.BadInput;

/// <summary>
/// A symbolic link planted inside the artifact root (by someone with shell access, or a restored backup) that points
/// outside it must not let the artifact proxy write, read, list or delete anything outside the root.
/// </summary>
public sealed class ArtifactSymlinkTests
{
    private const string VictimContent = "outside the artifact root: must not change";

    [Fact]
    public async Task UploadArtifact_ThroughDirectorySymlinkPointingOutside_IsRejectedAndOutsideUnchanged()
    {
        await using var server = await SlipwayTestServer.StartAsync();
        using var client = server.CreateClient();
        var layout = await ArrangeAsync(server, client);
        Directory.CreateSymbolicLink(Path.Combine(layout.RunFolder, "link"), layout.Outside);

        var overwrite = await SendAsync(client, HttpMethod.Put, layout.RunPath + "link/victim.txt", "overwritten");
        var plant = await SendAsync(client, HttpMethod.Put, layout.RunPath + "link/planted.txt", "planted");

        MlflowError.Assert(overwrite.Response, overwrite.Body, 400, [MlflowError.InvalidParameterValue], "PUT through a directory link, existing file");
        MlflowError.Assert(plant.Response, plant.Body, 400, [MlflowError.InvalidParameterValue], "PUT through a directory link, new file");
        Assert.Equal(VictimContent, await File.ReadAllTextAsync(layout.Victim));
        Assert.Equal(["victim.txt"], Directory.GetFileSystemEntries(layout.Outside).Select(Path.GetFileName));
    }

    [Fact]
    public async Task UploadArtifact_OverFileSymlinkPointingOutside_NeverWritesOutside()
    {
        await using var server = await SlipwayTestServer.StartAsync();
        using var client = server.CreateClient();
        var layout = await ArrangeAsync(server, client);
        var link = Path.Combine(layout.RunFolder, "victim-link.txt");
        File.CreateSymbolicLink(link, layout.Victim);

        var upload = await SendAsync(client, HttpMethod.Put, layout.RunPath + "victim-link.txt", "overwritten");

        Assert.Equal(VictimContent, await File.ReadAllTextAsync(layout.Victim));
        Assert.Equal(["victim.txt"], Directory.GetFileSystemEntries(layout.Outside).Select(Path.GetFileName));
        if (upload.Response.StatusCode == HttpStatusCode.OK)
        {
            // Accepted: the link itself must have been replaced by a regular file inside the root.
            Assert.Null(new FileInfo(link).LinkTarget);
            Assert.Equal("overwritten", await File.ReadAllTextAsync(link));
        }
        else
        {
            MlflowError.Assert(upload.Response, upload.Body, 400, [MlflowError.InvalidParameterValue], "PUT over a file link");
        }
    }

    [Fact]
    public async Task DownloadArtifact_ThroughSymlinksPointingOutside_DoesNotServeOutsideFile()
    {
        await using var server = await SlipwayTestServer.StartAsync();
        using var client = server.CreateClient();
        var layout = await ArrangeAsync(server, client);
        Directory.CreateSymbolicLink(Path.Combine(layout.RunFolder, "link"), layout.Outside);
        File.CreateSymbolicLink(Path.Combine(layout.RunFolder, "victim-link.txt"), layout.Victim);

        var viaFolder = await SendAsync(client, HttpMethod.Get, layout.RunPath + "link/victim.txt", null);
        var viaFile = await SendAsync(client, HttpMethod.Get, layout.RunPath + "victim-link.txt", null);

        Assert.DoesNotContain(VictimContent, viaFolder.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(VictimContent, viaFile.Body, StringComparison.Ordinal);
        MlflowError.Assert(viaFolder.Response, viaFolder.Body, MlflowError.AnyClientError, [], "GET through a directory link");
        MlflowError.Assert(viaFile.Response, viaFile.Body, MlflowError.AnyClientError, [], "GET of a file link");
    }

    [Fact]
    public async Task ListArtifacts_ThroughDirectorySymlinkPointingOutside_DoesNotListOutsideFiles()
    {
        await using var server = await SlipwayTestServer.StartAsync();
        using var client = server.CreateClient();
        var layout = await ArrangeAsync(server, client);
        Directory.CreateSymbolicLink(Path.Combine(layout.RunFolder, "link"), layout.Outside);

        using var proxy = await client.GetAsync("api/2.0/mlflow-artifacts/artifacts?path=" + Uri.EscapeDataString(layout.RunPath + "link"));
        using var runScoped = await client.GetAsync($"api/2.0/mlflow/artifacts/list?run_id={layout.RunId}&path=link");
        using var parent = await client.GetAsync("api/2.0/mlflow-artifacts/artifacts?path=" + Uri.EscapeDataString(layout.RunPath.TrimEnd('/')));

        foreach (var response in new[] { proxy, runScoped, parent })
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode < 500, $"{response.RequestMessage!.RequestUri} answered {(int)response.StatusCode}: {body}");
            Assert.DoesNotContain("victim.txt", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DeleteArtifact_ThroughDirectorySymlinkPointingOutside_IsRejectedAndOutsideUnchanged()
    {
        await using var server = await SlipwayTestServer.StartAsync();
        using var client = server.CreateClient();
        var layout = await ArrangeAsync(server, client);
        Directory.CreateSymbolicLink(Path.Combine(layout.RunFolder, "link"), layout.Outside);

        var deleteFile = await SendAsync(client, HttpMethod.Delete, layout.RunPath + "link/victim.txt", null);
        var deleteFolder = await SendAsync(client, HttpMethod.Delete, layout.RunPath + "link", null);

        Assert.Equal(VictimContent, await File.ReadAllTextAsync(layout.Victim));
        MlflowError.Assert(deleteFile.Response, deleteFile.Body, 400, [MlflowError.InvalidParameterValue], "DELETE through a directory link");
        // Removing the link itself would be harmless; following it would not.
        if (deleteFolder.Response.StatusCode != HttpStatusCode.OK)
            MlflowError.Assert(deleteFolder.Response, deleteFolder.Body, MlflowError.AnyClientError, [], "DELETE of a directory link");
    }

    private static async Task<Layout> ArrangeAsync(SlipwayTestServer server, HttpClient client)
    {
        var experimentId = await Api.CreateExperimentAsync(client, "symlinks-" + Guid.NewGuid().ToString("N"));
        var runId = await Api.CreateRunAsync(client, experimentId);
        var runPath = $"{experimentId}/{runId}/artifacts/";
        await Api.PutArtifactAsync(client, runPath + "keep.txt", "keep");
        var outside = Path.Combine(server.DataDirectory, "outside");
        Directory.CreateDirectory(outside);
        var victim = Path.Combine(outside, "victim.txt");
        await File.WriteAllTextAsync(victim, VictimContent);
        var runFolder = Path.Combine(server.DataDirectory, "artifacts", experimentId, runId, "artifacts");
        Assert.True(File.Exists(Path.Combine(runFolder, "keep.txt")), "the artifact root is expected at <data>/artifacts");
        return new Layout(runId, runPath, runFolder, outside, victim);
    }

    private static async Task<(HttpResponseMessage Response, string Body)> SendAsync(HttpClient client, HttpMethod method, string relativePath, string? text)
    {
        using var request = new HttpRequestMessage(method, Api.ArtifactsPrefix + relativePath);
        if (text is not null)
            request.Content = new StringContent(text, Encoding.UTF8, "text/plain");
        var response = await client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    private sealed record Layout(string RunId, string RunPath, string RunFolder, string Outside, string Victim);
}
