using System.Buffers;

namespace Serval.Worker.Tensors;

/// <summary>
/// The elements of one tensor in pooled memory. Fixed-size types keep their little-endian bytes
/// back to back; BYTES keeps every element's bytes back to back plus an offset per element.
/// Disposing returns the arrays to the pool, so a buffer has exactly one owner at a time.
/// </summary>
internal sealed class TensorBuffer : IDisposable
{
    private byte[] _data;
    private int[]? _offsets;
    private int _stringCount;

    private TensorBuffer(byte[] data, int byteLength, int[]? offsets)
    {
        _data = data;
        ByteLength = byteLength;
        _offsets = offsets;
    }

    /// <summary>Bytes in use.</summary>
    public int ByteLength { get; private set; }

    /// <summary>Whether the buffer holds BYTES elements.</summary>
    public bool IsStrings => _offsets is not null;

    /// <summary>Number of BYTES elements appended so far.</summary>
    public int StringCount => _stringCount;

    /// <summary>The bytes in use.</summary>
    public Span<byte> Bytes => _data.AsSpan(0, ByteLength);

    /// <summary>The backing array (longer than <see cref="ByteLength"/>), for pinning.</summary>
    public byte[] Array => _data;

    /// <summary>A zeroed buffer of <paramref name="byteLength"/> bytes for fixed-size elements.</summary>
    public static TensorBuffer Numeric(int byteLength)
    {
        // At least one byte, so the array can be pinned to a non-null address even for empty tensors.
        var data = ArrayPool<byte>.Shared.Rent(Math.Max(byteLength, 1));
        System.Array.Clear(data, 0, byteLength);
        return new TensorBuffer(data, byteLength, null);
    }

    /// <summary>An empty buffer for <paramref name="count"/> BYTES elements, filled with <see cref="AppendString"/>.</summary>
    public static TensorBuffer Strings(int count, int expectedBytes)
    {
        var offsets = ArrayPool<int>.Shared.Rent(count + 1);
        offsets[0] = 0;
        return new TensorBuffer(ArrayPool<byte>.Shared.Rent(Math.Max(expectedBytes, 16)), 0, offsets);
    }

    /// <summary>Element <paramref name="index"/> of a BYTES buffer.</summary>
    public ReadOnlySpan<byte> String(int index)
    {
        var offsets = _offsets ?? throw new InvalidOperationException("not a BYTES buffer");
        return _data.AsSpan(offsets[index], offsets[index + 1] - offsets[index]);
    }

    /// <summary>Appends one BYTES element.</summary>
    public void AppendString(ReadOnlySpan<byte> value)
    {
        value.CopyTo(ReserveString(value.Length));
        CommitString(value.Length);
    }

    /// <summary>Room for the next BYTES element; <see cref="CommitString"/> says how much was used.</summary>
    public Span<byte> ReserveString(int maxLength)
    {
        var offsets = _offsets ?? throw new InvalidOperationException("not a BYTES buffer");
        if (_stringCount + 1 >= offsets.Length)
        {
            var larger = ArrayPool<int>.Shared.Rent(offsets.Length * 2);
            offsets.AsSpan(0, _stringCount + 1).CopyTo(larger);
            ArrayPool<int>.Shared.Return(offsets);
            _offsets = larger;
        }

        if (ByteLength + maxLength > _data.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_data.Length * 2, ByteLength + maxLength));
            _data.AsSpan(0, ByteLength).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_data);
            _data = larger;
        }

        return _data.AsSpan(ByteLength, maxLength);
    }

    public void CommitString(int length)
    {
        var offsets = _offsets ?? throw new InvalidOperationException("not a BYTES buffer");
        ByteLength += length;
        offsets[++_stringCount] = ByteLength;
    }

    public void Dispose()
    {
        if (_data.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_data);
            _data = [];
        }

        if (_offsets is not null)
        {
            ArrayPool<int>.Shared.Return(_offsets);
            _offsets = null;
        }
    }
}
