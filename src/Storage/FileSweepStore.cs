using System.Globalization;
using System.Text;

namespace SweepCluster.Storage;

/// <summary>
/// A sweep's spec and ledger as files for local mode: directory/sweeps/sweepId/spec.yaml and one N.chunk file per
/// chunk, each replaced whole by write-and-rename. A write of several chunks must land all or none, so it first
/// writes them together as one "journal" file, then puts each chunk in place, then deletes the journal; a journal
/// left by a killed process is a complete write: reads lay it over the chunk files and the next write finishes it.
/// The suggestion log is one append-only file of "position TAB entry" lines (a later line for a position replaces an
/// earlier one); a line a killed process left without its newline is ignored, and cut off before the next append.
/// One writer per sweep (its grain); any number of readers.
/// </summary>
public sealed class FileSweepStore : ISweepStore
{
    private const string SpecFile = "spec.yaml";
    private const string LeadersFile = "leaders";
    private const string ChunkSuffix = ".chunk";
    private const string SuggestionsFile = "suggestions";
    internal const string JournalFile = "journal";

    private readonly string _directory;

    public FileSweepStore(string directory)
    {
        _directory = Path.Combine(Path.GetFullPath(directory), "sweeps");
        Directory.CreateDirectory(_directory);
    }

    public Task WriteSpecAsync(string sweepId, string specYaml)
    {
        var directory = DirectoryOf(sweepId);
        return Task.Run(() =>
        {
            Directory.CreateDirectory(directory);
            AtomicFile.Write(Path.Combine(directory, SpecFile), Encoding.UTF8.GetBytes(specYaml));
        });
    }

    public Task<string?> ReadSpecAsync(string sweepId)
    {
        var path = Path.Combine(DirectoryOf(sweepId), SpecFile);
        return Task.Run(() => File.Exists(path) ? File.ReadAllText(path, Encoding.UTF8) : null);
    }

    public Task WriteLeadersAsync(string sweepId, byte[] leaders)
    {
        var directory = DirectoryOf(sweepId);
        var copy = leaders.ToArray();
        return Task.Run(() =>
        {
            Directory.CreateDirectory(directory);
            AtomicFile.Write(Path.Combine(directory, LeadersFile), copy);
        });
    }

    public Task<byte[]?> ReadLeadersAsync(string sweepId)
    {
        var path = Path.Combine(DirectoryOf(sweepId), LeadersFile);
        return Task.Run(() => File.Exists(path) ? File.ReadAllBytes(path) : null);
    }

    public Task WriteChunksAsync(string sweepId, IReadOnlyDictionary<int, byte[]> chunks)
    {
        var directory = DirectoryOf(sweepId);
        foreach (var index in chunks.Keys.Where(index => index < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(chunks), index, "chunk indexes start at 0");
        }

        var copy = chunks.ToDictionary(chunk => chunk.Key, chunk => chunk.Value);
        return copy.Count == 0 ? Task.CompletedTask : Task.Run(() =>
        {
            Directory.CreateDirectory(directory);
            var journal = Path.Combine(directory, JournalFile);
            if (File.Exists(journal))
            {
                PutInPlace(directory, Decode(File.ReadAllBytes(journal)));
                File.Delete(journal);
            }

            if (copy.Count > 1)
            {
                AtomicFile.Write(journal, Encode(copy));
            }

            PutInPlace(directory, copy);
            File.Delete(journal);
        });
    }

    public Task<IReadOnlyDictionary<int, byte[]>> ReadChunksAsync(string sweepId)
    {
        var directory = DirectoryOf(sweepId);
        return Task.Run<IReadOnlyDictionary<int, byte[]>>(() =>
        {
            var chunks = new Dictionary<int, byte[]>();
            if (!Directory.Exists(directory))
            {
                return chunks;
            }

            foreach (var path in Directory.EnumerateFiles(directory, "*" + ChunkSuffix))
            {
                if (int.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    chunks[index] = File.ReadAllBytes(path);
                }
            }

            var journal = Path.Combine(directory, JournalFile);
            if (File.Exists(journal))
            {
                foreach (var (index, bytes) in Decode(File.ReadAllBytes(journal)))
                {
                    chunks[index] = bytes;
                }
            }

            return chunks;
        });
    }

