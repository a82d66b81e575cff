namespace Serval.Packaging.Tests.Support;

/// <summary>What a command-line tool answered.</summary>
internal sealed record ToolResult(string Command, int ExitCode, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Everything a failed assertion should show.</summary>
    public override string ToString() => $"$ {Command}\nexit code {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";

    /// <summary>Fails the test, with the output, unless the command succeeded; answers stdout.</summary>
    public string Ok()
    {
        Assert.That(ExitCode, Is.Zero, ToString());
        return Stdout;
    }
}
