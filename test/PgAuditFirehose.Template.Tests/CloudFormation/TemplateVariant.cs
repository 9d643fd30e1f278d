using System.Text.RegularExpressions;

namespace PgAuditFirehose.Template.Tests.CloudFormation;

/// <summary>One deployable form of the template: what CloudFormation evaluates before it creates resources.</summary>
internal sealed partial class TemplateVariant
{
    private static readonly object NoValue = new();
    private readonly CfnTemplate _template;
    private readonly Dictionary<string, bool> _conditions = new(StringComparer.Ordinal);

    public TemplateVariant(CfnTemplate template, IReadOnlyDictionary<string, string> parameters)
    {
        _template = template;
        Parameters = parameters;
        foreach (var name in template.Conditions.Keys)
        {
            _conditions[name] = Condition(name);
        }
    }

    public IReadOnlyDictionary<string, string> Parameters { get; }

    public bool Condition(string name)
    {
        if (_conditions.TryGetValue(name, out var known))
        {
            return known;
        }

        var value = Evaluate(_template.Conditions.At(name));
        _conditions[name] = value;
        return value;
    }

    /// <summary>Logical ids of the resources this variant creates.</summary>
    public IEnumerable<string> ResourceIds =>
        _template.Resources.Where(r => IsCreated(r.Value)).Select(r => r.Key);

    public bool Creates(string logicalId) =>
        _template.Resources.TryGetValue(logicalId, out var resource) && IsCreated(resource);

    /// <summary>The resolved resource (Type, Properties, ...); throws when this variant does not create it.</summary>
    public object? Resource(string logicalId)
    {
        var resource = _template.Resource(logicalId);
        if (!IsCreated(resource))
        {
            throw new InvalidOperationException($"{logicalId} is not created with {Describe()}");
        }

        return Resolve(resource);
    }

    public object? Properties(string logicalId) => Resource(logicalId).At("Properties");

    public IEnumerable<(string Id, object? Resource)> ResourcesOfType(string type) =>
        ResourceIds.Where(id => _template.Resource(id).At("Type") as string == type).Select(id => (id, Resource(id)));

    public object? Output(string name)
    {
        var output = _template.Root.At("Outputs", name);
        return IsCreated(output) ? Resolve(output) : null;
    }

    public string Describe() => string.Join(" ", Parameters
        .Where(p => _template.Default(p.Key) != p.Value)
        .Select(p => $"{p.Key}={p.Value}"));

    /// <summary>Resolves intrinsic functions that depend on parameters, conditions and mappings only.</summary>
    public object? Resolve(object? node)
    {
        var resolved = ResolveNode(node);
        return ReferenceEquals(resolved, NoValue) ? null : resolved;
    }

    private bool IsCreated(object? resource) =>
        !resource.Has("Condition") || Condition(resource.At("Condition").Text("Condition"));

