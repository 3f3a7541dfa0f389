namespace DataSyncPS.Engine.Http;

/// <summary>The one rule for an API's base URL as an admin gives it (-ApiUrl of every cmdlet that
/// calls or saves a key for an API): absolute, http or https. Checked before anything is sent.</summary>
public static class ApiBaseUrl
{
    public static Uri Check(Uri url)
    {
        if (url.IsAbsoluteUri && url.Scheme is "http" or "https") return url;
        var given = EndpointText.Mask(url.OriginalString);
        throw new SyncException(SyncErrorKind.InvalidArgument,
            $"-ApiUrl must be an absolute http or https URL, such as https://api.datasnap.example/v1; '{given}' is not.", target: given);
    }
}
