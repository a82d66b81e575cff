using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;
using Serval.Worker.Cli;
using Serval.Worker.Tensors;

namespace Serval.Worker.Inference;

/// <summary>An ONNX Runtime session over one model file, fed from and returning pooled tensors.</summary>
internal sealed partial class OnnxModel : IModelRunner, IDisposable
{
    private const string CudaProvider = "CUDAExecutionProvider";

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly int[] _allOutputs;
    private readonly ILogger _logger;

    private OnnxModel(InferenceSession session, ModelSignature signature, string executionProvider, ILogger logger)
    {
        _session = session;
        Signature = signature;
        ExecutionProvider = executionProvider;
        _logger = logger;
        _inputNames = signature.Inputs.Select(s => s.Name).ToArray();
        _outputNames = signature.Outputs.Select(s => s.Name).ToArray();
        _allOutputs = Enumerable.Range(0, _outputNames.Length).ToArray();
    }

    public ModelSignature Signature { get; }

    /// <summary>"CPU" or "CUDA": where the session runs.</summary>
    public string ExecutionProvider { get; }

    /// <summary>Indices of every output, in signature order.</summary>
    public IReadOnlyList<int> AllOutputs => _allOutputs;

    /// <exception cref="ModelLoadException">The file is not a model this worker can serve, or the provider cannot start.</exception>
    public static OnnxModel Load(string path, ExecutionProviderKind provider, int intraOpThreads, int interOpThreads, ILogger logger)
    {
        var cudaBuilt = OrtEnv.Instance().GetAvailableProviders().Contains(CudaProvider);
        if (provider == ExecutionProviderKind.Cuda && !cudaBuilt)
        {
            throw new ModelLoadException(
                "--execution-provider Cuda was asked for, but this build of serval-worker has no CUDA execution provider (use the GPU image)");
        }

        if (provider != ExecutionProviderKind.Cpu && cudaBuilt)
        {
            try
            {
                var cudaSession = CreateSession(path, intraOpThreads, interOpThreads, useCuda: true);
                LogProvider(logger, "CUDA", provider);
                return Create(cudaSession, "CUDA", logger);
            }
            catch (OnnxRuntimeException e) when (provider == ExecutionProviderKind.Auto)
            {
                LogCudaFallback(logger, e.Message);
            }
            catch (OnnxRuntimeException e)
            {
                throw new ModelLoadException($"--execution-provider Cuda: CUDA could not start: {e.Message}", e);
            }
        }

        var session = CreateSession(path, intraOpThreads, interOpThreads, useCuda: false);
        LogProvider(logger, "CPU", provider);
        return Create(session, "CPU", logger);
    }

    public IReadOnlyList<Tensor> Run(IReadOnlyList<Tensor> inputs, IReadOnlyList<int> outputIndices)
    {
        var values = new OrtValue[inputs.Count];
        var pins = new GCHandle[inputs.Count];
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                values[i] = ToOrtValue(inputs[i], ref pins[i]);
            }

            var names = SameSequence(outputIndices, _allOutputs) ? _outputNames : outputIndices.Select(i => _outputNames[i]).ToArray();
            using var results = _session.Run(_runOptions, _inputNames, values, names);
            var outputs = new List<Tensor>(results.Count);
            try
            {
                var index = 0;
                foreach (var result in results)
                {
                    outputs.Add(FromOrtValue(names[index++], result));
                }
            }
            catch
            {
                foreach (var output in outputs)
                {
                    output.Dispose();
                }

                throw;
            }

