using YamlDotNet.RepresentationModel;

namespace PgAuditFirehose.Template.Tests.CloudFormation;

/// <summary>
/// Reads a CloudFormation YAML template into the shape of its JSON form: mappings become
/// dictionaries, sequences lists, scalars strings, and the short tags (<c>!Ref</c>,
/// <c>!GetAtt</c>, <c>!Sub</c>, <c>!If</c>, ...) the one-key objects CloudFormation expands
/// them to (<c>{"Ref": ...}</c>, <c>{"Fn::GetAtt": [...]}</c>, ...).
/// </summary>
/// <remarks>
/// YamlDotNet's representation model keeps every node's tag without resolving it, so the short
/// tags need no registration; an unknown tag is an error, like in CloudFormation.
/// </remarks>
internal static class CfnYaml
{
    private static readonly HashSet<string> FnTags =
    [
        "Base64", "Cidr", "FindInMap", "GetAZs", "If", "ImportValue", "Join", "Select", "Split", "Sub",
        "Transform", "Equals", "Not", "And", "Or", "Length", "ToJsonString",
    ];

    public static Dictionary<string, object?> Load(string path)
    {
        using var reader = new StreamReader(path);
        var stream = new YamlStream();
        stream.Load(reader);
        if (stream.Documents.Count != 1)
        {
            throw new InvalidDataException($"{path}: expected one YAML document, found {stream.Documents.Count}");
        }

        return Convert(stream.Documents[0].RootNode) as Dictionary<string, object?>
            ?? throw new InvalidDataException($"{path}: the root is not a mapping");
    }

    private static object? Convert(YamlNode node)
    {
        object? value = node switch
        {
            YamlScalarNode scalar => ScalarValue(scalar),
            YamlSequenceNode sequence => sequence.Children.Select(Convert).ToList(),
            YamlMappingNode mapping => Mapping(mapping),
            _ => throw new InvalidDataException($"unsupported YAML node {node.NodeType} at {node.Start}"),
        };

        var tag = node.Tag;
        if (tag.IsEmpty || tag.IsNonSpecific || !tag.Value.StartsWith('!') || tag.Value.StartsWith("!!", StringComparison.Ordinal))
        {
            return value;
        }

        var name = tag.Value[1..];
        return name switch
        {
            "Ref" => new Dictionary<string, object?> { ["Ref"] = value },
            "Condition" => new Dictionary<string, object?> { ["Condition"] = value },
            "GetAtt" => new Dictionary<string, object?> { ["Fn::GetAtt"] = GetAttArguments(value, node) },
            _ when FnTags.Contains(name) => new Dictionary<string, object?> { ["Fn::" + name] = value },
            _ => throw new InvalidDataException($"unknown tag {tag.Value} at {node.Start}"),
        };
    }

    private static string? ScalarValue(YamlScalarNode scalar) =>
        scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is "~" or "null" or "" ? null : scalar.Value;

    private static Dictionary<string, object?> Mapping(YamlMappingNode mapping)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Children)
        {
            var name = (key as YamlScalarNode)?.Value
                ?? throw new InvalidDataException($"non-scalar key at {key.Start}");
            if (!result.TryAdd(name, Convert(value)))
            {
                throw new InvalidDataException($"duplicate key {name} at {key.Start}");
            }
        }

        return result;
    }

    // `!GetAtt Resource.Attribute` is short for ["Resource", "Attribute"]; the list form passes through.
    private static List<object?> GetAttArguments(object? value, YamlNode node) => value switch
    {
        string text when text.IndexOf('.', StringComparison.Ordinal) is var dot and > 0 =>
            new List<object?> { text[..dot], text[(dot + 1)..] },
        List<object?> list => list,
        _ => throw new InvalidDataException($"malformed !GetAtt at {node.Start}"),
    };
}
