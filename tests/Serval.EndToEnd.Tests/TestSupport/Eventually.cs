namespace Serval.EndToEnd.Tests.TestSupport;

/// <summary>Polls a condition the system makes true in the background, with a deadline (never a fixed sleep).</summary>
internal static class Eventually
{
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {timeout.TotalSeconds} s waiting for {what}; last value: {value}");
            }

            await Task.Delay(50);
        }
    }

    public static Task<T> ValueAsync<T>(Func<T> read, Func<T, bool> done, string what, TimeSpan timeout) =>
        ValueAsync(() => Task.FromResult(read()), done, what, timeout);

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan timeout) => ValueAsync(condition, v => v, what, timeout);
}
