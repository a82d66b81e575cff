using System.Diagnostics;
using Serval.Api.Crd;

namespace Serval.Api.Tests;

/// <summary>The <c>serval-operator crds</c> command, run as a process from this test's output folder.</summary>
public sealed class CrdsCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Test]
    public void Crds_PrintsTheCrdYaml()
    {
        var (exitCode, stdout, _) = Run("crds");

        Assert.That((exitCode, stdout), Is.EqualTo((0, InferenceServiceCrd.ToYaml())));
    }

    [Test]
    public void CrdsApiReference_PrintsTheMarkdownReference()
    {
        var (exitCode, stdout, _) = Run("crds", "--api-reference");

        Assert.That((exitCode, stdout), Is.EqualTo((0, ApiReference.ToMarkdown())));
    }

    [Test]
    public void Crds_UnknownFlag_ExitsWithUsageAndNamesTheFlag()
    {
        var (exitCode, _, stderr) = Run("crds", "--frobnicate");

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("--frobnicate").And.Contain("usage: serval-operator crds"));
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(TestContext.CurrentContext.TestDirectory, "serval-operator.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"serval-operator {string.Join(' ', args)} did not exit within {Timeout}");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
