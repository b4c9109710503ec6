using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace SweepCluster.Storage;

/// <summary>
/// Orleans grain state as files, so a local silo's sweeps outlive it. Each grain state has a folder of its own
/// (readable name plus a hash of state name and grain id, so any id is a safe, unique name) holding its versions as
/// N.json, the state as the silo's grain storage serializer writes it. The ETag is N: a write checks the grain's
/// ETag is the newest version, writes N+1 by temp-and-rename refusing to replace an existing file (so two writers
/// that both read N cannot both win), then deletes the older versions. Clear writes N+1.cleared, so versions only
/// grow and a stale ETag never matches again.
/// </summary>
public sealed class FileGrainStorage : IGrainStorage
{
    private const string StateSuffix = ".json";
    private const string ClearedSuffix = ".cleared";

    private readonly string _directory;
    private readonly IGrainStorageSerializer _serializer;
    private readonly IActivatorProvider _activators;

    public FileGrainStorage(string directory, IGrainStorageSerializer serializer, IActivatorProvider activators)
    {
        _directory = Path.GetFullPath(directory);
        _serializer = serializer;
        _activators = activators;
        Directory.CreateDirectory(_directory);
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var folder = FolderOf(stateName, grainId);
        return Task.Run(() =>
        {
            // A writer may delete the version just listed; the next listing has its successor.
            for (var attempt = 1; ; attempt++)
            {
                var newest = Newest(folder);
                try
                {
                    var state = newest is { Cleared: false } ? _serializer.Deserialize<T>(new BinaryData(File.ReadAllBytes(newest.Value.Path))) : default;
                    grainState.ETag = newest?.Version.ToString(CultureInfo.InvariantCulture);
                    grainState.State = state ?? _activators.GetActivator<T>().Create();
                    grainState.RecordExists = state is not null;
                    return;
                }
                catch (FileNotFoundException) when (attempt < 5)
                {
                }
            }
        });
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var folder = FolderOf(stateName, grainId);
        var bytes = _serializer.Serialize(grainState.State).ToArray();
        return Task.Run(() =>
        {
            var version = Advance(stateName, grainId, grainState.ETag, folder, bytes, StateSuffix);
            grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        });
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var folder = FolderOf(stateName, grainId);
        return Task.Run(() =>
        {
            var version = Advance(stateName, grainId, grainState.ETag, folder, [], ClearedSuffix);
            grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
            grainState.State = _activators.GetActivator<T>().Create();
            grainState.RecordExists = false;
        });
    }

    private static long Advance(string stateName, GrainId grainId, string? etag, string folder, byte[] bytes, string suffix)
    {
        Directory.CreateDirectory(folder);
        var newest = Newest(folder);
        var stored = newest?.Version.ToString(CultureInfo.InvariantCulture);
        if (stored != etag)
        {
            throw Conflict(stateName, grainId, stored, etag);
        }

        var version = (newest?.Version ?? 0) + 1;
        try
        {
            AtomicFile.Write(Path.Combine(folder, version.ToString(CultureInfo.InvariantCulture) + suffix), bytes, overwrite: false);
        }
        catch (IOException e) when (Newest(folder)?.Version >= version)
        {
            throw Conflict(stateName, grainId, Newest(folder)?.Version.ToString(CultureInfo.InvariantCulture), etag, e);
        }

        foreach (var old in Versions(folder).Where(v => v.Version < version))
        {
            File.Delete(old.Path);
        }

        return version;
    }

    private static InconsistentStateException Conflict(string stateName, GrainId grainId, string? stored, string? etag, Exception? inner = null) =>
        new($"Version conflict: state {stateName} of grain {grainId} is at version {stored ?? "(none)"}, the write expected {etag ?? "(none)"}", stored, etag, inner);

    private static (string Path, long Version, bool Cleared)? Newest(string folder) =>
        Versions(folder).OrderByDescending(v => v.Version).Cast<(string, long, bool)?>().FirstOrDefault();

    private static IEnumerable<(string Path, long Version, bool Cleared)> Versions(string folder)
    {
        if (!Directory.Exists(folder))
        {
            yield break;
        }

        foreach (var path in Directory.EnumerateFiles(folder))
        {
            var name = Path.GetFileName(path);
            var cleared = name.EndsWith(ClearedSuffix, StringComparison.Ordinal);
            if ((cleared || name.EndsWith(StateSuffix, StringComparison.Ordinal))
                && long.TryParse(Path.GetFileNameWithoutExtension(name), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                yield return (path, version, cleared);
            }
        }
    }

    /// <summary>A readable prefix (unsafe characters as '_', cut short) and a hash of the exact names, which alone makes it unique.</summary>
    private string FolderOf(string stateName, GrainId grainId)
    {
        var exact = $"{stateName}\n{grainId}";
        var readable = new string([.. exact.Replace('\n', '_').Take(80).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(exact)).AsSpan(0, 16));
        return Path.Combine(_directory, $"{readable}-{hash}");
    }
}
