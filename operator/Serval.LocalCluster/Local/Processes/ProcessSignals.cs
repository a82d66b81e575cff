using System.Runtime.InteropServices;

namespace Serval.LocalCluster.Local.Processes;

/// <summary>SIGTERM, which .NET's Process does not send (Kill is SIGKILL).</summary>
internal static partial class ProcessSignals
{
    private const int SigTerm = 15;

    /// <summary>Asks process <paramref name="pid"/> to stop; false where signals are not available or it is gone.</summary>
    public static bool Terminate(int pid) => !OperatingSystem.IsWindows() && Kill(pid, SigTerm) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Kill(int pid, int signal);
}
