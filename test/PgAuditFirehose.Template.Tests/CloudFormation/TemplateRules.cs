namespace PgAuditFirehose.Template.Tests.CloudFormation;

/// <summary>
/// The template's <c>Rules</c> as CloudFormation checks them before it creates anything: each rule whose
/// <c>RuleCondition</c> holds must have every assertion true, else the stack is refused with its description.
/// </summary>
internal static class TemplateRules
{
    /// <summary>The AssertDescription of every assertion these parameter values fail.</summary>
    public static IReadOnlyList<string> Violations(CfnTemplate template, IReadOnlyDictionary<string, string> parameters)
    {
        var violations = new List<string>();
        if (!template.Root.TryGetValue("Rules", out var rules)) return violations;
        foreach (var (_, rule) in rules.Map("Rules"))
        {
            if (rule.Has("RuleCondition") && !Evaluate(rule.At("RuleCondition"), parameters)) continue;
            foreach (var assertion in rule.At("Assertions").Seq("Assertions"))
            {
                if (!Evaluate(assertion.At("Assert"), parameters)) violations.Add(assertion.At("AssertDescription").Text().Trim());
            }
        }

        return violations;
    }

    private static bool Evaluate(object? expression, IReadOnlyDictionary<string, string> parameters)
    {
        var (name, argument) = expression.Map("rule function").Single();
        var args = argument as IReadOnlyList<object?>;
        return name switch
        {
            "Fn::Equals" => Value(args![0], parameters) == Value(args[1], parameters),
            "Fn::Not" => !Evaluate(args![0], parameters),
            "Fn::And" => args!.All(a => Evaluate(a, parameters)),
            "Fn::Or" => args!.Any(a => Evaluate(a, parameters)),
            "Fn::Contains" => args![0].Seq("Fn::Contains list").Any(v => Value(v, parameters) == Value(args[1], parameters)),
            _ => throw new InvalidDataException($"unsupported rule function {name}"),
        };
    }

    // Rule functions see parameter values as strings, whatever the parameter's type.
    private static string Value(object? node, IReadOnlyDictionary<string, string> parameters) => node switch
    {
        string text => text,
        IReadOnlyDictionary<string, object?> { Count: 1 } map when map.TryGetValue("Ref", out var name) => parameters[name.Text("Ref")],
        _ => throw new InvalidDataException($"not a value in a rule: {Node.Describe(node)}"),
    };
}