    private object? ResolveNode(object? node)
    {
        switch (node)
        {
            case IReadOnlyDictionary<string, object?> { Count: 1 } fn when fn.ContainsKey("Fn::If"):
                var args = fn["Fn::If"].Seq("Fn::If");
                return ResolveNode(Condition(args[0].Text("Fn::If condition")) ? args[1] : args[2]);
            // Fn::ForEach's Ref: !Sub 'Name&{Id}' (AWS::LanguageExtensions) names a resource by a computed id.
            case IReadOnlyDictionary<string, object?> { Count: 1 } fn when fn.TryGetValue("Ref", out var computed) && computed is not string:
                return new Dictionary<string, object?>(StringComparer.Ordinal) { ["Ref"] = ResolveNode(computed) };
            case IReadOnlyDictionary<string, object?> { Count: 1 } fn when fn.TryGetValue("Fn::Split", out var split):
                var splitArgs = split.Seq("Fn::Split");
                return ResolveNode(splitArgs[1]) is string whole
                    ? whole.Split(splitArgs[0].Text("Fn::Split delimiter")).Cast<object?>().ToList()
                    : node;
            case IReadOnlyDictionary<string, object?> { Count: 1 } fn when fn.TryGetValue("Fn::Join", out var join):
                var joinArgs = join.Seq("Fn::Join");
                return ResolveNode(joinArgs[1]) is IReadOnlyList<object?> parts && parts.All(p => p is string)
                    ? string.Join(joinArgs[0].Text("Fn::Join delimiter"), parts)
                    : node;
            case IReadOnlyDictionary<string, object?> { Count: 1 } fn when fn.ContainsKey("Ref"):
                var name = fn["Ref"].Text("Ref");
                return name == "AWS::NoValue" ? NoValue : Parameters.TryGetValue(name, out var value) ? value : node;
            case IReadOnlyDictionary<string, object?> { Count: 1 } fn when fn.TryGetValue("Fn::Sub", out var sub) && sub is string text:
                return Substitute(text, new Dictionary<string, object?>());
            case IReadOnlyDictionary<string, object?> { Count: 1 } fn when fn.TryGetValue("Fn::Sub", out var sub) && sub is IReadOnlyList<object?> { Count: 2 } withVariables:
                var variables = withVariables[1].Map("Fn::Sub variables").ToDictionary(v => v.Key, v => ResolveNode(v.Value), StringComparer.Ordinal);
                return Substitute(withVariables[0].Text("Fn::Sub string"), variables);
            case IReadOnlyDictionary<string, object?> { Count: 1 } fn when fn.TryGetValue("Fn::FindInMap", out var find):
                var keys = find.Seq("Fn::FindInMap").Select(k => ResolveNode(k).Text("Fn::FindInMap key")).ToArray();
                return _template.Mappings.At(keys);
            case IReadOnlyDictionary<string, object?> map:
                var result = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (key, child) in map)
                {
                    var resolvedChild = ResolveNode(child);
                    if (!ReferenceEquals(resolvedChild, NoValue))
                    {
                        result[key] = resolvedChild;
                    }
                }

                return result;
            case IReadOnlyList<object?> list:
                return list.Select(ResolveNode).Where(item => !ReferenceEquals(item, NoValue)).ToList();
            default:
                return node;
        }
    }

    // ${Variable} (of the list form) and ${Parameter} become their values, ${!Literal} becomes
    // ${Literal}; ${Resource}, ${Resource.Attr} and ${AWS::Pseudo} stay as written because only a
    // deployment knows them. A variable that is not a string here (e.g. a !GetAtt) is an error.
    private string Substitute(string text, Dictionary<string, object?> variables) => SubVariable().Replace(text, match =>
    {
        var name = match.Groups["name"].Value;
        if (name.StartsWith('!'))
        {
            return "${" + name[1..] + "}";
        }

        if (variables.TryGetValue(name, out var variable))
        {
            return variable.Text($"Fn::Sub variable {name}");
        }

        return Parameters.TryGetValue(name, out var value) ? value : match.Value;
    });

    private bool Evaluate(object? expression)
    {
        var fn = expression.Map("condition");
        if (fn.Count != 1)
        {
            throw new InvalidDataException($"a condition needs one function: {Node.Describe(expression)}");
        }

        var (name, argument) = fn.First();
        return name switch
        {
            "Condition" => Condition(argument.Text("Condition")),
            "Fn::Equals" => ScalarOf(argument.Seq("Fn::Equals")[0]) == ScalarOf(argument.Seq("Fn::Equals")[1]),
            "Fn::Not" => !Evaluate(argument.Seq("Fn::Not")[0]),
            "Fn::And" => argument.Seq("Fn::And").All(Evaluate),
            "Fn::Or" => argument.Seq("Fn::Or").Any(Evaluate),
            _ => throw new InvalidDataException($"unsupported condition function {name}"),
        };
    }

    private string ScalarOf(object? node) => ResolveNode(node) switch
    {
        string text => text,
        var other => throw new InvalidDataException($"not a scalar in a condition: {Node.Describe(other)}"),
    };

    [GeneratedRegex(@"\$\{(?<name>[^}]+)\}")]
    private static partial Regex SubVariable();
}
