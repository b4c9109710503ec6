using System.Globalization;

namespace SweepCluster.Sampling;

/// <summary>One dimension's value in an assignment: a number (whole for int_uniform) or a text choice.</summary>
public readonly record struct ParameterValue
{
    private ParameterValue(double number, string? text)
    {
        Number = number;
        Text = text;
    }

    /// <summary>The value when it is a number; 0 for a text value.</summary>
    public double Number { get; }

    /// <summary>The value when it is text; null for a number.</summary>
    public string? Text { get; }

    public bool IsText => Text is not null;

    public static ParameterValue Of(double number) => new(number, null);

    public static ParameterValue Of(string text) => new(0, text ?? throw new ArgumentNullException(nameof(text)));

    public static implicit operator ParameterValue(double number) => Of(number);

    public static implicit operator ParameterValue(string text) => Of(text);

    public override string ToString() => Text ?? Number.ToString("R", CultureInfo.InvariantCulture);
}
