namespace Serval.LocalCluster.Tests.Kubectl;

/// <summary>What one kubectl call printed and returned; <see cref="ToString"/> shows everything for assertion messages.</summary>
internal sealed record KubectlResult(int ExitCode, string Stdout, string Stderr, string[] Args)
{
    public override string ToString() => $"kubectl {string.Join(' ', Args)} exited {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
