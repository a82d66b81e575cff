using System.Security.Cryptography;
using Serval.Worker.Inference;

namespace Serval.Worker.Models;

/// <summary>
/// Turns <c>--model</c> into a local file: a path or <c>file://</c> URI as is, a directory's single
/// .onnx file (or <c>--model-file</c>), an <c>http(s)://</c> URL downloaded to a temporary file.
/// Verifies <c>--model-sha256</c> when given.
/// </summary>
internal sealed partial class ModelFetcher(HttpClient http, ILogger logger, TimeProvider time)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(2);

    /// <summary>The served name when <c>--name</c> is absent: the model file's name without .onnx.</summary>
    public static string DefaultName(string model, string? modelFile)
    {
        var name = modelFile ?? MountedFile(model) ?? LastSegment(model);
        if (name.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            name = name[..^5];
        }

        var cleaned = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-').ToArray()).Trim('-', '.', '_');
        return cleaned.Length > 0 ? cleaned : "model";
    }

    /// <summary>For a mounted directory, the name of the model file it holds (null when there is no single one).</summary>
    private static string? MountedFile(string model)
    {
        if (model.Contains("://", StringComparison.Ordinal) && !model.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var path = LocalPath(model, null);
            return Directory.Exists(model) || model.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? Path.GetFileName(path) : null;
        }
        catch (ModelLoadException)
        {
            // Loading reports the problem; the name falls back to the directory's.
            return null;
        }
    }

    /// <exception cref="ModelLoadException">The model cannot be found, downloaded or verified.</exception>
    public async Task<FetchedModel> FetchAsync(string model, string? modelFile, string? sha256, TimeSpan downloadTimeout, CancellationToken cancellationToken)
    {
        FetchedModel fetched;
        if (model.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || model.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            fetched = await DownloadAsync(new Uri(model), downloadTimeout, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            fetched = new FetchedModel(LocalPath(model, modelFile), null);
        }

        if (sha256 is not null)
        {
            try
            {
                var actual = fetched.Sha256 ?? await HashFileAsync(fetched.Path, cancellationToken).ConfigureAwait(false);
                if (!string.Equals(actual, sha256, StringComparison.OrdinalIgnoreCase))
                {
                    LogShaMismatch(logger, model, sha256, actual);
                    throw new ModelLoadException($"model sha256 mismatch for '{model}': expected {sha256}, got {actual}; refusing to serve it");
                }
            }
            catch (ModelLoadException)
            {
                fetched.Dispose();
                throw;
            }

            LogShaVerified(logger, sha256);
        }

        return fetched;
    }

    /// <summary>The file <paramref name="model"/> names, for a path, a <c>file://</c> URI or a directory.</summary>
    internal static string LocalPath(string model, string? modelFile)
    {
        string path;
        if (model.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            path = Uri.TryCreate(model, UriKind.Absolute, out var uri) && uri.IsFile
                ? uri.LocalPath
                : throw new ModelLoadException($"--model '{model}' is not a valid file:// URI");
        }
        else if (model.Contains("://", StringComparison.Ordinal))
        {
            throw new ModelLoadException(
                $"--model '{model}': unsupported scheme; use a path, file://, http:// or https:// (pvc:// and configmap:// are mounted by the operator and passed as paths)");
        }
        else
        {
            path = model;
        }

        if (Directory.Exists(path))
        {
            return FileInDirectory(path, modelFile);
        }

        if (modelFile is not null)
        {
            throw new ModelLoadException($"--model-file '{modelFile}' needs --model to be a directory, but '{path}' is not one");
        }

        return File.Exists(path) ? Path.GetFullPath(path) : throw new ModelLoadException($"--model '{model}': no such file or directory");
    }

    /// <summary>
    /// The model in a mounted directory. ConfigMap mounts hold hidden <c>..data</c> links and
    /// timestamped folders beside the files; only the top level's visible files count.
    /// </summary>
    private static string FileInDirectory(string directory, string? modelFile)
    {
        if (modelFile is not null)
        {
            var chosen = Path.Combine(directory, modelFile);
            return File.Exists(chosen)
                ? Path.GetFullPath(chosen)
                : throw new ModelLoadException($"--model-file '{modelFile}' is not in the model directory '{directory}'");
        }

        var candidates = Directory.EnumerateFiles(directory, "*", SearchOption.TopDirectoryOnly)
            .Where(f => !Path.GetFileName(f).StartsWith('.') && f.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToArray();
        return candidates.Length switch
        {
            1 => Path.GetFullPath(candidates[0]),
            0 => throw new ModelLoadException($"the model directory '{directory}' holds no .onnx file; name one with --model-file"),
            _ => throw new ModelLoadException(
                $"the model directory '{directory}' holds {candidates.Length} .onnx files ({string.Join(", ", candidates.Select(Path.GetFileName))}); choose one with --model-file"),
        };
    }

    private async Task<FetchedModel> DownloadAsync(Uri uri, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("serval-worker-");
        var path = Path.Combine(directory.FullName, "model.onnx");
        var display = uri.GetLeftPart(UriPartial.Path);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            LogDownloadStarting(logger, display, path);
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, timeoutSource.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new ModelLoadException($"downloading '{display}' failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            var total = response.Content.Headers.ContentLength;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var source = await response.Content.ReadAsStreamAsync(timeoutSource.Token).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                await using (target.ConfigureAwait(false))
                {
                    var buffer = new byte[1 << 16];
                    long received = 0;
                    var started = time.GetTimestamp();
                    var lastReport = started;
                    int read;
                    while ((read = await source.ReadAsync(buffer, timeoutSource.Token).ConfigureAwait(false)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                        await target.WriteAsync(buffer.AsMemory(0, read), timeoutSource.Token).ConfigureAwait(false);
                        received += read;
                        if (time.GetElapsedTime(lastReport) >= ProgressInterval)
                        {
                            lastReport = time.GetTimestamp();
                            var percent = Percent(received, total);
                            LogDownloadProgress(logger, display, received, total ?? -1, percent);
                        }
                    }

                    var seconds = time.GetElapsedTime(started).TotalSeconds;
                    LogDownloadDone(logger, display, received, seconds);
                }
            }

            return new FetchedModel(path, Convert.ToHexStringLower(hash.GetHashAndReset()), directory.FullName);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException or ModelLoadException)
        {
            directory.Delete(recursive: true);
            if (e is ModelLoadException)
            {
                throw;
            }

            var reason = e is OperationCanceledException && !cancellationToken.IsCancellationRequested
                ? $"it took longer than {timeout.TotalSeconds:0} s"
                : e.Message;
            throw new ModelLoadException($"downloading '{display}' failed: {reason}", e);
        }
    }

    private static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }
    }

    private static string LastSegment(string model)
    {
        var path = Uri.TryCreate(model, UriKind.Absolute, out var uri) && !uri.IsFile ? uri.AbsolutePath : model;
        if (path.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            path = path[7..];
        }

        return Path.GetFileName(path.TrimEnd('/'));
    }

    private static int Percent(long received, long? total) => total is > 0 ? (int)(received * 100 / total.Value) : -1;
}
