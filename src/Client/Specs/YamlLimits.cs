using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace SweepCluster.Client.Specs;

/// <summary>
/// Reads a spec's YAML as a stream of parser events, before YamlDotNet builds (recursively) a tree of it, and refuses
/// what a spec never needs and an attacker would use: nesting deeper than <see cref="MaxDepth"/> (YamlDotNet's loader
/// recurses per level and a few thousand <c>[</c> overflow the stack), aliases (<c>*a</c>: a few lines can expand to
/// billions of nodes), more than one document (a second <c>---</c> would be silently ignored), a key given twice in one
/// mapping, and more than <see cref="MaxNodes"/> values. Each problem names the path where it happens.
/// </summary>
internal static class YamlLimits
{
    public const int MaxDepth = 64;

    public const int MaxNodes = 100_000;

    /// <summary>A spec file, or a --set value, larger than this is refused before it is parsed (1 MiB).</summary>
    public const int MaxCharacters = 1 << 20;

    public static IReadOnlyList<SpecError> Check(string yaml, string root = "")
    {
        if (yaml.Length > MaxCharacters)
        {
            return [new SpecError(root.Length > 0 ? root : "spec", $"is {yaml.Length.ToString("N0", CultureInfo.InvariantCulture)} characters; a spec may have at most {MaxCharacters.ToString("N0", CultureInfo.InvariantCulture)}")];
        }

        var errors = new List<SpecError>();
        var frames = new Stack<Frame>();
        var documents = 0;
        var nodes = 0;
        var parser = new Parser(new StringReader(yaml));
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                if (current is DocumentStart start && ++documents > 1)
                {
                    errors.Add(new SpecError(root.Length > 0 ? root : "spec",
                        $"holds a second YAML document ('---' at line {start.Start.Line}); a spec is one document"));
                    return errors;
                }

                if (current is MappingEnd or SequenceEnd)
                {
                    frames.Pop();
                    Advance(frames);
                    continue;
                }

                if (current is AnchorAlias alias)
                {
                    var at = frames.Count == 0 ? root : frames.Peek() is { IsMapping: true, ExpectingKey: false } mapping ? mapping.ChildPath() : frames.Peek().KeyPath;
                    errors.Add(new SpecError(Named(at), $"uses the alias *{alias.Value}; aliases are not allowed in a spec (write the value out)"));
                    return errors;
                }

                if (current is not NodeEvent node)
                {
                    continue;
                }

                if (++nodes > MaxNodes)
                {
                    errors.Add(new SpecError(root.Length > 0 ? root : "spec", $"has more than {MaxNodes.ToString("N0", CultureInfo.InvariantCulture)} values"));
                    return errors;
                }

                var parent = frames.Count > 0 ? frames.Peek() : null;
                if (parent is { IsMapping: true, ExpectingKey: true })
                {
                    // A key: a plain name, once per mapping.
                    var key = (node as Scalar)?.Value;
                    if (key is null)
                    {
                        errors.Add(new SpecError(parent.KeyPath.Length > 0 ? parent.KeyPath : "spec", "has a key that is not a plain name"));
                        return errors;
                    }

                    if (!parent.Keys.Add(key))
                    {
                        errors.Add(new SpecError(Join(parent.Path, key), $"is given more than once (line {node.Start.Line})"));
                    }

                    parent.Key = key;
                    parent.ExpectingKey = false;
                    continue;
                }

                var path = parent is null ? root : parent.ChildPath();
                var keyPath = parent is null ? root : parent.IsMapping ? path : parent.KeyPath;
                if (node is MappingStart or SequenceStart)
                {
                    if (frames.Count >= MaxDepth)
                    {
                        errors.Add(new SpecError(Named(keyPath), $"nests deeper than {MaxDepth} levels"));
                        return errors;
                    }

                    frames.Push(new Frame(node is MappingStart, path, keyPath));
                    continue;
                }

                Advance(frames);
            }
        }
        catch (YamlException e)
        {
            errors.Add(new SpecError($"line {e.Start.Line}, column {e.Start.Column}", $"unparsable YAML: {e.InnerException?.Message ?? e.Message}"));
        }

        return errors;

        string Named(string keyPath) => keyPath.Length > 0 ? keyPath : "spec";
    }

    /// <summary>A value ended inside the frame on top: the next node of a mapping is a key, of a sequence the next item.</summary>
    private static void Advance(Stack<Frame> frames)
    {
        if (frames.Count == 0)
        {
            return;
        }

        var frame = frames.Peek();
        if (frame.IsMapping)
        {
            frame.ExpectingKey = true;
        }
        else
        {
            frame.Index++;
        }
    }

    private static string Join(string path, string key) => path.Length > 0 ? $"{path}.{key}" : key;

    private sealed class Frame(bool isMapping, string path, string keyPath)
    {
        public bool IsMapping { get; } = isMapping;

        public string Path { get; } = path;

        /// <summary>The path up to the innermost mapping key (sequence indices left out), for errors about deep nesting.</summary>
        public string KeyPath { get; } = keyPath;

        public HashSet<string> Keys { get; } = [];

        public bool ExpectingKey { get; set; } = true;

        public string Key { get; set; } = "";

        public int Index { get; set; }

        public string ChildPath() => IsMapping ? Join(Path, Key) : $"{Path}[{Index}]";
    }
}
