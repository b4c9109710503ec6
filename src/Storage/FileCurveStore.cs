using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;
using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Storage;

/// <summary>
/// Curves as files for local mode: directory/curves/XX/trialId.curve in <see cref="CurveCodec"/>'s 24-bytes-per-epoch
/// layout (and trialId.val beside it for a trial that validates, in the codec's companion layout), written in place by position (an epoch written again lands on itself; an epoch past the end leaves a
/// zero hole the reader stops at). Safe for any number of readers and one writer per trial. XX is the first byte of
/// the id's SHA-256: trial ids begin with the task's name, so their own first characters would not spread them.
/// </summary>
public sealed class FileCurveStore : ICurveStore
{
    private readonly string _directory;

    public FileCurveStore(string directory)
    {
        _directory = Path.Combine(Path.GetFullPath(directory), "curves");
        Directory.CreateDirectory(_directory);
    }

    /// <summary>Off the caller's thread: a grain's scheduler should not wait on the disk.</summary>
    public Task WriteAsync(string trialId, IReadOnlyList<EpochReport> epochs)
    {
        var path = PathOf(trialId);
        var runs = CurveCodec.Runs(epochs);
        var validation = CurveCodec.ValidationRuns(epochs);
        return runs.Count == 0 ? Task.CompletedTask : Task.Run(() =>
        {
            // The scores before the curve they belong to: a reader that sees an epoch sees its scores.
            if (validation.Count > 0)
            {
                Write(ValidationPath(path), validation, CurveCodec.ValidationOffset);
            }

            Write(path, runs, CurveCodec.Offset);
        });
    }

    public Task<IReadOnlyList<TrialCurve>> ReadAsync(IReadOnlyList<CurveRequest> trials)
    {
        var paths = trials.Select(trial => PathOf(trial.TrialId)).ToArray();
        return Task.Run<IReadOnlyList<TrialCurve>>(() => [.. trials.Select((trial, i) => Read(paths[i], trial))]);
    }

    public Task DeleteAsync(IReadOnlyList<string> trialIds)
    {
        var paths = trialIds.Select(PathOf).ToArray();
        return Task.Run(() =>
        {
            foreach (var path in paths.SelectMany(p => new[] { p, ValidationPath(p) }))
            {
                try
                {
                    File.Delete(path);
                }
                catch (DirectoryNotFoundException)
                {
                    // Its shard was never made: nothing to delete.
                }
            }
        });
    }

    private static void Write(string path, List<(int FirstEpoch, byte[] Bytes)> runs, Func<int, long> offset)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        foreach (var (firstEpoch, bytes) in runs)
        {
            RandomAccess.Write(file, bytes, offset(firstEpoch));
        }
    }

    private static TrialCurve Read(string path, CurveRequest trial)
    {
        var curve = ReadTraining(path, trial);
        return curve.Epochs > 0 && ReadBytes(ValidationPath(path), CurveCodec.ValidationLength(curve.Epochs)) is { } scores
            ? CurveCodec.WithValidation(curve, scores)
            : curve;
    }

    /// <summary>Up to <paramref name="length"/> bytes from the file's start; null when there is no such file.</summary>
    private static byte[]? ReadBytes(string path, long length)
    {
        SafeFileHandle file;
        try
        {
            file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        using (file)
        {
            var bytes = new byte[Math.Min(RandomAccess.GetLength(file), length)];
            var read = 0;
            while (read < bytes.Length && RandomAccess.Read(file, bytes.AsSpan(read), read) is var n and > 0)
            {
                read += n;
            }

            return bytes[..read];
        }
    }

    private static string ValidationPath(string curvePath) => Path.ChangeExtension(curvePath, ".val");

    private static TrialCurve ReadTraining(string path, CurveRequest trial) =>
        CurveCodec.Decode(trial.TrialId, trial.Epochs > 0 ? ReadBytes(path, CurveCodec.Length(trial.Epochs)) ?? [] : [], Math.Max(0, trial.Epochs));

    private string PathOf(string trialId)
    {
        var shard = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(StoreIds.Trial(trialId))).AsSpan(0, 1));
        return Path.Combine(_directory, shard, trialId + ".curve");
    }
}
