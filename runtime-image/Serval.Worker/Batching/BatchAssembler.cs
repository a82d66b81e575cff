using Serval.Worker.Tensors;

namespace Serval.Worker.Batching;

/// <summary>Stacks inputs along dimension 0 and splits outputs back into each request's rows.</summary>
internal static class BatchAssembler
{
    /// <summary>One tensor per input: the requests' tensors one after another. The caller owns the result.</summary>
    public static List<Tensor> Concatenate(IReadOnlyList<PendingInference> batch)
    {
        var first = batch[0];
        var result = new List<Tensor>(first.Inputs.Count);
        try
        {
            for (var j = 0; j < first.Inputs.Count; j++)
            {
                result.Add(ConcatenateInput(batch, j));
            }

            return result;
        }
        catch
        {
            foreach (var tensor in result)
            {
                tensor.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// Cuts a batch output into one tensor per request with <paramref name="rows"/>[i] rows each.
    /// </summary>
    /// <exception cref="InvalidOperationException">The output's first dimension is not the batch's row count.</exception>
    public static Tensor[] Split(Tensor output, IReadOnlyList<long> rows)
    {
        var total = rows.Sum();
        if (output.Shape.Length == 0 || output.Shape[0] != total)
        {
            throw new InvalidOperationException(
                $"output '{output.Name}' has shape {TensorShape.Format(output.Shape)}, which does not start with the batch's {total} rows");
        }

        var parts = new Tensor[rows.Count];
        var offset = 0L;
        for (var i = 0; i < rows.Count; i++)
        {
            var shape = (long[])output.Shape.Clone();
            shape[0] = rows[i];
            parts[i] = new Tensor(output.Name, output.Datatype, shape, Slice(output.Data, total, offset, rows[i]));
            offset += rows[i];
        }

        return parts;
    }

    private static Tensor ConcatenateInput(IReadOnlyList<PendingInference> batch, int input)
    {
        var first = batch[0].Inputs[input];
        var shape = (long[])first.Shape.Clone();
        shape[0] = batch.Sum(p => p.Inputs[input].Shape[0]);
        TensorBuffer buffer;
        if (first.Data.IsStrings)
        {
            buffer = TensorBuffer.Strings(batch.Sum(p => p.Inputs[input].Data.StringCount), batch.Sum(p => p.Inputs[input].Data.ByteLength));
            foreach (var pending in batch)
            {
                var data = pending.Inputs[input].Data;
                for (var k = 0; k < data.StringCount; k++)
                {
                    buffer.AppendString(data.String(k));
                }
            }
        }
        else
        {
            buffer = TensorBuffer.Numeric(batch.Sum(p => p.Inputs[input].Data.ByteLength));
            var at = 0;
            foreach (var pending in batch)
            {
                var bytes = pending.Inputs[input].Data.Bytes;
                bytes.CopyTo(buffer.Bytes[at..]);
                at += bytes.Length;
            }
        }

        return new Tensor(first.Name, first.Datatype, shape, buffer);
    }

    private static TensorBuffer Slice(TensorBuffer data, long totalRows, long firstRow, long rows)
    {
        if (data.IsStrings)
        {
            var perRow = totalRows == 0 ? 0 : data.StringCount / (int)totalRows;
            var slice = TensorBuffer.Strings(perRow * (int)rows, 64);
            for (var k = perRow * (int)firstRow; k < perRow * (int)(firstRow + rows); k++)
            {
                slice.AppendString(data.String(k));
            }

            return slice;
        }

        var rowBytes = totalRows == 0 ? 0 : data.ByteLength / (int)totalRows;
        var part = TensorBuffer.Numeric(rowBytes * (int)rows);
        data.Bytes.Slice(rowBytes * (int)firstRow, rowBytes * (int)rows).CopyTo(part.Bytes);
        return part;
    }
}
