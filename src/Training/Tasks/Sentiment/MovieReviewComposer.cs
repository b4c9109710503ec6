using System.Text;
using static SweepCluster.Training.Tasks.Sentiment.MovieReviewLexicon;

namespace SweepCluster.Training.Tasks.Sentiment;

/// <summary>
/// Writes one synthetic movie review of a given polarity: an optional introduction, plot and production
/// sentences that carry no sentiment, opinions about aspects of the film, and often a closing verdict. About one
/// opinion in six is a negation ("the plot was never boring" is positive), and some reviews are mixed: fewer
/// opinions of the other polarity, often answered with "but", always settled by a final verdict. That gives a bag
/// of words plenty of signal (naive Bayes scores about 97%) while leaving order-dependent cases for a sequence model.
/// </summary>
internal sealed class MovieReviewComposer(NumpyRandomState random)
{
    private const int MinWords = 20;
    private const int MaxTargetWords = 230;
    private const int NeutralSentenceKinds = 24;

    public (string Text, int Rating) Compose(bool positive)
    {
        var film = NewFilm();
        var polarity = positive ? 1 : -1;
        var rating = positive ? random.Between(7, 10) : random.Between(1, 4);

        // Lengths skew short, as real reviews do: 20 to ~250 words.
        var targetWords = MinWords + (int)(MaxTargetWords * Math.Pow(random.NextDouble(), 1.5));
        var opinionCount = 1 + targetWords / 35 + random.Between(0, 1);
        var contrary = opinionCount >= 3 && random.Chance(0.3) ? random.Between(1, (opinionCount - 1) / 2) : 0;

        // Agreeing opinions always outnumber contrary ones; half the contrary ones are answered in the same sentence.
        var agreeing = opinionCount - contrary;
        var body = new List<string>();
        for (var i = 0; i < contrary; i++)
        {
            var against = Opinion(film, -polarity);
            if (random.Chance(0.5))
            {
                body.Add($"{against}, but {Opinion(film, polarity)}");
                agreeing--;
            }
            else
            {
                body.Add(against);
            }
        }

        for (var i = 0; i < agreeing; i++)
        {
            body.Add(Opinion(film, polarity));
        }

        string? intro = random.Chance(0.7) ? $"{film.Title} is a {film.Genre} directed by {film.Director}" : null;
        string? verdict = contrary > 0 || random.Chance(0.7) ? Verdict(film, polarity, rating) : null;

        // Neutral sentences are dealt from a shuffled deck, so a long review does not repeat itself much.
        var deck = random.Permutation(NeutralSentenceKinds);
        var words = body.Sum(WordCount) + WordCount(intro) + WordCount(verdict);
        for (var i = 0; words < targetWords; i++)
        {
            var sentence = NeutralSentence(film, deck[i % deck.Length]);
            body.Add(sentence);
            words += WordCount(sentence);
        }

        random.Shuffle(body);
        string?[] sentences = [intro, .. body, verdict];
        return (Render(sentences.OfType<string>()), rating);
    }

    private Film NewFilm() => new(
        $"The {random.Pick(TitleWords)} {random.Pick(TitleNouns)}",
        random.Pick(Genres),
        FullName(),
        FullName(),
        FullName(),
        random.Pick(Occupations),
        random.Pick(Places));

    private string FullName() => $"{random.Pick(FirstNames)} {random.Pick(LastNames)}";

    /// <summary>An opinion clause of the given polarity, without its full stop.</summary>
    private string Opinion(Film film, int polarity)
    {
        var same = polarity > 0 ? PositiveAdjectives : NegativeAdjectives;
        var negated = polarity > 0 ? NegatedNegatives : NegatedPositives;
        var aspect = random.Pick(Aspects);
        return random.Between(0, 12) switch
        {
            <= 4 => $"{aspect} {random.Pick(["was", "is"])} {Intensifier()}{random.Pick(same)}",
            <= 6 => $"{aspect} {random.Pick(["was not", "is not", "wasn't", "isn't", "was never", "never felt"])} {random.Pick(negated)}",
            7 => $"{film.Lead} gives {WithArticle(Intensifier() + random.Pick(same))} performance as the {film.Occupation}",
            8 => random.Chance(0.75)
                ? $"I thought {aspect} was {random.Pick(same)}"
                : $"I would not call {aspect} {random.Pick(negated)}",
            <= 11 => random.Pick(polarity > 0 ? PositivePhrases : NegativePhrases),
            _ => $"this is {WithArticle(Intensifier() + random.Pick(same))} {film.Genre}",
        };
    }

