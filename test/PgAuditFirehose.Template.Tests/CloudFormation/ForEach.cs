using System.Text.RegularExpressions;

namespace PgAuditFirehose.Template.Tests.CloudFormation;

/// <summary>
/// What the AWS::LanguageExtensions transform does with <c>Fn::ForEach::Name: [Id, collection,
/// fragment]</c> in Resources: one copy of the fragment per item, <c>&amp;{Id}</c> in keys and
/// strings becoming the item without non-alphanumerics, <c>${Id}</c> (also inside <c>Fn::Sub</c>) and
/// <c>Ref: Id</c> the item itself. The collection is a <c>Ref</c> to a CommaDelimitedList parameter or a list.
/// </summary>
internal static partial class ForEach
{
    private const string Prefix = "Fn::ForEach::";

    public static bool IsUsedIn(IReadOnlyDictionary<string, object?> root) =>
        root.TryGetValue("Resources", out var resources) && resources.Map("Resources").Keys.Any(k => k.StartsWith(Prefix, StringComparison.Ordinal));

    public static Dictionary<string, object?> Expand(IReadOnlyDictionary<string, object?> root, IReadOnlyDictionary<string, string> parameters)
    {
        var expanded = new Dictionary<string, object?>(root, StringComparer.Ordinal);
        var resources = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in root.At("Resources").Map("Resources"))
        {
            if (!key.StartsWith(Prefix, StringComparison.Ordinal))
            {
                resources[key] = value;
                continue;
            }

            var (identifier, items, fragment) = Arguments(value, parameters, key);
            foreach (var item in items)
            {
                foreach (var (id, resource) in Replace(fragment, identifier, item).Map(key))
                {
                    if (!resources.TryAdd(id, resource))
                    {
                        throw new InvalidDataException($"{key}: the logical id {id} exists twice");
                    }
                }
            }
        }

        expanded["Resources"] = resources;
        return expanded;
    }

    private static (string Identifier, string[] Items, object? Fragment) Arguments(object? value, IReadOnlyDictionary<string, string> parameters, string key)
    {
        var arguments = value.Seq(key);
        var identifier = arguments[0].Text($"{key} identifier");
        var items = arguments[1] switch
        {
            IReadOnlyDictionary<string, object?> reference when reference.TryGetValue("Ref", out var name) =>
                parameters[name.Text("Ref")].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            IReadOnlyList<object?> list => [.. list.Select(i => i.Text($"{key} item"))],
            var other => throw new InvalidDataException($"{key}: unsupported collection {Node.Describe(other)}"),
        };
        return (identifier, items, arguments[2]);
    }

    private static object? Replace(object? node, string identifier, string item) => node switch
    {
        string text => Substitute(text, identifier, item),
        IReadOnlyDictionary<string, object?> { Count: 1 } reference when reference.TryGetValue("Ref", out var name) && name as string == identifier => item,
        IReadOnlyDictionary<string, object?> map => map.ToDictionary(
            p => Substitute(p.Key, identifier, item), p => Replace(p.Value, identifier, item), StringComparer.Ordinal),
        IReadOnlyList<object?> list => list.Select(i => Replace(i, identifier, item)).ToList(),
        _ => node,
    };

    private static string Substitute(string text, string identifier, string item) => text
        .Replace("&{" + identifier + "}", NonAlphanumeric().Replace(item, ""), StringComparison.Ordinal)
        .Replace("${" + identifier + "}", item, StringComparison.Ordinal);

    [GeneratedRegex("[^A-Za-z0-9]")]
    private static partial Regex NonAlphanumeric();
}
