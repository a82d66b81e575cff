using System.Net;
using System.Net.Sockets;

namespace Serval.LocalCluster.Local.Processes;

/// <summary>
/// Hands out free loopback ports, one per pod. The OS picks a free port; the allocator remembers what
/// it gave out so that two pods created before either worker listens never get the same one.
/// </summary>
public sealed class PortAllocator
{
    private readonly Lock _gate = new();
    private readonly HashSet<int> _taken = [];

    /// <summary>A loopback port nothing listens on and no other pod holds.</summary>
    public int Allocate()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = ProbeFreePort();
            lock (_gate)
            {
                if (_taken.Add(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException("No free loopback port after 100 attempts.");
    }

    /// <summary>Marks <paramref name="port"/> as held (a pod that already has one, found after a restart).</summary>
    public void Reserve(int port)
    {
        lock (_gate)
        {
            _taken.Add(port);
        }
    }

    /// <summary>Gives <paramref name="port"/> back once its pod is gone.</summary>
    public void Release(int port)
    {
        lock (_gate)
        {
            _taken.Remove(port);
        }
    }

    private static int ProbeFreePort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
