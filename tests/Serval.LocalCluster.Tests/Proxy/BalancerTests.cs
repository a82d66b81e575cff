using Serval.LocalCluster.Local.Proxy;

namespace Serval.LocalCluster.Tests.Proxy;

public sealed class BalancerTests
{
    private static readonly Func<string, string?> NoHeaders = _ => null;

    private static ProxyEndpoint Endpoint(string pod, string revision) => new(pod, revision, "127.0.0.1", 1000 + pod.Length);

    private static ProxyRoute Route(params RouteRule[] rules) => new(new RouteKey("default", "m"), "HTTPRoute", rules);

    [Test]
    public void WeightedBackends_GetExactlyTheirWeightsOverEachCycle()
    {
        var route = Route(new RouteRule([RouteMatch.Any],
        [
            new ProxyBackend("stable", 90, [Endpoint("s1", "a")]),
            new ProxyBackend("canary", 10, [Endpoint("c1", "b")]),
        ]));
        var balancer = new Balancer();

        var picks = Enumerable.Range(0, 200).Select(_ => balancer.Choose(route, NoHeaders, "/")[0].Pod).ToList();

        Assert.That(picks.Count(p => p == "c1"), Is.EqualTo(20));
        Assert.That(picks.Take(10).Count(p => p == "c1"), Is.EqualTo(1), "the canary's share is spread through the cycle, not bunched");
    }

    [Test]
    public void ZeroWeightBackend_GetsNothing()
    {
        var route = Route(new RouteRule([RouteMatch.Any],
        [
            new ProxyBackend("stable", 100, [Endpoint("s1", "a")]),
            new ProxyBackend("canary", 0, [Endpoint("c1", "b")]),
        ]));
        var balancer = new Balancer();

        var picks = Enumerable.Range(0, 50).SelectMany(_ => balancer.Choose(route, NoHeaders, "/")).Select(e => e.Pod).ToList();

        Assert.That(picks, Has.None.EqualTo("c1"));
    }

    [Test]
    public void BackendWithoutReadyPods_LeavesItsShareToTheOthers()
    {
        var route = Route(new RouteRule([RouteMatch.Any],
        [
            new ProxyBackend("stable", 50, [Endpoint("s1", "a")]),
            new ProxyBackend("canary", 50, []),
        ]));
        var balancer = new Balancer();

        var picks = Enumerable.Range(0, 10).Select(_ => balancer.Choose(route, NoHeaders, "/")[0].Pod).Distinct().ToList();

        Assert.That(picks, Is.EqualTo(new[] { "s1" }));
    }

    [Test]
    public void PodsOfOneBackend_AreTakenInTurn_SoRevisionsShareByReplicaRatio()
    {
        var route = Route(new RouteRule([RouteMatch.Any],
        [
            new ProxyBackend("service", 1, [Endpoint("a1", "a"), Endpoint("a2", "a"), Endpoint("a3", "a"), Endpoint("b1", "b")]),
        ]));
        var balancer = new Balancer();

        var picks = Enumerable.Range(0, 400).Select(_ => balancer.Choose(route, NoHeaders, "/")[0].Revision).ToList();

        Assert.That(picks.Count(r => r == "b"), Is.EqualTo(100));
    }

    [Test]
    public void Candidates_StartWithTheChoiceThenTheRestOfItsBackendThenOtherBackends()
    {
        var route = Route(new RouteRule([RouteMatch.Any],
        [
            new ProxyBackend("stable", 1, [Endpoint("s1", "a"), Endpoint("s22", "a")]),
            new ProxyBackend("canary", 0, [Endpoint("c1", "b")]),
            new ProxyBackend("other", 1, [Endpoint("o1", "c")]),
        ]));

        var candidates = new Balancer().Choose(route, NoHeaders, "/").Select(e => e.Pod).ToList();

        Assert.That(candidates, Is.EqualTo(new[] { "s1", "s22", "o1" }));
    }

    [Test]
    public void HeaderRule_WinsOverTheCatchAll_WhateverTheOrder()
    {
        var route = Route(
            new RouteRule([RouteMatch.Any], [new ProxyBackend("split", 1, [Endpoint("s1", "a")])]),
            new RouteRule([new RouteMatch([new HeaderMatch("serval-revision", "canary")])], [new ProxyBackend("canary", 1, [Endpoint("c1", "b")])]));
        var balancer = new Balancer();

        var pinned = balancer.Choose(route, h => h == "serval-revision" ? "canary" : null, "/v2/models/m/infer");
        var plain = balancer.Choose(route, h => h == "serval-revision" ? "other" : null, "/v2/models/m/infer");

        Assert.That(pinned.Select(e => e.Pod), Is.EqualTo(new[] { "c1" }));
        Assert.That(plain.Select(e => e.Pod), Is.EqualTo(new[] { "s1" }));
    }

    [Test]
    public void NoMatchingRule_GivesNoCandidates()
    {
        var route = Route(new RouteRule([new RouteMatch([], PathMatchType.PathPrefix, "/v2")], [new ProxyBackend("b", 1, [Endpoint("p", "a")])]));
        var balancer = new Balancer();

        Assert.That(balancer.Choose(route, NoHeaders, "/v2x"), Is.Empty);
        Assert.That(balancer.Choose(route, NoHeaders, "/v2/models"), Has.Count.EqualTo(1));
    }
}