    private string Intensifier() => random.Chance(0.4) ? random.Pick(Intensifiers) + " " : "";

    private static string WithArticle(string phrase) => ("aeiou".Contains(phrase[0]) ? "an " : "a ") + phrase;

    private string Verdict(Film film, int polarity, int rating) => random.Between(0, 3) switch
    {
        0 => random.Pick(polarity > 0 ? PositiveVerdicts : NegativeVerdicts),
        1 => random.Chance(0.5) ? $"{rating} out of 10" : $"{rating}/10",
        2 => $"Overall, {WithArticle(random.Pick(polarity > 0 ? PositiveAdjectives : NegativeAdjectives))} {film.Genre}",
        _ => polarity > 0
            ? $"In the end I would recommend {film.Title} to anyone"
            : $"In the end I would not recommend {film.Title} to anyone",
    };

    private string NeutralSentence(Film film, int kind) => kind switch
    {
        0 => $"{film.Lead} plays a {film.Occupation} who {random.Pick(PlotEvents)}",
        1 => $"The story is set in {random.Pick(Places)} during {random.Pick(Eras)}",
        2 => $"Most of the film takes place in {film.Place}",
        3 => $"{film.Lead} and {film.Support} share most of their scenes",
        4 => $"The film runs about {random.Between(80, 170)} minutes",
        5 => $"It is based on a novel by {FullName()}",
        6 => $"I saw it at {random.Pick(Venues)} with {random.Pick(Companions)}",
        7 => $"There is a subplot about the {film.Occupation}'s {random.Pick(Relatives)}",
        8 => $"In the second half {film.Support} {random.Pick(PlotEvents)}",
        9 => $"{film.Support} plays the {random.Pick(Relatives)} of the {film.Occupation}",
        10 => $"It came out in {random.Between(1960, 2023)}",
        11 => $"It was shot in {random.Pick(Places)} over {random.Between(3, 20)} weeks",
        12 => $"The first scene shows {film.Lead} alone in {film.Place}",
        13 => $"{film.Director} also wrote the script with {FullName()}",
        14 => $"Without giving too much away, the {film.Occupation} {random.Pick(PlotEvents)} before the end",
        15 => $"{film.Lead} spends much of the film trying to reach {random.Pick(Places)}",
        16 => $"The music was written by {FullName()}",
        17 => $"A lot of people told me to watch it",
        18 => $"It is the {random.Pick(Ordinals)} film by {film.Director}",
        19 => $"The {film.Occupation} is called {random.Pick(FirstNames)} in the film",
        20 => $"I watched it on a {random.Pick(Weekdays)} evening",
        21 => $"The production took {random.Between(2, 7)} years",
        22 => $"{film.Support} has a small role as a {random.Pick(Occupations)}",
        _ => $"The {random.Pick(Relatives)} of the {film.Occupation} lives in {random.Pick(Places)}",
    };

    /// <summary>Sentences with capitals and full stops, in paragraphs split by the &lt;br /&gt; breaks IMDB text has.</summary>
    private string Render(IEnumerable<string> sentences)
    {
        var text = new StringBuilder();
        foreach (var sentence in sentences)
        {
            if (text.Length > 0)
            {
                text.Append(random.Chance(0.08) ? "<br /><br />" : " ");
            }

            text.Append(char.ToUpperInvariant(sentence[0])).Append(sentence, 1, sentence.Length - 1).Append('.');
        }

        return text.ToString();
    }

    private static int WordCount(string? sentence) => sentence is null ? 0 : ReviewTokenizer.Tokenize(sentence).Count;

    private sealed record Film(string Title, string Genre, string Director, string Lead, string Support, string Occupation, string Place);
}
