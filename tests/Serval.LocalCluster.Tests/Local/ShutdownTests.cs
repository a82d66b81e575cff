using System.Diagnostics;

namespace Serval.LocalCluster.Tests.Local;

/// <summary>Stopping the local controllers stops every worker process they started.</summary>
[NonParallelizable]
public sealed class ShutdownTests
{
    [Test]
    public async Task StopAsync_WithRunningWorkers_LeavesNoWorkerProcess()
    {
        var cluster = await LocalClusterFixture.StartAsync();
        List<int> pids;
        try
        {
            await cluster.Api.CreateAsync(WorkerDeployments.Build("stopping", replicas: 1), CancellationToken.None);
            pids = await TestSupport.Eventually.ValueAsync(
                () => cluster.Controllers.Kubelet.ProcessIds().ToList(),
                p => p.Count == 1,
                "a worker process",
                TimeSpan.FromSeconds(60));
        }
        finally
        {
            await cluster.DisposeAsync();
        }

        Assert.That(pids.Select(IsRunning), Is.All.False);
        Assert.That(cluster.Controllers.Kubelet.ProcessIds(), Is.Empty);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
