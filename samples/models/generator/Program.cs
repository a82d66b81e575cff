using Serval.SampleModels;

if (args.Length != 1 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: Serval.SampleModels SAMPLES_DIR");
    Console.Error.WriteLine("  writes SAMPLES_DIR/models/<name>.onnx and SAMPLES_DIR/requests/<name>.json for every sample model");
    return args.Length == 1 ? 0 : 2;
}

foreach (var path in SampleWriter.WriteAll(args[0]))
{
    Console.WriteLine($"wrote {path} ({new FileInfo(path).Length} bytes)");
}

return 0;
