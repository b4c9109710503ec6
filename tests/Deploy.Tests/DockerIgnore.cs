using System.Text;
using System.Text.RegularExpressions;

namespace SweepCluster.Deploy.Tests;

/// <summary>
/// A .dockerignore as Docker applies it: patterns in order, the last one matching a path or one of its parent
/// directories decides, <c>!</c> re-includes, <c>**</c> spans directories.
/// </summary>
internal sealed class DockerIgnore(IReadOnlyList<(Regex Pattern, bool Include)> rules)
{
    public static DockerIgnore Load(string path) =>
        new([.. File.ReadAllLines(path)
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.StartsWith('!') ? (ToRegex(l[1..]), true) : (ToRegex(l), false))]);

    /// <summary>Whether a context-relative path (forward slashes) is left out of the build context.</summary>
    public bool Excludes(string path)
    {
        path = path.Trim('/');
        var candidates = new List<string>();
        for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            candidates.Add(path[..slash]);
        }

        candidates.Add(path);
        var excluded = false;
        foreach (var (pattern, include) in rules)
        {
            if (candidates.Any(pattern.IsMatch))
            {
                excluded = !include;
            }
        }

        return excluded;
    }

    private static Regex ToRegex(string pattern)
    {
        pattern = pattern.Trim().TrimStart('/').TrimEnd('/');
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                var slashFollows = i + 2 < pattern.Length && pattern[i + 2] == '/';
                regex.Append(slashFollows ? "(?:.*/)?" : ".*");
                i += slashFollows ? 2 : 1;
            }
            else if (pattern[i] == '*')
            {
                regex.Append("[^/]*");
            }
            else if (pattern[i] == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(pattern[i].ToString()));
            }
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
