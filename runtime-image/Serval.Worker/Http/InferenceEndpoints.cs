using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Serval.Worker.Batching;
using Serval.Worker.Inference;
using Serval.Worker.Observability;
using Serval.Worker.Protocol;
using Serval.Worker.Tensors;

namespace Serval.Worker.Http;

/// <summary>The Open Inference Protocol (V2) REST endpoints.</summary>
internal sealed partial class InferenceEndpoints(
    ServingState state, WorkerMetrics metrics, EndpointLimits limits, TimeProvider time, ILogger<InferenceEndpoints> logger)
{
    private const string ServerName = "serval-worker";
    private const string Platform = "onnxruntime_onnx";
    private const string BinaryHeader = "Inference-Header-Content-Length";

    /// <summary>Bodies up to this many bytes are parsed on the thread that read them (a few microseconds of work).</summary>
    private const int InlineParseLimit = 64 * 1024;

    // Infer requests between their start and their answer.
    private int _inFlight;

    private static readonly string ServerVersion =
        typeof(InferenceEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private readonly record struct InferResult(RequestOutcome Outcome, long Rows = 0, TimeSpan QueueTime = default, TimeSpan ComputeTime = default);

    public static Task Live(HttpContext context) =>
        HttpResponses.WriteJsonAsync(context, 200, true, static (json, _) =>
        {
            json.WriteStartObject();
            json.WriteBoolean("live"u8, true);
            json.WriteEndObject();
        });

    public Task Ready(HttpContext context) =>
        HttpResponses.WriteJsonAsync(context, state.IsReady ? 200 : 503, state.IsReady, static (json, ready) =>
        {
            json.WriteStartObject();
            json.WriteBoolean("ready"u8, ready);
            json.WriteEndObject();
        });

    public static Task ServerMetadata(HttpContext context) =>
        HttpResponses.WriteJsonAsync(context, 200, 0, static (json, _) =>
        {
            json.WriteStartObject();
            json.WriteString("name"u8, ServerName);
            json.WriteString("version"u8, ServerVersion);
            json.WriteStartArray("extensions"u8);
            json.WriteStringValue("binary_tensor_data"u8);
            json.WriteStringValue("model_list"u8);
            json.WriteEndArray();
            json.WriteEndObject();
        });

    public Task ModelList(HttpContext context) =>
        HttpResponses.WriteJsonAsync(context, 200, state, static (json, s) =>
        {
            json.WriteStartObject();
            json.WriteStartArray("models"u8);
            json.WriteStartObject();
            json.WriteString("name"u8, s.ModelName);
            json.WriteStartArray("versions"u8);
            json.WriteStringValue(s.ModelVersion);
            json.WriteEndArray();
            json.WriteString("platform"u8, Platform);
            json.WriteString("state"u8, s.IsReady ? "READY"u8 : "UNAVAILABLE"u8);
            json.WriteBoolean("ready"u8, s.IsReady);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        });

    public Task ModelMetadata(HttpContext context)
    {
        if (UnknownModel(context) is { } unknown)
        {
            return HttpResponses.WriteErrorAsync(context, 404, unknown);
        }

        if (state.Model is not { } model)
        {
            return NotReady(context);
        }

        return HttpResponses.WriteJsonAsync(context, 200, (state, model), static (json, s) =>
        {
            json.WriteStartObject();
            json.WriteString("name"u8, s.state.ModelName);
            json.WriteStartArray("versions"u8);
            json.WriteStringValue(s.state.ModelVersion);
            json.WriteEndArray();
            json.WriteString("platform"u8, Platform);
            WriteSpecs(json, "inputs"u8, s.model.Signature.Inputs);
            WriteSpecs(json, "outputs"u8, s.model.Signature.Outputs);
            json.WriteEndObject();
        });
    }

    public Task ModelReady(HttpContext context)
    {
        if (UnknownModel(context) is { } unknown)
        {
            return HttpResponses.WriteErrorAsync(context, 404, unknown);
        }

        return HttpResponses.WriteJsonAsync(context, state.IsReady ? 200 : 503, state, static (json, s) =>
        {
            json.WriteStartObject();
            json.WriteString("name"u8, s.ModelName);
            json.WriteBoolean("ready"u8, s.IsReady);
            json.WriteEndObject();
        });
    }

    public static Task NoSuchEndpoint(HttpContext context) =>
        HttpResponses.WriteErrorAsync(context, 404, $"no such endpoint: {context.Request.Method} {context.Request.Path}");

    public async Task Infer(HttpContext context)
    {
        var started = time.GetTimestamp();
        Interlocked.Increment(ref _inFlight);
        metrics.RequestStarted();
        var result = new InferResult(RequestOutcome.ServerError);
        try
        {
            result = await InferCore(context, started).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            // A fault of the worker itself: still answer in the protocol's error shape.
            LogInferFault(logger, e);
            await HttpResponses.WriteErrorAsync(context, 500, $"internal error: {e.Message}").ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            metrics.RequestFinished(result.Outcome, time.GetElapsedTime(started), result.Rows, result.QueueTime, result.ComputeTime);
        }
    }

    private async Task<InferResult> InferCore(HttpContext context, long started)
    {
        if (UnknownModel(context) is { } unknown)
        {
            await HttpResponses.WriteErrorAsync(context, 404, unknown).ConfigureAwait(false);
            return new InferResult(RequestOutcome.ClientError);
        }

        if (state.Model is not { } model)
        {
            await NotReady(context).ConfigureAwait(false);
            return new InferResult(RequestOutcome.Rejected);
        }

        var scheduler = model.Scheduler;
        using var timeout = limits.RequestTimeout > TimeSpan.Zero
            ? CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted)
            : null;
        timeout?.CancelAfter(limits.RequestTimeout);
        var cancellation = timeout?.Token ?? context.RequestAborted;

        PendingInference pending;
        bool[] binaryOutputs;
        string? id;
        scheduler.Arriving();
        var arriving = true;
        try
        {
            var (body, length) = await ReadBodyAsync(context, cancellation).ConfigureAwait(false);
            if (length > InlineParseLimit)
            {
                // This may be the socket thread (inline I/O completions): a large body is parsed on the thread pool so
                // that other connections' reads are not held behind it.
                await Task.Yield();
            }

            InferRequest request;
            try
            {
                request = Parse(context, body.AsSpan(0, length));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(body);
            }

            ValidatedRequest validated;
            try
            {
                validated = RequestValidator.Validate(request, model.Signature);
            }
            catch
            {
                request.Dispose();
                throw;
            }

            id = request.Id;
            binaryOutputs = validated.BinaryOutputs;
            pending = new PendingInference(request, validated, time.GetTimestamp(), cancellation);
            arriving = false;
            if (!scheduler.TryEnqueue(pending, alone: Volatile.Read(ref _inFlight) == 1))
            {
                pending.Dispose();
                context.Response.Headers.RetryAfter = "1";
                await HttpResponses.WriteErrorAsync(
                    context, 429, $"model '{state.ModelName}' has {limits.MaxQueueLength} requests queued, the most it takes; retry later")
                    .ConfigureAwait(false);
                return new InferResult(RequestOutcome.Rejected);
            }
        }
        catch (ProtocolException e)
        {
            await HttpResponses.WriteErrorAsync(context, e.StatusCode, e.Message).ConfigureAwait(false);
            return new InferResult(RequestOutcome.ClientError);
        }
        catch (BadHttpRequestException e)
        {
            await HttpResponses.WriteErrorAsync(context, e.StatusCode, BodyError(e)).ConfigureAwait(false);
            return new InferResult(RequestOutcome.ClientError);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return await Cancelled(context).ConfigureAwait(false);
        }
        catch (IOException) when (context.RequestAborted.IsCancellationRequested)
        {
            return await Cancelled(context).ConfigureAwait(false);
        }
        finally
        {
            if (arriving)
            {
                scheduler.NotArriving();
            }
        }

        IReadOnlyList<Tensor> outputs;
        try
        {
            outputs = await pending.Completion.WaitAsync(cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            pending.Abandon();
            return await Cancelled(context).ConfigureAwait(false);
        }
        catch (ModelExecutionException e) when (e.IsInvalidInput)
        {
            await HttpResponses.WriteErrorAsync(context, 400, $"the model refused the input: {e.Message}").ConfigureAwait(false);
            return new InferResult(RequestOutcome.ClientError);
        }
        catch (ModelExecutionException e)
        {
            await HttpResponses.WriteErrorAsync(context, 500, $"inference failed: {e.Message}").ConfigureAwait(false);
            return new InferResult(RequestOutcome.ServerError);
        }

        if (context.RequestAborted.IsCancellationRequested
            || (limits.RequestTimeout > TimeSpan.Zero && time.GetElapsedTime(started) > limits.RequestTimeout))
        {
            // Computed on this thread past the deadline, whose timer may not have fired yet (or the
            // client left meanwhile): the same answer as when the deadline passes in the queue.
            foreach (var output in outputs)
            {
                output.Dispose();
            }

            return await Cancelled(context).ConfigureAwait(false);
        }

        try
        {
            await WriteInferResponseAsync(context, id, outputs, binaryOutputs).ConfigureAwait(false);
        }
        finally
        {
            foreach (var output in outputs)
            {
                output.Dispose();
            }
        }

        var rows = pending.Rows >= 0 ? pending.Rows : 1;
        return new InferResult(RequestOutcome.Success, rows, pending.QueueTime, pending.ComputeTime);
    }

    private InferRequest Parse(HttpContext context, ReadOnlySpan<byte> body)
    {
        var jsonLength = body.Length;
        if (context.Request.Headers.TryGetValue(BinaryHeader, out var header))
        {
            if (!int.TryParse(header.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out jsonLength) || jsonLength > body.Length)
            {
                throw ProtocolException.BadRequest(
                    $"{BinaryHeader} is '{header}' but the body has {body.Length} bytes; it must be the length of the JSON part");
            }
        }

        return InferRequestParser.Parse(body[..jsonLength], body[jsonLength..], limits.MaxTensorElements);
    }

    private async Task<(byte[] Buffer, int Length)> ReadBodyAsync(HttpContext context, CancellationToken cancellation)
    {
        var declared = context.Request.ContentLength;
        if (declared > limits.MaxRequestBytes)
        {
            throw new ProtocolException(413, $"the request body of {declared} bytes is larger than the {limits.MaxRequestBytes} allowed (--max-request-bytes)");
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(declared ?? 16 * 1024, 1));
        var length = 0;
        try
        {
            var body = context.Request.Body;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length >= limits.MaxRequestBytes)
                    {
                        throw new ProtocolException(413, $"the request body is larger than the {limits.MaxRequestBytes} bytes allowed (--max-request-bytes)");
                    }

                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)length * 2, limits.MaxRequestBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(length), cancellation).ConfigureAwait(false);
                if (read == 0)
                {
                    return (buffer, length);
                }

                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private async Task WriteInferResponseAsync(HttpContext context, string? id, IReadOnlyList<Tensor> outputs, bool[] binaryOutputs)
    {
        var selected = new ResponseOutput[outputs.Count];
        var binaryBytes = 0L;
        for (var i = 0; i < outputs.Count; i++)
        {
            selected[i] = new ResponseOutput(outputs[i], binaryOutputs[i]);
            if (binaryOutputs[i])
            {
                binaryBytes += BinaryTensorData.Size(outputs[i]);
            }
        }

        using var json = new PooledBufferWriter();
        InferResponseWriter.Write(json, state.ModelName, state.ModelVersion, id, selected);
        var response = context.Response;
        response.StatusCode = 200;
        if (binaryBytes == 0)
        {
            response.ContentType = "application/json";
            response.ContentLength = json.WrittenCount;
            await response.BodyWriter.WriteAsync(json.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        response.ContentType = "application/octet-stream";
        response.Headers[BinaryHeader] = json.WrittenCount.ToString(CultureInfo.InvariantCulture);
        response.ContentLength = json.WrittenCount + binaryBytes;
        var writer = response.BodyWriter;
        writer.Write(json.WrittenMemory.Span);
        foreach (var output in selected)
        {
            if (output.Binary)
            {
                var size = BinaryTensorData.Size(output.Tensor);
                BinaryTensorData.Write(output.Tensor, writer.GetSpan(size)[..size]);
                writer.Advance(size);
            }
        }

        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private async Task<InferResult> Cancelled(HttpContext context)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            LogClientGone(logger);
            return new InferResult(RequestOutcome.Cancelled);
        }

        await HttpResponses.WriteErrorAsync(
            context, 503, $"the request did not complete within {limits.RequestTimeout.TotalMilliseconds:0} ms (--request-timeout-ms)")
            .ConfigureAwait(false);
        return new InferResult(RequestOutcome.ServerError);
    }

    private Task NotReady(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "1";
        return HttpResponses.WriteErrorAsync(context, 503, $"model '{state.ModelName}' is not ready");
    }

    /// <summary>The 404 message when the path names another model or version, else null.</summary>
    private string? UnknownModel(HttpContext context)
    {
        var model = context.Request.RouteValues["model"] as string;
        if (model != state.ModelName)
        {
            return $"unknown model '{model}'; this server serves '{state.ModelName}'";
        }

        var version = context.Request.RouteValues["version"] as string;
        return version is not null && version != state.ModelVersion
            ? $"model '{model}' has no version '{version}'; it serves version {state.ModelVersion}"
            : null;
    }

    private string BodyError(BadHttpRequestException e) =>
        e.StatusCode == StatusCodes.Status413PayloadTooLarge
            ? $"the request body is larger than the {limits.MaxRequestBytes} bytes allowed (--max-request-bytes)"
            : $"could not read the request body: {e.Message}";

    private static void WriteSpecs(Utf8JsonWriter json, ReadOnlySpan<byte> property, IReadOnlyList<TensorSpec> specs)
    {
        json.WriteStartArray(property);
        foreach (var spec in specs)
        {
            json.WriteStartObject();
            json.WriteString("name"u8, spec.Name);
            json.WriteString("datatype"u8, spec.Datatype.Name());
            json.WriteStartArray("shape"u8);
            foreach (var dim in spec.Shape)
            {
                json.WriteNumberValue(dim);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
