namespace Slipway.Testing;

/// <summary>Finds test/clients/node by walking up from the test binaries to the repository root (the folder holding Slipway.slnx).</summary>
public static class NodeClients
{
    public static string Folder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Slipway.slnx")))
                return Path.Combine(folder.FullName, "test", "clients", "node");
        }
        throw new InvalidOperationException($"No Slipway.slnx above {AppContext.BaseDirectory}; run the tests from a checkout of the repository.");
    }
}
