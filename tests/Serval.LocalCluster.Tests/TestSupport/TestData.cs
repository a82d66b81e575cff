namespace Serval.LocalCluster.Tests.TestSupport;

/// <summary>Files under testdata/ (copied next to the test assembly).</summary>
internal static class TestData
{
    public static string Path(string relative) => System.IO.Path.Combine(AppContext.BaseDirectory, "testdata", relative);

    public static string Read(string relative) => File.ReadAllText(Path(relative));
}
