using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Serval.LocalCluster.Local.Proxy;

/// <summary>
/// The loopback port of each listener, handed out before the listener exists (status.url is written when the
/// Service is, not when the proxy notices it) and kept in a file so that URLs survive a restart.
/// </summary>
internal sealed class ProxyPorts
{
    private readonly Lock _lock = new();
    private readonly string? _file;
    private readonly Dictionary<string, int> _ports;

    public ProxyPorts(string? file)
    {
        _file = file;
        _ports = Load(file);
    }

    public int PortOf(RouteKey key)
    {
        lock (_lock)
        {
            if (_ports.TryGetValue(key.ToString(), out var port))
            {
                return port;
            }

            return Assign(key, exclude: 0);
        }
    }

    /// <summary>A fresh port for <paramref name="key"/> because <paramref name="taken"/> could not be bound.</summary>
    public int Reassign(RouteKey key, int taken)
    {
        lock (_lock)
        {
            return _ports.TryGetValue(key.ToString(), out var port) && port != taken ? port : Assign(key, taken);
        }
    }

    private int Assign(RouteKey key, int exclude)
    {
        int port;
        do
        {
            port = FreePort();
        }
        while (port == exclude || _ports.ContainsValue(port));

        _ports[key.ToString()] = port;
        Save();
        return port;
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static Dictionary<string, int> Load(string? file)
    {
        if (file is null || !File.Exists(file))
        {
            return new Dictionary<string, int>(StringComparer.Ordinal);
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(file)) is { } saved
                ? new Dictionary<string, int>(saved.Where(p => p.Value is > 0 and < 65536), StringComparer.Ordinal)
                : new Dictionary<string, int>(StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            // A damaged file only costs the old URLs; the ports are handed out afresh.
            return new Dictionary<string, int>(StringComparer.Ordinal);
        }
    }

    private void Save()
    {
        if (_file is null)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_file))!);
        var temp = _file + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(_ports.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary()));
        File.Move(temp, _file, overwrite: true);
    }
}
