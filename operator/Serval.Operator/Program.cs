using Serval.Controllers.Serialization;
using Serval.Operator.Commands;

// Before anything talks to an API server: KubernetesClient's serializer settings lock on first use.
KubernetesSerialization.Configure();
return await CommandLine.RunAsync(args).ConfigureAwait(false);
