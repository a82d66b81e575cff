namespace Serval.LocalCluster.Tests.Admission;

/// <summary>Each case is a rule that holds over <c>{}</c>; a broken library function makes it fail or error.</summary>
public sealed class CelLibraryTests
{
    private static IReadOnlyList<Serval.LocalCluster.Admission.FieldError> Evaluate(string rule)
    {
        var schema = TestYaml.Compile($"type: object\nx-kubernetes-validations: [{{rule: \"{rule.Replace("\"", "\\\"", StringComparison.Ordinal)}\"}}]");
        return schema.Validate(TestYaml.Parse("{}"));
    }

    [TestCase("[1, 2, 2, 5].isSorted() && !([3, 1].isSorted()) && ['a', 'b'].isSorted()")]
    [TestCase("[1, 2, 3].sum() == 6 && [1.5, 2.5].sum() == 4.0 && [].sum() == 0")]
    [TestCase("[3, 1, 2].min() == 1 && [3, 1, 2].max() == 3 && ['b', 'a'].min() == 'a'")]
    [TestCase("[1, 2, 1].indexOf(1) == 0 && [1, 2, 1].lastIndexOf(1) == 2 && [1].indexOf(9) == -1")]
    public void Lists(string rule) => Assert.That(Evaluate(rule), Is.Empty);

    [TestCase("'HeLLo'.lowerAscii() == 'hello' && 'HeLLo'.upperAscii() == 'HELLO'")]
    [TestCase("'a,b,c'.split(',') == ['a', 'b', 'c'] && 'a,b,c'.split(',', 2) == ['a', 'b,c']")]
    [TestCase("['a', 'b'].join() == 'ab' && ['a', 'b'].join('-') == 'a-b'")]
    [TestCase("'  x y  '.trim() == 'x y'")]
    [TestCase("'aaa'.replace('a', 'b') == 'bbb' && 'aaa'.replace('a', 'b', 2) == 'bba'")]
    [TestCase("'hello'.substring(1) == 'ello' && 'hello'.substring(1, 3) == 'el'")]
    [TestCase("'hello'.indexOf('l') == 2 && 'hello'.indexOf('l', 3) == 3 && 'hello'.indexOf('z') == -1")]
    [TestCase("'hello'.lastIndexOf('l') == 3 && 'hello'.lastIndexOf('l', 2) == 2")]
    [TestCase("'héllo'.charAt(1) == 'é' && 'héllo'.size() == 5 && 'abc'.charAt(3) == ''")]
    public void Strings(string rule) => Assert.That(Evaluate(rule), Is.Empty);

    [TestCase("'abc 123 def 456'.find('[0-9]+') == '123' && 'abc'.find('[0-9]+') == ''")]
    [TestCase("'abc 123 def 456'.findAll('[0-9]+') == ['123', '456'] && 'a1b2c3'.findAll('[0-9]', 2) == ['1', '2']")]
    public void Regex(string rule) => Assert.That(Evaluate(rule), Is.Empty);

    [TestCase("isURL('https://example.com:8443/a/b?x=1&x=2&y=3') && !isURL('not a url') && isURL('/just/a/path')")]
    [TestCase("url('https://example.com:8443/a/b').getScheme() == 'https'")]
    [TestCase("url('https://example.com:8443/a/b').getHost() == 'example.com:8443' && url('https://[::1]:80/').getHost() == '[::1]:80'")]
    [TestCase("url('https://example.com:8443/a/b').getHostname() == 'example.com' && url('https://[::1]:80/').getHostname() == '::1'")]
    [TestCase("url('https://example.com:8443/a/b').getPort() == '8443' && url('https://example.com/').getPort() == ''")]
    [TestCase("url('https://example.com/a%20b').getEscapedPath() == '/a%20b'")]
    [TestCase("url('https://example.com/?x=1&x=2&y=a+b').getQuery() == {'x': ['1', '2'], 'y': ['a b']}")]
    public void Url(string rule) => Assert.That(Evaluate(rule), Is.Empty);

    [TestCase("isQuantity('1.5Gi') && isQuantity('500m') && isQuantity('2e3') && !isQuantity('1.5.5') && !isQuantity('5K')")]
    [TestCase("quantity('1Ki').asInteger() == 1024 && quantity('1Mi').asInteger() == 1048576 && quantity('1Ei').asInteger() == 1152921504606846976")]
    [TestCase("quantity('1k').asInteger() == 1000 && quantity('2M').asInteger() == 2000000 && quantity('1E').asInteger() == 1000000000000000000")]
    [TestCase("quantity('1500m').asApproximateFloat() == 1.5 && quantity('5n').asApproximateFloat() == 0.000000005 && quantity('2u').asApproximateFloat() == 0.000002")]
    [TestCase("quantity('2e3').asInteger() == 2000 && quantity('15E-1').asApproximateFloat() == 1.5")]
    [TestCase("quantity('1').isInteger() && !quantity('500m').isInteger()")]
    [TestCase("quantity('-1').sign() == -1 && quantity('0').sign() == 0 && quantity('3m').sign() == 1")]
    [TestCase("quantity('1Gi').isGreaterThan(quantity('1G')) && quantity('999m').isLessThan(quantity('1')) && quantity('1').compareTo(quantity('1000m')) == 0")]
    [TestCase("quantity('1').add(quantity('500m')).asApproximateFloat() == 1.5 && quantity('2').add(3).asInteger() == 5")]
    [TestCase("quantity('1').sub(quantity('500m')).asApproximateFloat() == 0.5 && quantity('2').sub(3).sign() == -1")]
    public void Quantity(string rule) => Assert.That(Evaluate(rule), Is.Empty);

    [TestCase("[].min() == 0", "min called on empty list")]
    [TestCase("quantity('500m').asInteger() == 0", "cannot convert value to integer")]
    [TestCase("quantity('lots').sign() == 0", "quantities must match the regular expression")]
    [TestCase("url('no scheme').getHost() == ''", "URL parse error during conversion from string")]
    [TestCase("'abc'.charAt(9) == ''", "index out of range: 9")]
    public void LibraryErrors_BecomeRuleErrors(string rule, string cause)
    {
        var errors = Evaluate(rule);

        Assert.That(errors.Select(e => e.Message), Has.One.Contains(cause).And.Contains("evaluating rule: " + rule));
    }
}
