using System.Globalization;

namespace Serval.Api.Schema;

/// <summary>
/// Formats a float64 as Go's %v does (shortest digits; exponent form from 1e+06 up and below 1e-04), because the
/// API server prints schema bounds that way and our messages must read the same.
/// </summary>
internal static class GoFloat
{
    public static string Format(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return double.IsNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";
        }

        if (value == 0)
        {
            return "0";
        }

        // "R" gives the shortest digits that round-trip; Go prints the same digits, only its layout differs.
        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var e = shortest.IndexOf('E', StringComparison.Ordinal);
        var mantissa = e < 0 ? shortest : shortest[..e];
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integer = dot < 0 ? mantissa : mantissa[..dot];
        var fractional = dot < 0 ? string.Empty : mantissa[(dot + 1)..];
        var allDigits = (integer + fractional).TrimStart('0');
        var exponent = e >= 0
            ? int.Parse(shortest[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) + integer.Length - 1
            : integer.TrimStart('0').Length > 0
                ? integer.TrimStart('0').Length - 1
                : -(fractional.Length - fractional.TrimStart('0').Length) - 1;
        var digits = allDigits.TrimEnd('0');
        if (digits.Length == 0)
        {
            digits = "0";
        }

        var sign = value < 0 ? "-" : string.Empty;
        if (exponent < -4 || exponent >= 6)
        {
            var fraction = digits.Length > 1 ? "." + digits[1..] : string.Empty;
            var abs = Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
            return $"{sign}{digits[0]}{fraction}e{(exponent < 0 ? '-' : '+')}{abs}";
        }

        // Between 1e-04 and 1e+06 "R" writes plain decimals, as Go does.
        return sign + shortest;
    }
}
