namespace SweepCluster.Storage;

/// <summary>Whole-file replacement by write-to-temporary and rename: a reader, or a process killed mid-write, sees the old file or the new one.</summary>
internal static class AtomicFile
{
    public const string TemporarySuffix = ".tmp";

    public static void Write(string path, ReadOnlySpan<byte> bytes, bool overwrite = true)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}{TemporarySuffix}";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                // No fsync, as the checkpoint store: the rename survives a killed process, the failure that matters here.
                stream.Write(bytes);
            }

            File.Move(temporary, path, overwrite);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
