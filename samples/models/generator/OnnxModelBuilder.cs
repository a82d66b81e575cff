using Google.Protobuf;
using Onnx;

namespace Serval.SampleModels;

/// <summary>
/// A small fluent builder for ONNX graphs. It writes no timestamps or random names, so the same
/// calls always serialise to the same bytes.
/// </summary>
public sealed class OnnxModelBuilder
{
    /// <summary>The opset the sample models target; every ONNX Runtime since 1.12 runs it.</summary>
    public const long Opset = 17;

    /// <summary>Name given to a dynamic dimension (written as -1 in a shape).</summary>
    public const string DynamicDimension = "batch";

    private readonly GraphProto _graph;

    public OnnxModelBuilder(string graphName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(graphName);
        _graph = new GraphProto { Name = graphName };
    }

    /// <summary>Declares a graph input; a dimension of -1 is dynamic.</summary>
    public OnnxModelBuilder Input(string name, TensorProto.Types.DataType type, params long[] shape)
    {
        _graph.Input.Add(ValueInfo(name, type, shape));
        return this;
    }

    /// <summary>Declares a graph output; a dimension of -1 is dynamic.</summary>
    public OnnxModelBuilder Output(string name, TensorProto.Types.DataType type, params long[] shape)
    {
        _graph.Output.Add(ValueInfo(name, type, shape));
        return this;
    }

    /// <summary>Adds a constant FP32 tensor.</summary>
    public OnnxModelBuilder Initializer(string name, float[] values, params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        CheckCount(name, values.Length, shape);
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(shape);
        tensor.FloatData.AddRange(values);
        _graph.Initializer.Add(tensor);
        return this;
    }

    /// <summary>Adds a constant INT64 tensor.</summary>
    public OnnxModelBuilder Initializer(string name, long[] values, params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        CheckCount(name, values.Length, shape);
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(shape);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return this;
    }

    /// <summary>Adds an operator node of the default ONNX domain.</summary>
    public OnnxModelBuilder Node(string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(attributes);
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{_graph.Node.Count}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return this;
    }

    /// <summary>Serialises the model.</summary>
    public byte[] Build()
    {
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "serval-sample-models",
            ProducerVersion = "1",
            Graph = _graph.Clone(),
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model.ToByteArray();
    }

    /// <summary>An integer attribute.</summary>
    public static AttributeProto Attribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A float attribute.</summary>
    public static AttributeProto Attribute(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>An integer-list attribute.</summary>
    public static AttributeProto Attribute(string name, long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, long[] shape)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(shape);
        var tensorShape = new TensorShapeProto();
        foreach (var dim in shape)
        {
            tensorShape.Dim.Add(dim < 0
                ? new TensorShapeProto.Types.Dimension { DimParam = DynamicDimension }
                : new TensorShapeProto.Types.Dimension { DimValue = dim });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = tensorShape } },
        };
    }

    private static void CheckCount(string name, int count, long[] shape)
    {
        long expected = 1;
        foreach (var dim in shape)
        {
            expected *= dim;
        }

        if (expected != count)
        {
            throw new ArgumentException(
                $"initializer '{name}' has {count} values but shape [{string.Join(", ", shape)}] needs {expected}",
                nameof(shape));
        }
    }
}
