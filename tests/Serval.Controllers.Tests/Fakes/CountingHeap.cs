using Serval.Controllers.Memory;

namespace Serval.Controllers.Tests.Fakes;

/// <summary>A heap that reports whatever was allocated and counts compactions.</summary>
internal sealed class CountingHeap : IManagedHeap
{
    private long _allocated;
    private int _compactions;

    public int Compactions => Volatile.Read(ref _compactions);

    public void Allocate(long bytes) => Interlocked.Add(ref _allocated, bytes);

    public HeapReading Read() => new(Interlocked.Read(ref _allocated), 64L << 20, 32L << 20);

    public void Compact() => Interlocked.Increment(ref _compactions);
}
