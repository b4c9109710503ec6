using System.Net;
using System.Net.Sockets;

namespace SweepCluster.Silo.Hosting;

/// <summary>
/// A cluster silo's listening ports, checked before Orleans takes them. Not given, each is the usual one while it is
/// free (deploy/ and firewalls expect 11111 and 30000), else one the system picks; given, it must be free. Without
/// this, two silos on one machine both advertised <c>ip:11111</c> (Orleans' listeners share a port on Linux) and the
/// newer had the older declared dead as its own earlier self. Each port is held, listening, from the moment it is
/// chosen until just before Orleans binds it, so a silo starting at the same instant finds it taken and picks
/// another; the membership table tells the cluster which.
/// </summary>
public sealed class PortReservation : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private const int SolSocket = 1; // Linux's SOL_SOCKET and SO_REUSEADDR
    private const int SoReuseAddr = 2;

    private readonly List<Socket> _held = [];

    /// <summary>
    /// Holds the port given in <paramref name="setting"/> (refused by name when something listens on it already), or
    /// when none was given <paramref name="preferred"/> if free, else a free port. Returns the port held.
    /// </summary>
    public int Reserve(int? given, int preferred, string setting)
    {
        var socket = given is { } port
            ? TryListen(IPAddress.Any, port) ?? throw new SiloConfigurationException(
                $"{setting}: port {port} is in use on this machine (another silo?); leave it unset to have a free port picked")
            : TryListen(IPAddress.Any, preferred) ?? TryListen(IPAddress.Any, 0)
                ?? throw new SiloConfigurationException($"{setting}: no free TCP port to listen on");
        lock (_held)
        {
            _held.Add(socket);
        }

        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Refuses, by its setting, a port something already listens on at <paramref name="address"/> (checked, not held).</summary>
    public static void ThrowIfTaken(IPAddress address, int port, string setting)
    {
        using var socket = TryListen(address, port)
            ?? throw new SiloConfigurationException($"{setting}: port {port} is in use on this machine (another silo?); leave it unset to have a free port picked");
    }

    // Orleans binds the silo port at RuntimeInitialize - 1 and the gateway port at RuntimeInitialize: let go just before.
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PortReservation), ServiceLifecycleStage.RuntimeInitialize - 2, _ =>
        {
            Dispose();
            return Task.CompletedTask;
        });

    public void Dispose()
    {
        lock (_held)
        {
            _held.ForEach(socket => socket.Dispose());
            _held.Clear();
        }
    }

    /// <summary>A listening socket (on every IPv4 address for Orleans' ports); null when the port is taken.</summary>
    private static Socket? TryListen(IPAddress address, int port)
    {
        // .NET's ReuseAddress also sets SO_REUSEPORT on Linux, and Orleans' listeners use it: that shares a port instead
        // of testing it. SO_REUSEADDR alone still fails on a listener, but not on the last run's connections in TIME_WAIT.
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (OperatingSystem.IsLinux())
            {
                socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
            }

            socket.Bind(new IPEndPoint(address, port));
            socket.Listen();
            return socket;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            socket.Dispose();
            return null;
        }
    }
}
