using System.Text.RegularExpressions;
using System.Xml.Linq;
using Slipway.Cli;
using Slipway.Deploy.Tests.Support;
using Slipway.Pipelines.Executors.Kubernetes;
using Slipway.Server;

namespace Slipway.Deploy.Tests.Docker;

/// <summary>
/// The Dockerfile's recipe checked against the code it packages: there is no Docker engine on the test machine, so
/// these tests read the file and verify what would make the image wrong — a stage order that ships the SDK, a root
/// user, a publish of a project that no longer exists, an entrypoint naming another assembly, ports that differ from
/// the server's, a project left out of the restore layer, a native library whose dependencies the base lacks.
/// </summary>
public sealed class DockerfileTests
{
    private const string BuildProject = "src/Slipway.Cli/Slipway.Cli.csproj";
    private static readonly Dockerfile File = Dockerfile.Load(RepositoryPaths.Dockerfile);

    [Fact]
    public void Stages_BuildOnTheSdkOfGlobalJsonAndRunOnTheAspNetRuntime()
    {
        Assert.True(File.Stages.Count >= 2, "the Dockerfile must be multi-stage");
        var build = File.Stages[0];
        var sdkVersion = Regex.Match(System.IO.File.ReadAllText(Path.Combine(RepositoryPaths.Root, "global.json")), "\"version\"\\s*:\\s*\"(\\d+\\.\\d+)").Groups[1].Value;
        Assert.Equal($"mcr.microsoft.com/dotnet/sdk:{sdkVersion}", build.Image);
        Assert.StartsWith($"mcr.microsoft.com/dotnet/aspnet:{sdkVersion}", File.Final.Image);
        Assert.NotNull(build.Name);
        Assert.Contains(File.Final.All("COPY"), c => c.Arguments.StartsWith($"--from={build.Name} ", StringComparison.Ordinal));
        Assert.DoesNotContain(File.Final.All("RUN"), r => r.Arguments.Contains("dotnet ", StringComparison.Ordinal));
        Assert.Empty(File.Stages.SelectMany(s => s.All("HEALTHCHECK"))); // Kubernetes probes check health
    }

    [Fact]
    public void FinalStage_RunsAsNonRootUser()
    {
        var user = Assert.Single(File.Final.All("USER")).Arguments;
        Assert.True(user is "$APP_UID" or "${APP_UID}" or "app" || (long.TryParse(user.Split(':')[0], out var uid) && uid > 0), $"USER {user} is root or unknown");
    }

    [Fact]
    public void Publish_TargetsTheCliProjectAndTheEntrypointRunsItsAssembly()
    {
        var publish = Assert.Single(File.Stages[0].All("RUN"), r => r.Arguments.Contains("dotnet publish", StringComparison.Ordinal)).Words().ToList();
        Assert.Contains(BuildProject, publish);
        Assert.True(System.IO.File.Exists(Path.Combine(RepositoryPaths.Root, BuildProject)));
        Assert.Contains("Release", publish);
        var publishFolder = publish[publish.IndexOf("-o") + 1];

        var copy = Assert.Single(File.Final.All("COPY"), c => c.Arguments.StartsWith("--from=", StringComparison.Ordinal)).Words();
        Assert.Equal(publishFolder.TrimEnd('/'), copy[1].TrimEnd('/'));
        var appFolder = copy[2].TrimEnd('/');

        var assemblyName = XDocument.Load(Path.Combine(RepositoryPaths.Root, BuildProject)).Descendants("AssemblyName").Single().Value;
        Assert.Equal(typeof(CliApp).Assembly.GetName().Name, assemblyName);
        var entrypoint = Assert.Single(File.Final.All("ENTRYPOINT")).ExecForm();
        Assert.Equal("dotnet", entrypoint[0]);
        var dll = entrypoint[1].StartsWith('/') ? entrypoint[1] : $"{Assert.Single(File.Final.All("WORKDIR")).Arguments}/{entrypoint[1]}";
        Assert.Equal($"{appFolder}/{assemblyName}.dll", dll);

        // The default command is the control plane listening beyond loopback, which a container needs.
        var command = Assert.Single(File.Final.All("CMD")).ExecForm();
        Assert.Equal("server", command[0]);
        Assert.Equal("0.0.0.0", command[command.ToList().IndexOf("--host") + 1]);
    }

