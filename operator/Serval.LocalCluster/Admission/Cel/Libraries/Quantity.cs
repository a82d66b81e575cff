using System.Globalization;

namespace Serval.LocalCluster.Admission.Cel.Libraries;

/// <summary>
/// A Kubernetes resource quantity (<c>500m</c>, <c>1.5Gi</c>, <c>2e3</c>) as CEL's quantity library sees it:
/// an exact decimal value that compares, adds and converts.
/// </summary>
internal sealed record Quantity(decimal Value) : IComparable<Quantity>
{
    public const string Pattern = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

    private static readonly (string Suffix, decimal Factor)[] Suffixes =
    [
        ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
        ("Pi", 1024m * 1024 * 1024 * 1024 * 1024), ("Ei", 1024m * 1024 * 1024 * 1024 * 1024 * 1024),
        ("n", 0.000000001m), ("u", 0.000001m), ("m", 0.001m), (string.Empty, 1m), ("k", 1000m),
        ("M", 1000000m), ("G", 1000000000m), ("T", 1000000000000m), ("P", 1000000000000000m),
        ("E", 1000000000000000000m),
    ];

    public int CompareTo(Quantity? other) => other is null ? 1 : Value.CompareTo(other.Value);

    public static bool TryParse(string text, out Quantity? quantity)
    {
        quantity = null;
        if (text.Length == 0)
        {
            return false;
        }

        var i = 0;
        var negative = false;
        if (text[0] is '+' or '-')
        {
            negative = text[0] == '-';
            i = 1;
        }

        var numberStart = i;
        var seenDot = false;
        var digits = 0;
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
        {
            if (text[i] == '.')
            {
                if (seenDot)
                {
                    return false;
                }

                seenDot = true;
            }
            else
            {
                digits++;
            }

            i++;
        }

        if (digits == 0)
        {
            return false;
        }

        var number = text[numberStart..i];
        var suffix = text[i..];
        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        if (!TryApplySuffix(value, suffix, out value))
        {
            return false;
        }

        quantity = new Quantity(negative ? -value : value);
        return true;
    }

    private static bool TryApplySuffix(decimal value, string suffix, out decimal result)
    {
        result = 0;
        foreach (var (name, factor) in Suffixes)
        {
            if (name == suffix)
            {
                return TryMultiply(value, factor, out result);
            }
        }

        // A decimal exponent: e3, E-2, e+6 ("E" alone is exa, handled above).
        if (suffix.Length < 2 || suffix[0] is not ('e' or 'E'))
        {
            return false;
        }

        if (!int.TryParse(suffix.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent)
            || exponent is > 28 or < -28)
        {
            return false;
        }

        var scale = 1m;
        for (var k = 0; k < Math.Abs(exponent); k++)
        {
            scale *= 10m;
        }

        return exponent >= 0 ? TryMultiply(value, scale, out result) : TryDivide(value, scale, out result);
    }

    private static bool TryMultiply(decimal a, decimal b, out decimal result)
    {
        try
        {
            result = a * b;
            return true;
        }
        catch (OverflowException)
        {
            result = 0;
            return false;
        }
    }

    private static bool TryDivide(decimal a, decimal b, out decimal result)
    {
        result = a / b;
        return true;
    }

    public bool IsInteger => decimal.Truncate(Value) == Value && Value >= long.MinValue && Value <= long.MaxValue;

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
