namespace Slipway.Client.Tests.Monitors;

/// <summary>
/// Files of the repository that this test project does not copy to its output: the ONNX kit models live with the
/// serving tests, and are found by walking up from the test binaries to the folder that holds <c>Slipway.slnx</c>.
/// </summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The <c>model.onnx</c> of a model of <c>test/Slipway.Serving.Tests/TestData/onnx</c>.</summary>
    public static string KitModel(string model)
    {
        var path = Path.Combine(Root.Value, "test", "Slipway.Serving.Tests", "TestData", "onnx", model, "model.onnx");
        return File.Exists(path) ? path : throw new FileNotFoundException($"The ONNX kit model '{model}' is missing.", path);
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Slipway.slnx")))
                return folder.FullName;
        }
        throw new DirectoryNotFoundException($"No Slipway.slnx above {AppContext.BaseDirectory}.");
    }
}
