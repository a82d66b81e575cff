using k8s.Models;

namespace Serval.LocalCluster.Tests.Local;

/// <summary>Deployments shaped like the operator's: the worker with the model from a ConfigMap volume, an http port, a readiness probe.</summary>
internal static class WorkerDeployments
{
    public static V1Deployment Build(string name, int replicas, string model = "/var/run/serval/model/mlp.onnx", int maxSurge = 1, int maxUnavailable = 0)
    {
        var labels = new Dictionary<string, string> { ["app"] = name };
        return new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Strategy = new V1DeploymentStrategy
                {
                    Type = "RollingUpdate",
                    RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = maxSurge, MaxUnavailable = maxUnavailable },
                },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec
                    {
                        TerminationGracePeriodSeconds = 30,
                        Containers =
                        [
                            new V1Container
                            {
                                Name = "worker",
                                Image = "ghcr.io/serval/worker:test",
                                Args = ["--model", model, "--name", "mlp", "--port", "8080", "--max-queue-delay-us", "100"],
                                Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080 }],
                                ReadinessProbe = new V1Probe
                                {
                                    HttpGet = new V1HTTPGetAction { Path = "/v2/health/ready", Port = "http" },
                                    PeriodSeconds = 5,
                                },
                                VolumeMounts = [new V1VolumeMount { Name = "model", MountPath = "/var/run/serval/model", ReadOnlyProperty = true }],
                            },
                        ],
                        Volumes = [new V1Volume { Name = "model", ConfigMap = new V1ConfigMapVolumeSource { Name = LocalClusterFixture.ModelConfigMap } }],
                    },
                },
            },
        };
    }
}
