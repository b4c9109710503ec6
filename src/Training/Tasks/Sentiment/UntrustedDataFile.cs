using System.Runtime.InteropServices;

namespace SweepCluster.Training.Tasks.Sentiment;

/// <summary>
/// Checks a data file named in a sweep spec before it is opened. Opening a FIFO blocks until someone writes to
/// it, and a link to /dev/zero never ends: either would hold a training slot forever or fill the silo's memory.
/// So only regular files (after following links) are opened, and only up to a size limit.
/// </summary>
internal static partial class UntrustedDataFile
{
    private const int AtCurrentDirectory = -100;
    private const uint StatxType = 0x1;
    private const int StatxSize = 256;
    private const int StatxModeOffset = 28;
    private const int FileTypeMask = 0xF000;

    /// <summary>What is wrong with opening <paramref name="path"/> (an existing path), or null when nothing is.</summary>
    public static string? Problem(string path, long maxBytes)
    {
        var link = File.ResolveLinkTarget(path, returnFinalTarget: true);
        var through = link is null ? "" : $" (it links to '{link.FullName}')";
        var info = link as FileInfo ?? new FileInfo(path);
        if (KindOf(path, info) is { } kind)
        {
            return $"it is {kind}{through}, not a regular file";
        }

        if (!info.Exists)
        {
            return $"it is a directory or a broken link{through}, not a regular file";
        }

        return info.Length > maxBytes
            ? $"it is {info.Length} bytes{through}; data files are read only up to {maxBytes} bytes"
            : null;
    }

    /// <summary>The kind of a file that is not regular ("a FIFO"), following links; null for a regular file.</summary>
    private static string? KindOf(string path, FileInfo target)
    {
        int mode;
        try
        {
            mode = OperatingSystem.IsLinux() ? Mode(path) : -1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            mode = -1; // a libc without statx
        }

        if (mode < 0)
        {
            // FIFOs and devices report no length, and no data file is empty.
            return target.Exists && target.Length == 0 ? "empty (or a FIFO or device)" : null;
        }

        return (mode & FileTypeMask) switch
        {
            0x8000 => null,
            0x1000 => "a FIFO",
            0x2000 => "a character device",
            0x6000 => "a block device",
            0x4000 => "a directory",
            0xC000 => "a socket",
            _ => $"of unknown type 0x{mode & FileTypeMask:x}",
        };
    }

    // statx's struct has one layout on every Linux architecture, unlike stat's.
    private static unsafe int Mode(string path)
    {
        var buffer = stackalloc byte[StatxSize];
        if (Statx(AtCurrentDirectory, path, 0, StatxType, buffer) != 0)
        {
            throw new IOException($"cannot stat '{path}': {Marshal.GetLastPInvokeErrorMessage()}");
        }

        return *(ushort*)(buffer + StatxModeOffset);
    }

    [LibraryImport("libc.so.6", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Statx(int directory, string path, int flags, uint mask, byte* buffer);
}
