using System.Diagnostics;
using System.Globalization;

namespace PgAuditFirehose.Benchmarks;

/// <summary>What the iterating aids (<c>--quick</c>, <c>--ratio</c>, <c>--stages</c>, <c>--compare</c>) share: calls timed in a row, and the medians they report.</summary>
internal static class Rounds
{
    /// <summary>Milliseconds per call, over <paramref name="calls"/> calls in a row.</summary>
    public static double Time(Func<long> run, int calls)
    {
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < calls; i++) run();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds / calls;
    }

    /// <summary>The median of <paramref name="values"/>, which it sorts.</summary>
    public static double Median(double[] values)
    {
        Array.Sort(values);
        return values[values.Length / 2];
    }

    /// <summary>"median (first-third quartile)" of <paramref name="values"/>, which it sorts.</summary>
    public static string Quartiles(double[] values)
    {
        var median = Median(values);
        return string.Create(CultureInfo.InvariantCulture, $"{median:F3} ({values[values.Length / 4]:F3}-{values[3 * values.Length / 4]:F3})");
    }
}
