using System.Text.RegularExpressions;

namespace SweepCluster.Training.Tasks.Sentiment;

/// <summary>
/// Splits review text into words: lowercase, the <c>&lt;br /&gt;</c> line breaks of the IMDB dumps become spaces,
/// and a word is a run of letters, digits and apostrophes with apostrophes trimmed from its ends (so "don't"
/// stays one word while 'quoted' loses its quotes).
/// </summary>
internal static partial class ReviewTokenizer
{
    public static List<string> Tokenize(string text)
    {
        var words = new List<string>();
        var lower = LineBreak().Replace(text, " ").ToLowerInvariant();
        var start = -1;
        for (var i = 0; i <= lower.Length; i++)
        {
            if (i < lower.Length && IsWordChar(lower[i]))
            {
                if (start < 0)
                {
                    start = i;
                }

                continue;
            }

            if (start >= 0)
            {
                var word = lower.AsSpan(start, i - start).Trim('\'');
                if (!word.IsEmpty)
                {
                    words.Add(word.ToString());
                }

                start = -1;
            }
        }

        return words;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '\'';

    [GeneratedRegex(@"<br\s*/?>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LineBreak();
}
