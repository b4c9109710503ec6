using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace SweepCluster.Storage;

/// <summary>
/// Orleans grain state as files, so a local silo's sweeps outlive it. Each grain state has a file of its own (readable
/// name plus a hash of state name and grain id, so any id is a safe, unique name) holding its versions as
/// <see cref="GrainStateLog"/> records, the state as the silo's grain storage serializer writes it. The ETag is the
/// newest version's number. A write checks the ETag is the newest version and appends the next one in place; a file
/// that would pass <see cref="CompactAt"/> is replaced whole (temp-and-rename) by the new version alone. Either way a
/// reader, or a process killed mid-write, finds the old version or the new one: an append cut short fails its
/// checksum and is cut off by the next write. In place because each new file cost ~1 ms of ext4 inode allocation on a
/// busy disk (docs/performance.md). Clear appends a cleared version, so versions only grow and a stale ETag never
/// matches again. One process writes a directory (the local silo, as for the other file stores): its writes to one grain
/// are serialized here, so the ETag check and the append are one step; two processes writing one grain are not guarded.
/// Earlier builds kept each grain's versions as N.json / N.cleared files in a folder of that name without the
/// extension; such a folder is read while the grain has no file, and deleted by its next write.
/// </summary>
public sealed class FileGrainStorage : IGrainStorage
{
    /// <summary>A file's size past which a write replaces it by its newest version rather than appending.</summary>
    internal const int CompactAt = 64 * 1024;

    private const string StateSuffix = ".state";
    private const string LegacyStateSuffix = ".json";
    private const string LegacyClearedSuffix = ".cleared";

    private readonly string _directory;
    private readonly IGrainStorageSerializer _serializer;
    private readonly IActivatorProvider _activators;
    /// <summary>Shared by every instance: silos of one process (tests' clusters) may share a directory.</summary>
    private static readonly object[] WriteLocks = [.. Enumerable.Range(0, 64).Select(_ => new object())];

    public FileGrainStorage(string directory, IGrainStorageSerializer serializer, IActivatorProvider activators)
    {
        _directory = Path.GetFullPath(directory);
        _serializer = serializer;
        _activators = activators;
        Directory.CreateDirectory(_directory);
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var stem = StemOf(stateName, grainId);
        return Task.Run(() =>
        {
            // A writer may delete the earlier build's folder just listed; the next read finds the file that replaced it.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var newest = Newest(stem);
                    var state = newest is { Cleared: false } ? _serializer.Deserialize<T>(new BinaryData(newest.Payload)) : default;
                    grainState.ETag = newest?.Number.ToString(CultureInfo.InvariantCulture);
                    grainState.State = state ?? _activators.GetActivator<T>().Create();
                    grainState.RecordExists = state is not null;
                    return;
                }
                catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException && attempt < 5)
                {
                }
            }
        });
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var stem = StemOf(stateName, grainId);
        var bytes = _serializer.Serialize(grainState.State).ToArray();
        return Task.Run(() =>
        {
            var version = Advance(stateName, grainId, grainState.ETag, stem, bytes, cleared: false);
            grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        });
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var stem = StemOf(stateName, grainId);
        return Task.Run(() =>
        {
            var version = Advance(stateName, grainId, grainState.ETag, stem, [], cleared: true);
            grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
            grainState.State = _activators.GetActivator<T>().Create();
            grainState.RecordExists = false;
        });
    }

    private long Advance(string stateName, GrainId grainId, string? etag, string stem, byte[] bytes, bool cleared)
    {
        var path = stem + StateSuffix;
        lock (WriteLocks[(uint)StringComparer.Ordinal.GetHashCode(path) % WriteLocks.Length])
        {
            using var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            var contents = new byte[file.Length];
            file.ReadExactly(contents);
            var (newest, wholeLength) = GrainStateLog.Newest(contents);
            newest ??= LegacyNewest(stem);
            var stored = newest?.Number.ToString(CultureInfo.InvariantCulture);
            if (stored != etag)
            {
                throw new InconsistentStateException(
                    $"Version conflict: state {stateName} of grain {grainId} is at version {stored ?? "(none)"}, the write expected {etag ?? "(none)"}", stored, etag);
            }

            var version = (newest?.Number ?? 0) + 1;
            var record = GrainStateLog.Encode(version, cleared, bytes);
            if (wholeLength == 0 || wholeLength + record.Length <= CompactAt)
            {
                // Past the whole records: a record a killed process cut short is overwritten.
                file.SetLength(wholeLength);
                file.Position = wholeLength;
                file.Write(record);
            }
            else
            {
                file.Dispose();
                AtomicFile.Write(path, record);
            }

            if (Directory.Exists(stem))
            {
                Directory.Delete(stem, recursive: true);
            }

            return version;
        }
    }

    /// <summary>The newest version in the grain's file, else in the folder an earlier build kept it in.</summary>
    private static GrainStateLog.Entry? Newest(string stem) =>
        (File.Exists(stem + StateSuffix) ? GrainStateLog.Newest(File.ReadAllBytes(stem + StateSuffix)).Newest : null) ?? LegacyNewest(stem);

    private static GrainStateLog.Entry? LegacyNewest(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return null;
        }

        GrainStateLog.Entry? newest = null;
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            var name = Path.GetFileName(path);
            var cleared = name.EndsWith(LegacyClearedSuffix, StringComparison.Ordinal);
            if ((cleared || name.EndsWith(LegacyStateSuffix, StringComparison.Ordinal))
                && long.TryParse(Path.GetFileNameWithoutExtension(name), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
                && version > (newest?.Number ?? 0))
            {
                newest = new GrainStateLog.Entry(version, cleared, cleared ? [] : File.ReadAllBytes(path));
            }
        }

        return newest;
    }

    /// <summary>
    /// The grain's file without its extension (and earlier builds' folder): a readable prefix (unsafe characters as '_',
    /// cut short) and a hash of the exact names, which alone makes it unique.
    /// </summary>
    private string StemOf(string stateName, GrainId grainId)
    {
        var exact = $"{stateName}\n{grainId}";
        var readable = new string([.. exact.Replace('\n', '_').Take(80).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(exact)).AsSpan(0, 16));
        return Path.Combine(_directory, $"{readable}-{hash}");
    }
}
