using System.Text;
using PgAuditFirehose.Records;

namespace PgAuditFirehose.Firehose;

/// <summary>
/// Counts the bytes of the response JSON exactly as <see cref="FirehoseResponseWriter"/> writes it, so a
/// batch can be kept under the 6 MB Lambda response limit before anything is written.
/// </summary>
internal static class ResponseBudget
{
    /// <summary>Lambda's synchronous response limit is 6 MB; the AWS blueprint keeps the JSON under this.</summary>
    public const int DefaultMaxResponseBytes = 6_000_000;

    // {"records":[ ... ]}
    private const int Frame = 14;

    // {"recordId":  ,"result":  ,"data":  }
    private const int EntryFrame = 12 + 10 + 8 + 1;

    // ,"metadata":{"partitionKeys":{  }}
    private const int MetadataFrame = 12 + 18 + 2;

    /// <summary>The response's bytes outside its entries, for <paramref name="records"/> records.</summary>
    public static long FrameSize(int records) => Frame + Math.Max(0, records - 1);

    /// <summary>The bytes of one response entry whose data takes <paramref name="dataLength"/> bytes between its quotes.</summary>
    public static long EntrySize(string recordId, string result, long dataLength, IReadOnlyList<KeyValuePair<string, string>>? partitionKeys)
    {
        var size = EntryFrame + Quoted(recordId) + Quoted(result) + 2 + dataLength;
        if (partitionKeys is null) return size;
        size += MetadataFrame + Math.Max(0, partitionKeys.Count - 1);
        foreach (var (key, value) in partitionKeys)
        {
            size += Quoted(key) + 1 + Quoted(value);
        }

        return size;
    }

    public static long Base64Length(long bytes) => (bytes + 2) / 3 * 4;

    private static long Quoted(string text) => 2 + JsonText.EscapedLength(Encoding.UTF8.GetBytes(text));
}
