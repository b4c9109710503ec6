namespace SweepCluster.Training.Training;

/// <summary>Checkpoints as files in one directory (local, or shared by several silos), written via rename so a killed process never leaves half a file.</summary>
public sealed class DirectoryCheckpointStore : ICheckpointStore
{
    private readonly string _directory;

    public DirectoryCheckpointStore(string directory)
    {
        _directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(_directory);
    }

    public Stream? OpenRead(string trialKey)
    {
        var path = PathOf(trialKey);
        return File.Exists(path) ? File.OpenRead(path) : null;
    }

    public void Write(string trialKey, Action<Stream> write)
    {
        var path = PathOf(trialKey);
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = File.Create(temporary))
            {
                // No fsync: rename-after-write already survives a killed process, which is the failure that
                // matters here; a power cut costs at most the last checkpoint interval.
                write(stream);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public void Delete(string trialKey) => File.Delete(PathOf(trialKey));

    private string PathOf(string trialKey)
    {
        if (trialKey.Length == 0 || trialKey.StartsWith('.') || trialKey.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new ArgumentException($"'{trialKey}' cannot be a checkpoint name (use letters, digits, '-', '_' and '.')", nameof(trialKey));
        }

        return Path.Combine(_directory, trialKey + ".ckpt");
    }
}
