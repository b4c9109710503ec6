namespace SweepCluster.Storage;

/// <summary>
/// Local mode's checkpoint clean-up, run at silo start: a checkpoint is only worth keeping while its trial may still
/// resume, and a local store directory otherwise grows with every sweep ever run. Deletes the checkpoint files
/// (*.ckpt, and temporary files a killed write left) in one directory that were last written longer ago than the
/// given age; newer files, other files and subdirectories stay.
/// </summary>
public static class CheckpointExpiry
{
    /// <summary>A week: long enough to resume a sweep interrupted over a weekend.</summary>
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromDays(7);

    /// <summary>Deletes checkpoints older than <paramref name="maxAge"/> (default <see cref="DefaultMaxAge"/>); returns how many.</summary>
    public static int DeleteExpired(string directory, TimeSpan? maxAge = null, TimeProvider? time = null)
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        var cutoff = (time ?? TimeProvider.System).GetUtcNow().UtcDateTime - (maxAge ?? DefaultMaxAge);
        var deleted = 0;
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles())
        {
            if ((file.Name.EndsWith(".ckpt", StringComparison.Ordinal) || file.Name.EndsWith(".tmp", StringComparison.Ordinal))
                && file.LastWriteTimeUtc < cutoff)
            {
                try
                {
                    file.Delete();
                    deleted++;
                }
                catch (IOException)
                {
                    // In use or already gone: the next start tries again.
                }
            }
        }

        return deleted;
    }
}