    [Fact]
    public void Command_ListensBeyondLoopbackWithAuthenticationOnAndDocumentsTheAdminPassword()
    {
        var command = Assert.Single(File.Final.All("CMD")).ExecForm();

        // Without --auth `slipway server` refuses 0.0.0.0; the image must never fall back to --insecure-no-auth.
        Assert.Contains("--auth", command);
        Assert.DoesNotContain("--insecure-no-auth", command);
        Assert.DoesNotContain(File.Stages.SelectMany(s => s.All("ENV").Concat(s.All("ARG"))), e => e.Arguments.Contains("SLIPWAY_ADMIN_PASSWORD", StringComparison.Ordinal));
        Assert.Contains("docker run", System.IO.File.ReadAllText(RepositoryPaths.Dockerfile));
        Assert.Contains("-e SLIPWAY_ADMIN_PASSWORD=", System.IO.File.ReadAllText(RepositoryPaths.Dockerfile));
    }

    [Fact]
    public void RestoreLayer_CopiesEveryProjectTheCliNeeds()
    {
        var copied = File.Stages[0].All("COPY").SelectMany(c => c.Words()).Where(w => w.EndsWith(".csproj", StringComparison.Ordinal)).ToHashSet();
        foreach (var project in copied)
            Assert.True(System.IO.File.Exists(Path.Combine(RepositoryPaths.Root, project)), $"the Dockerfile copies {project}, which does not exist");

        var needed = ProjectClosure(Path.Combine(RepositoryPaths.Root, BuildProject))
            .Select(p => Path.GetRelativePath(RepositoryPaths.Root, p).Replace('\\', '/'))
            .ToList();
        Assert.True(needed.Count >= 10, $"only {needed.Count} projects found; the closure walk is broken");
        Assert.All(needed, project => Assert.Contains(project, copied));
        // The build settings CI compiles with (SDK pin, analyzers, warnings as errors, code style), so the image builds the same code the same way.
        foreach (var shared in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props", ".editorconfig" })
            Assert.Contains(File.Stages[0].All("COPY"), c => c.Words().Contains(shared));
    }

    [Fact]
    public void Expose_MatchesTheServerDefaultPorts()
    {
        var defaults = new SlipwayServerOptions();
        var exposed = File.Final.All("EXPOSE").SelectMany(e => e.Words()).Select(p => int.Parse(p.Split('/')[0], System.Globalization.CultureInfo.InvariantCulture)).Order();
        Assert.Equal(new[] { defaults.Port, defaults.GrpcPort }.Order(), exposed);
    }

    [Fact]
    public void ImageName_IsTheOneTheChartAndThePipelineExecutorPull()
    {
        var values = new YamlDotNet.RepresentationModel.YamlStream();
        values.Load(new StringReader(System.IO.File.ReadAllText(Path.Combine(RepositoryPaths.Chart, "values.yaml"))));
        var image = (YamlDotNet.RepresentationModel.YamlMappingNode)((YamlDotNet.RepresentationModel.YamlMappingNode)values.Documents[0].RootNode)["image"];
        // An empty tag takes the chart's appVersion (templates/_helpers.tpl, slipway.image).
        var tag = image["tag"].ToString() is { Length: > 0 } set ? set : AppVersion();
        Assert.Equal(KubernetesExecutorOptions.DefaultImage, $"{image["repository"]}:{tag}");
        Assert.Contains($"docker build -t {KubernetesExecutorOptions.DefaultImage} .", System.IO.File.ReadAllText(RepositoryPaths.Dockerfile));
    }

    private static string AppVersion()
    {
        var chart = new YamlDotNet.RepresentationModel.YamlStream();
        chart.Load(new StringReader(System.IO.File.ReadAllText(Path.Combine(RepositoryPaths.Chart, "Chart.yaml"))));
        return ((YamlDotNet.RepresentationModel.YamlMappingNode)chart.Documents[0].RootNode)["appVersion"].ToString();
    }

    [Fact]
    public void DockerIgnore_LeavesBuildOutputsOutAndSourcesIn()
    {
        var patterns = System.IO.File.ReadAllLines(Path.Combine(RepositoryPaths.Root, ".dockerignore"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Contains("**/bin/", patterns);
        Assert.Contains("**/obj/", patterns);
        foreach (var needed in new[] { "src", "src/", "global.json", "Directory.Build.props", "Directory.Packages.props", ".editorconfig", "*.props", "*.json", ".*" })
            Assert.DoesNotContain(needed, patterns);
    }

    private static HashSet<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current))
                continue;
            foreach (var reference in XDocument.Load(current).Descendants("ProjectReference"))
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(current)!, reference.Attribute("Include")!.Value.Replace('\\', '/'))));
        }
        return seen;
    }
}
