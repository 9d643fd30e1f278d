namespace PgAuditFirehose.Template.Tests.CloudFormation;

/// <summary>Navigation over the JSON-shaped tree <see cref="CfnYaml"/> produces, failing with the path.</summary>
internal static class Node
{
    public static IReadOnlyDictionary<string, object?> Map(this object? node, string what = "node") =>
        node as IReadOnlyDictionary<string, object?>
        ?? throw new InvalidDataException($"{what} is not a mapping: {Describe(node)}");

    public static IReadOnlyList<object?> Seq(this object? node, string what = "node") =>
        node as IReadOnlyList<object?>
        ?? throw new InvalidDataException($"{what} is not a list: {Describe(node)}");

    public static string Text(this object? node, string what = "node") =>
        node as string ?? throw new InvalidDataException($"{what} is not a string: {Describe(node)}");

    /// <summary>Follows mapping keys; throws naming the first missing one.</summary>
    public static object? At(this object? node, params string[] path)
    {
        var current = node;
        var walked = "";
        foreach (var key in path)
        {
            var map = current.Map(walked.Length == 0 ? "root" : walked);
            walked = walked.Length == 0 ? key : $"{walked}.{key}";
            if (!map.TryGetValue(key, out current))
            {
                throw new KeyNotFoundException($"{walked} is missing");
            }
        }

        return current;
    }

    public static bool Has(this object? node, string key) =>
        node is IReadOnlyDictionary<string, object?> map && map.ContainsKey(key);

    /// <summary>True for <c>{"Ref": name}</c>.</summary>
    public static bool IsRef(this object? node, string name) =>
        node is IReadOnlyDictionary<string, object?> { Count: 1 } map
        && map.TryGetValue("Ref", out var target) && target as string == name;

    /// <summary>True for <c>{"Fn::GetAtt": [resource, attribute]}</c>.</summary>
    public static bool IsGetAtt(this object? node, string resource, string attribute) =>
        node is IReadOnlyDictionary<string, object?> { Count: 1 } map
        && map.TryGetValue("Fn::GetAtt", out var args)
        && args is IReadOnlyList<object?> { Count: 2 } list
        && list[0] as string == resource && list[1] as string == attribute;

    /// <summary>A node or each item of a list node (IAM's string-or-list fields).</summary>
    public static IReadOnlyList<object?> OneOrMany(this object? node) =>
        node as IReadOnlyList<object?> ?? [node];

    public static string Describe(object? node) => node switch
    {
        null => "null",
        string s => $"\"{s}\"",
        IReadOnlyDictionary<string, object?> map => "{" + string.Join(", ", map.Select(p => $"{p.Key}: {Describe(p.Value)}")) + "}",
        IReadOnlyList<object?> list => "[" + string.Join(", ", list.Select(Describe)) + "]",
        _ => node.ToString() ?? "?",
    };
}
