using System.Text.Json.Nodes;
using k8s.Models;
using Serval.LocalCluster.Local.Proxy;
using static Serval.LocalCluster.Tests.Proxy.ProxyObjects;

namespace Serval.LocalCluster.Tests.Proxy;

public sealed class RoutingTableBuilderTests
{
    private static readonly RouteKey Key = new("default", "m");

    private static Func<string, string?> Pin(string value) => h => h == "serval-revision" ? value : null;

    private static IReadOnlyList<string> Pods(ProxyRoute route, Func<string, string?> header) =>
        [.. route.Rules[route.RuleFor(header, "/")].Backends.SelectMany(b => b.Endpoints).Select(e => e.Pod)];

    [Test]
    public void TopLevelService_RoutesToReadySelectedPodsOnTheirNamedPort()
    {
        var table = RoutingTableBuilder.Build(
            [TopLevel("m", stable: "aaa"), RevisionService("m", "aaa")],
            [Pod("m-1", "m", "aaa", 41001), Pod("m-2", "m", "aaa", 41002, ready: false), Pod("x-1", "x", "aaa", 41003)],
            []);

        Assert.That(table.Keys, Is.EqualTo(new[] { Key }), "revision Services get no listener of their own");
        var endpoints = table[Key].Rules[^1].Backends.Single().Endpoints;
        Assert.That(endpoints, Is.EqualTo(new[] { new ProxyEndpoint("m-1", "aaa", "127.0.0.1", 41001) }));
    }

    [Test]
    public void PodBeingDeletedOrWithoutIp_IsNoEndpoint()
    {
        var deleting = Pod("m-1", "m", "aaa", 41001);
        deleting.Metadata.DeletionTimestamp = DateTime.UtcNow;
        var pending = Pod("m-2", "m", "aaa", 41002);
        pending.Status.PodIP = null;

        var table = RoutingTableBuilder.Build([TopLevel("m")], [deleting, pending], []);

        Assert.That(table[Key].Rules.Single().Backends.Single().Endpoints, Is.Empty);
    }

    [Test]
    public void RevisionHeader_PinsToTheAnnotatedRevision_EvenOutsideTheServiceSelector()
    {
        // With the canary at 0 % the Service selects the stable revision only; a pinned request still reaches the canary.
        var table = RoutingTableBuilder.Build(
            [TopLevel("m", stable: "aaa", canary: "bbb", selectRevision: "aaa")],
            [Pod("m-a", "m", "aaa", 41001), Pod("m-b", "m", "bbb", 41002)],
            []);
        var route = table[Key];

        Assert.That(Pods(route, Pin("canary")), Is.EqualTo(new[] { "m-b" }));
        Assert.That(Pods(route, Pin("stable")), Is.EqualTo(new[] { "m-a" }));
        Assert.That(Pods(route, _ => null), Is.EqualTo(new[] { "m-a" }));
    }

    [Test]
    public void NoCanary_CanaryPinFallsThroughToTheSplit_AsTheHttpRouteDoes()
    {
        var table = RoutingTableBuilder.Build([TopLevel("m", stable: "aaa")], [Pod("m-a", "m", "aaa", 41001)], []);

        Assert.That(Pods(table[Key], Pin("canary")), Is.EqualTo(new[] { "m-a" }));
    }

    [Test]
    public void HttpRoute_ReplacesTheServiceRoute_WithItsWeightsAndHeaderRules()
    {
        var route = new GatewayHttpRoute
        {
            Metadata = new V1ObjectMeta { Name = "m", NamespaceProperty = "default" },
            Spec = JsonNode.Parse("""
                {"rules": [
                  {"matches": [{"headers": [{"type": "Exact", "name": "serval-revision", "value": "canary"}], "path": {"type": "PathPrefix", "value": "/"}}],
                   "backendRefs": [{"name": "m-bbb", "port": 80}]},
                  {"matches": [{"path": {"type": "PathPrefix", "value": "/"}}],
                   "backendRefs": [{"group": "", "kind": "Service", "name": "m-aaa", "port": 80, "weight": 75},
                                   {"name": "m-bbb", "port": 80, "weight": 25}]}
                ]}
                """)!.AsObject(),
        };

        var table = RoutingTableBuilder.Build(
            [TopLevel("m", stable: "aaa", canary: "bbb"), RevisionService("m", "aaa"), RevisionService("m", "bbb")],
            [Pod("m-a", "m", "aaa", 41001), Pod("m-b", "m", "bbb", 41002)],
            [route]);

        var built = table[Key];
        Assert.That(built.Source, Is.EqualTo("HTTPRoute"));
        Assert.That(Pods(built, Pin("canary")), Is.EqualTo(new[] { "m-b" }));
        var split = built.Rules[built.RuleFor(_ => null, "/v2")].Backends;
        Assert.That(split.Select(b => (b.Name, b.Weight, b.Endpoints.Single().Pod)), Is.EqualTo(new[]
        {
            ("service/default/m-aaa", 75, "m-a"),
            ("service/default/m-bbb", 25, "m-b"),
        }));
    }

    [Test]
    public void HttpRouteBackendToAMissingService_HasNoEndpoints()
    {
        var route = new GatewayHttpRoute
        {
            Metadata = new V1ObjectMeta { Name = "m", NamespaceProperty = "default" },
            Spec = JsonNode.Parse("""{"rules": [{"backendRefs": [{"name": "gone", "port": 80}]}]}""")!.AsObject(),
        };

        var table = RoutingTableBuilder.Build([], [Pod("m-a", "m", "aaa", 41001)], [route]);

        Assert.That(table[Key].Rules.Single().Backends.Single().Endpoints, Is.Empty);
    }

    [Test]
    public void NumericTargetPort_IsUsedAsIs()
    {
        var service = TopLevel("m");
        service.Spec.Ports[0].TargetPort = 9000;

        var table = RoutingTableBuilder.Build([service], [Pod("m-a", "m", "aaa", 41001)], []);

        Assert.That(table[Key].Rules.Single().Backends.Single().Endpoints.Single().Port, Is.EqualTo(9000));
    }
}
