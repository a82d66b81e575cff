using k8s.Models;
using Serval.Operator.Revisions;

namespace Serval.Operator.Workloads;

/// <summary>
/// The Deployment of one revision. Its pod template depends only on what the revision hash covers, so a
/// revision's pods are never restarted by changes to autoscaling, rollout or traffic settings.
/// </summary>
public static class DeploymentBuilder
{
    public const string ScrapeAnnotation = "prometheus.io/scrape";

    public const string ScrapePortAnnotation = "prometheus.io/port";

    public const string ScrapePathAnnotation = "prometheus.io/path";

    /// <summary>
    /// The Deployment of <paramref name="revision"/> with <paramref name="replicas"/> replicas. Replicas belong
    /// to the HPA within min..max; <see cref="Replicas"/> computes the value that keeps the HPA's choice.
    /// </summary>
    public static V1Deployment Build(Revision revision, int replicas)
    {
        ArgumentNullException.ThrowIfNull(revision);
        var spec = revision.Spec;
        var delivery = ModelDelivery.For(spec.Model);
        var labels = revision.Labels();
        var pod = new V1PodSpec
        {
            Containers = [WorkerContainer.Build(spec, delivery)],
            Volumes = WorkerContainer.Volumes(spec, delivery),
            AutomountServiceAccountToken = false,
            EnableServiceLinks = false,
            // The worker drains in-flight requests for up to 25 s on SIGTERM.
            TerminationGracePeriodSeconds = 30,
            SecurityContext = new V1PodSecurityContext
            {
                RunAsNonRoot = true,
                RunAsUser = 65532,
                RunAsGroup = 65532,
                FsGroup = 65532,
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
        };
        PodScheduling.Apply(pod, spec, labels);
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = revision.ChildMetadata(),
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                RevisionHistoryLimit = 2,
                Selector = new V1LabelSelector { MatchLabels = revision.Labels() },
                Strategy = new V1DeploymentStrategy
                {
                    Type = "RollingUpdate",
                    RollingUpdate = new V1RollingUpdateDeployment { MaxUnavailable = 0, MaxSurge = 1 },
                },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = labels,
                        Annotations = new Dictionary<string, string>(StringComparer.Ordinal)
                        {
                            [ScrapeAnnotation] = "true",
                            [ScrapePortAnnotation] = WorkerContainer.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                            [ScrapePathAnnotation] = WorkerContainer.MetricsPath,
                        },
                    },
                    Spec = pod,
                },
            },
        };
    }

    /// <summary>
    /// The replicas to apply: the live count when it lies within min..max (the HPA's business), else the
    /// nearest bound; min for a new Deployment; zero for a revision scaled to zero.
    /// </summary>
    public static int Replicas(int? live, int minReplicas, int maxReplicas, bool scaledToZero)
    {
        if (scaledToZero)
        {
            return 0;
        }

        return live is { } current ? Math.Clamp(current, minReplicas, maxReplicas) : minReplicas;
    }
}
