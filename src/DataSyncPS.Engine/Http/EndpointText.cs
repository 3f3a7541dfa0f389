using System.Text.RegularExpressions;

namespace DataSyncPS.Engine.Http;

/// <summary>A URL as it may appear in messages: a signed URL's query (signature, credential) and any
/// user:password@ are left out, so errors and verbose output never carry a usable link.</summary>
public static partial class EndpointText
{
    public static string Mask(Uri uri) => Mask(uri.ToString());

    public static string Mask(string url)
    {
        var q = url.IndexOf('?');
        var bare = q < 0 ? url : url[..q] + "?…";
        return UserInfo().Replace(bare, "://");
    }

    [GeneratedRegex("://[^/@]+@")]
    private static partial Regex UserInfo();
}
