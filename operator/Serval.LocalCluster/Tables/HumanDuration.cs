using System.Globalization;

namespace Serval.LocalCluster.Tables;

/// <summary>Ages as kubectl prints them ("45s", "3m20s", "5h", "12d"), matching apimachinery's HumanDuration.</summary>
internal static class HumanDuration
{
    public static string Format(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 120)
        {
            return Inv($"{seconds}s");
        }

        var minutes = (long)d.TotalMinutes;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? Inv($"{minutes}m") : Inv($"{minutes}m{s}s");
        }

        if (minutes < 60 * 3)
        {
            return Inv($"{minutes}m");
        }

        var hours = (long)d.TotalHours;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? Inv($"{hours}h") : Inv($"{hours}h{m}m");
        }

        if (hours < 48)
        {
            return Inv($"{hours}h");
        }

        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? Inv($"{hours / 24}d") : Inv($"{hours / 24}d{h}h");
        }

        if (hours < 24 * 365 * 2)
        {
            return Inv($"{hours / 24}d");
        }

        if (hours < 24 * 365 * 8)
        {
            var dy = hours / 24 % 365;
            return dy == 0 ? Inv($"{hours / 24 / 365}y") : Inv($"{hours / 24 / 365}y{dy}d");
        }

        return Inv($"{hours / 24 / 365}y");
    }

    public static string Since(string? timestamp, DateTimeOffset now) =>
        timestamp is not null && DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? Format(now - t)
            : "<unknown>";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