            return outputs;
        }
        catch (OnnxRuntimeException e)
        {
            // The error code is internal to the managed API; it leads the message as "[ErrorCode:InvalidArgument]".
            throw new ModelExecutionException(e.Message, e.Message.Contains("[ErrorCode:InvalidArgument]", StringComparison.Ordinal), e);
        }
        finally
        {
            foreach (var value in values)
            {
                value?.Dispose();
            }

            foreach (var pin in pins)
            {
                if (pin.IsAllocated)
                {
                    pin.Free();
                }
            }
        }
    }

    /// <summary>
    /// Runs the model once on zeros (dynamic dimensions set to 1) so the first real request does
    /// not pay for lazy initialisation; returns how long it took.
    /// </summary>
    public TimeSpan WarmUp()
    {
        var started = Stopwatch.GetTimestamp();
        var inputs = new List<Tensor>();
        try
        {
            foreach (var spec in Signature.Inputs)
            {
                var shape = spec.Shape.Select(d => d < 0 ? 1 : d).ToArray();
                var count = (int)TensorShape.ElementCount(shape, int.MaxValue);
                TensorBuffer buffer;
                if (spec.Datatype == TensorDatatype.Bytes)
                {
                    buffer = TensorBuffer.Strings(count, 16);
                    for (var i = 0; i < count; i++)
                    {
                        buffer.AppendString([]);
                    }
                }
                else
                {
                    buffer = TensorBuffer.Numeric(count * spec.Datatype.ElementSize());
                }

                inputs.Add(new Tensor(spec.Name, spec.Datatype, shape, buffer));
            }

            foreach (var output in Run(inputs, _allOutputs))
            {
                output.Dispose();
            }
        }
        catch (ModelExecutionException e)
        {
            LogWarmUpFailed(_logger, e.Message);
        }
        finally
        {
            foreach (var input in inputs)
            {
                input.Dispose();
            }
        }

        return Stopwatch.GetElapsedTime(started);
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }

    private static InferenceSession CreateSession(string path, int intraOpThreads, int interOpThreads, bool useCuda)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
        };
        if (intraOpThreads > 0)
        {
            options.IntraOpNumThreads = intraOpThreads;
        }

        if (interOpThreads > 0)
        {
            options.ExecutionMode = ExecutionMode.ORT_PARALLEL;
            options.InterOpNumThreads = interOpThreads;
        }

        if (useCuda)
        {
            options.AppendExecutionProvider_CUDA(0);
        }

        try
        {
            return new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e) when (!useCuda)
        {
            throw new ModelLoadException($"ONNX Runtime cannot load '{path}': {e.Message}", e);
        }
    }

    private static OnnxModel Create(InferenceSession session, string provider, ILogger logger)
    {
        try
        {
            var signature = new ModelSignature(
                session.InputMetadata.Select(p => Spec("input", p.Key, p.Value)).ToArray(),
                session.OutputMetadata.Select(p => Spec("output", p.Key, p.Value)).ToArray());
            return new OnnxModel(session, signature, provider, logger);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static TensorSpec Spec(string kind, string name, NodeMetadata metadata)
    {
        if (!metadata.IsTensor)
        {
            throw new ModelLoadException(
                $"{kind} '{name}' is a {metadata.OnnxValueType}, not a tensor; serval-worker serves models whose inputs and outputs are tensors");
        }

        var datatype = TensorDatatypes.FromOnnx(metadata.ElementDataType)
            ?? throw new ModelLoadException(
                $"{kind} '{name}' has element type {metadata.ElementDataType}, which the inference protocol cannot carry");
        var shape = metadata.Dimensions.Select(d => d < 0 ? -1L : d).ToArray();
        return new TensorSpec(name, datatype, shape);
    }

    private static OrtValue ToOrtValue(Tensor tensor, ref GCHandle pin)
    {
        if (tensor.Data.IsStrings)
        {
            var value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, tensor.Shape);
            for (var i = 0; i < tensor.Data.StringCount; i++)
            {
                value.StringTensorSetElementAt(tensor.Data.String(i), i);
            }

            return value;
        }

        pin = GCHandle.Alloc(tensor.Data.Array, GCHandleType.Pinned);
        return OrtValue.CreateTensorValueWithData(
            OrtMemoryInfo.DefaultInstance, tensor.Datatype.ToOnnx(), tensor.Shape, pin.AddrOfPinnedObject(), tensor.Data.ByteLength);
    }

    private static Tensor FromOrtValue(string name, OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        var datatype = TensorDatatypes.FromOnnx(info.ElementDataType)
            ?? throw new ModelExecutionException($"output '{name}' has element type {info.ElementDataType}", isInvalidInput: false);
        var shape = info.Shape;
        var count = checked((int)info.ElementCount);
        if (datatype == TensorDatatype.Bytes)
        {
            var strings = TensorBuffer.Strings(count, count * 16);
            for (var i = 0; i < count; i++)
            {
                strings.AppendString(value.GetStringElementAsSpan(i));
            }

            return new Tensor(name, datatype, shape, strings);
        }

        var raw = value.GetTensorMutableRawData();
        var buffer = TensorBuffer.Numeric(raw.Length);
        raw.CopyTo(buffer.Bytes);
        return new Tensor(name, datatype, shape, buffer);
    }

    private static bool SameSequence(IReadOnlyList<int> a, int[] b)
    {
        if (a.Count != b.Length)
        {
            return false;
        }

        for (var i = 0; i < b.Length; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }
}