    public Task WriteSuggestionsAsync(string sweepId, int first, IReadOnlyList<string> entries)
    {
        SuggestionLog.CheckWrite(first, entries);
        var directory = DirectoryOf(sweepId);
        var lines = string.Concat(entries.Select((entry, i) => (first + i).ToString(CultureInfo.InvariantCulture) + "\t" + entry + "\n"));
        return entries.Count == 0 ? Task.CompletedTask : Task.Run(() =>
        {
            Directory.CreateDirectory(directory);
            using var file = new FileStream(Path.Combine(directory, SuggestionsFile), FileMode.OpenOrCreate, FileAccess.ReadWrite);
            file.SetLength(CompleteLength(file));
            file.Seek(0, SeekOrigin.End);
            file.Write(Encoding.UTF8.GetBytes(lines));
            file.Flush(flushToDisk: true);
        });
    }

    public Task<IReadOnlyList<string>> ReadSuggestionsAsync(string sweepId)
    {
        var path = Path.Combine(DirectoryOf(sweepId), SuggestionsFile);
        return Task.Run(() =>
        {
            if (!File.Exists(path))
            {
                return (IReadOnlyList<string>)[];
            }

            var text = Encoding.UTF8.GetString(File.ReadAllBytes(path));
            var log = new Dictionary<int, string>();
            foreach (var line in text[..(text.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var tab = line.IndexOf('\t', StringComparison.Ordinal);
                if (tab > 0 && int.TryParse(line.AsSpan(0, tab), NumberStyles.None, CultureInfo.InvariantCulture, out var position))
                {
                    log[position] = line[(tab + 1)..];
                }
            }

            return SuggestionLog.Prefix(log);
        });
    }

    /// <summary>The file's length up to its last newline: a line without one was cut short by a crash.</summary>
    private static long CompleteLength(FileStream file)
    {
        for (var position = file.Length - 1; position >= 0; position--)
        {
            file.Seek(position, SeekOrigin.Begin);
            if (file.ReadByte() == '\n')
            {
                return position + 1;
            }
        }

        return 0;
    }

    /// <summary>Renamed out of the way first, so a kill mid-delete leaves no half sweep under its id ('.' names are no sweep's).</summary>
    public Task DeleteAsync(string sweepId)
    {
        var directory = DirectoryOf(sweepId);
        return Task.Run(() =>
        {
            var doomed = Path.Combine(_directory, $".deleted-{Guid.NewGuid():N}");
            try
            {
                Directory.Move(directory, doomed);
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }

            Directory.Delete(doomed, recursive: true);
        });
    }

    private static void PutInPlace(string directory, IReadOnlyDictionary<int, byte[]> chunks)
    {
        foreach (var (index, bytes) in chunks)
        {
            AtomicFile.Write(Path.Combine(directory, index.ToString(CultureInfo.InvariantCulture) + ChunkSuffix), bytes);
        }
    }

    internal static byte[] Encode(Dictionary<int, byte[]> chunks)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer))
        {
            writer.Write(chunks.Count);
            foreach (var (index, bytes) in chunks)
            {
                writer.Write(index);
                writer.Write(bytes.Length);
                writer.Write(bytes);
            }
        }

        return buffer.ToArray();
    }

    private static Dictionary<int, byte[]> Decode(byte[] journal)
    {
        using var reader = new BinaryReader(new MemoryStream(journal));
        var count = reader.ReadInt32();
        var chunks = new Dictionary<int, byte[]>(count);
        for (var i = 0; i < count; i++)
        {
            var index = reader.ReadInt32();
            chunks[index] = reader.ReadBytes(reader.ReadInt32());
        }

        return chunks;
    }

    private string DirectoryOf(string sweepId) => Path.Combine(_directory, StoreIds.Sweep(sweepId));
}
