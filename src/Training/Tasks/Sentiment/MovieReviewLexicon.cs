namespace SweepCluster.Training.Tasks.Sentiment;

/// <summary>
/// The words the generated reviews are made of. Neutral words (plot, people, places) are shared by both labels;
/// sentiment lives in the adjectives, phrases and verdicts, and the commonest adjectives also appear negated
/// ("not boring", "never convincing") with the opposite meaning, so single words are strong but imperfect evidence.
/// Changing any list changes the generated corpus (and so every result trained on it).
/// </summary>
internal static class MovieReviewLexicon
{
    public static readonly string[] TitleWords =
    [
        "Silent", "Last", "Long", "Northern", "Broken", "Hidden", "Golden", "Red", "Quiet", "Distant", "Second", "Empty",
    ];

    public static readonly string[] TitleNouns =
    [
        "Harbor", "Road", "Summer", "Letter", "Garden", "River", "Station", "Promise", "Winter", "House", "Signal", "Shore",
    ];

    public static readonly string[] Genres =
    [
        "thriller", "comedy", "drama", "western", "horror film", "romance", "war film", "mystery",
        "science fiction film", "crime drama", "musical", "family film", "heist movie", "period piece", "road movie",
    ];

    public static readonly string[] FirstNames =
    [
        "Anna", "Ben", "Clara", "David", "Elena", "Frank", "Grace", "Henry", "Iris", "Jack", "Karen", "Leo",
        "Maria", "Nick", "Olivia", "Paul", "Rosa", "Sam", "Tessa", "Victor", "Wendy", "Yusuf", "Zoe", "Omar",
    ];

    public static readonly string[] LastNames =
    [
        "Walker", "Moreno", "Chen", "Fischer", "Okafor", "Larsen", "Novak", "Brennan", "Duval", "Kowalski",
        "Tanaka", "Reyes", "Hughes", "Lindqvist", "Abbott", "Marsh", "Castillo", "Sato", "Keller", "Byrne",
    ];

    public static readonly string[] Occupations =
    [
        "detective", "nurse", "teacher", "pilot", "journalist", "farmer", "lawyer", "soldier", "chef", "musician",
        "mechanic", "scientist", "priest", "boxer", "painter", "taxi driver", "lighthouse keeper", "thief",
    ];

    public static readonly string[] Relatives = ["brother", "sister", "mother", "father", "daughter", "son", "wife", "husband", "best friend", "partner"];

    public static readonly string[] Places =
    [
        "a small town in Maine", "Paris", "a remote island", "New York", "the desert", "a mining village", "Tokyo",
        "a boarding school", "a space station", "the suburbs", "Rome", "a fishing boat", "a mountain hotel",
        "a crowded hospital", "Berlin", "a farm in Iowa", "a prison", "a seaside resort",
    ];

    public static readonly string[] Eras =
    [
        "the 1920s", "the 1950s", "the 1970s", "the 1980s", "the near future", "the present day", "the war",
        "a single long weekend", "one hot summer", "the last days of winter",
    ];

    public static readonly string[] PlotEvents =
    [
        "tries to solve a murder", "falls in love with a stranger", "searches for a missing sister",
        "plans one last job", "returns home after many years", "uncovers a family secret", "fights to save the farm",
        "joins a traveling band", "is haunted by the past", "must survive a long winter", "takes over a failing restaurant",
        "trains for a final fight", "investigates a series of fires", "hides a fugitive in the attic",
        "sails across the ocean", "runs for mayor", "loses everything in a single night", "starts a new school",
    ];

    public static readonly string[] Aspects =
    [
        "the acting", "the plot", "the script", "the dialogue", "the cinematography", "the soundtrack", "the score",
        "the pacing", "the ending", "the direction", "the editing", "the cast", "the lead performance",
        "the effects work", "the story", "the humor", "the camera work", "the set design", "the final act",
        "the opening scene", "the supporting cast", "the villain",
    ];

    public static readonly string[] Intensifiers =
    [
        "really", "truly", "very", "quite", "absolutely", "simply", "genuinely", "rather", "pretty", "incredibly",
    ];

    public static readonly string[] PositiveAdjectives =
    [
        "great", "excellent", "wonderful", "brilliant", "superb", "moving", "gripping", "delightful", "charming",
        "masterful", "beautiful", "memorable", "stunning", "touching", "fantastic", "outstanding", "clever",
        "engaging", "powerful", "convincing", "funny", "fresh", "haunting", "terrific", "smart", "thrilling",
        "good", "interesting", "original",
    ];

    public static readonly string[] NegativeAdjectives =
    [
        "terrible", "awful", "boring", "dull", "painful", "clumsy", "forgettable", "lifeless", "tedious",
        "predictable", "weak", "bland", "poor", "horrible", "incoherent", "lazy", "dreadful", "pointless",
        "mediocre", "disappointing", "silly", "flat", "messy", "cheap", "annoying", "confusing", "bad",
    ];

    // As in real reviews, negation ("not good", "never boring") falls on a few common words, which so end up
    // in reviews of both labels: the word alone misleads, the phrase does not.
    public static readonly string[] NegatedPositives = ["good", "great", "funny", "convincing", "interesting", "original"];

    public static readonly string[] NegatedNegatives = ["bad", "boring", "terrible", "awful", "dull", "predictable"];

    public static readonly string[] PositivePhrases =
    [
        "I loved every minute of it", "it kept me on the edge of my seat", "I was moved to tears",
        "I laughed out loud more than once", "it is worth every penny", "I cannot wait to watch it again",
        "it stayed with me for days", "the whole cast is a joy to watch", "the time flew by",
        "every scene feels carefully made", "my whole family enjoyed it", "it surprised me in the best way",
    ];

    public static readonly string[] NegativePhrases =
    [
        "I almost fell asleep", "it felt twice as long as it was", "I kept checking my watch",
        "it was a complete waste of time", "I wanted my money back", "I walked out halfway through",
        "nothing in it makes sense", "the jokes fall flat", "I regret renting it",
        "the whole thing feels rushed", "my friends hated it too", "I could not wait for it to end",
    ];

    public static readonly string[] PositiveVerdicts =
    [
        "Highly recommended", "Definitely worth watching", "One of the best films I have seen this year",
        "Go and see it", "A must see", "I would happily watch it again", "Do not miss this one",
    ];

    public static readonly string[] NegativeVerdicts =
    [
        "Avoid this one", "Not worth your time", "One of the worst films I have seen this year",
        "Skip it", "A total letdown", "I would never watch it again", "Save your money",
    ];

    public static readonly string[] Ordinals = ["first", "second", "third", "fourth", "latest"];

    public static readonly string[] Weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

    public static readonly string[] Venues = ["a film festival", "the local cinema", "home", "a drive-in", "a late show", "a friend's house"];

    public static readonly string[] Companions = ["my wife", "my husband", "a friend", "my kids", "my parents", "a date", "my brother"];
}
