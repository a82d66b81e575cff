namespace Serval.LocalCluster.Tests.TestSupport;

/// <summary>Polls a condition that a background process (garbage collector, watch) makes true, with an overall timeout.</summary>
internal static class Eventually
{
    public static async Task<T> ValueAsync<T>(Func<T> read, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {what}; last value: {value}");
            }

            await Task.Delay(20);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        ValueAsync(condition, v => v, what, timeout);
}
