using Amazon.Runtime.Endpoints;
using Amazon.S3.Endpoints;

namespace DataSyncPS.Engine.Storage;

/// <summary>
/// Where requests go on an S3-compatible store given by its URL (R2, MinIO, s3rver...): path style,
/// <c>{endpoint}/{bucket}</c>, the key after it — what the SDK's rules answer for such a store, without
/// them. The SDK's S3 endpoint rules are one method of 28 KB of IL; compiling it on the first request
/// left about 8 MB of the JIT's working memory resident in a malloc arena for the rest of the run,
/// against the backup's memory bar. AWS itself (no endpoint given) keeps the SDK's rules: regions,
/// partitions, FIPS and dual-stack are theirs to know.
/// </summary>
internal sealed class PathStyleEndpoints(Uri endpoint, string signingRegion) : IEndpointProvider
{
    private readonly string _root = endpoint.GetLeftPart(UriPartial.Authority);

    // The auth scheme the rules give such a store: SigV4 for "s3" in the store's region, no double encoding.
    private readonly string _attributes = "{\"authSchemes\":[{\"disableDoubleEncoding\":true,\"name\":\"sigv4\",\"signingName\":\"s3\",\"signingRegion\":\""
        + System.Text.Json.JsonEncodedText.Encode(signingRegion) + "\"}]}";

    public Endpoint ResolveEndpoint(EndpointParameters parameters) =>
        new(parameters is S3EndpointParameters { Bucket: { Length: > 0 } bucket } ? _root + "/" + Uri.EscapeDataString(bucket) : _root, _attributes, "{}");
}
