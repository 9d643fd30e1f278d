using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PgAuditFirehose.Cli.Tests.Fleet;

/// <summary>
/// AWS JSON 1.1 calls (CloudWatch Logs, Firehose) to moto; the project has no SDK for those services.
/// moto routes by the Authorization header's credential scope and checks no signature.
/// </summary>
internal sealed class MotoJsonApi(string endpoint) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(endpoint) };

    public Task<JsonElement> LogsAsync(string operation, JsonObject body) => CallAsync("logs", "Logs_20140328." + operation, body);

    public Task<JsonElement> FirehoseAsync(string operation, JsonObject body) => CallAsync("firehose", "Firehose_20150804." + operation, body);

    public void Dispose() => _http.Dispose();

    private async Task<JsonElement> CallAsync(string service, string target, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        request.Headers.TryAddWithoutValidation("Authorization",
            string.Create(CultureInfo.InvariantCulture, $"AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=0"));
        request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        using var response = await _http.SendAsync(request).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{target}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
