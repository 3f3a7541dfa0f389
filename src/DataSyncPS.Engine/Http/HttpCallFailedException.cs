using System.Net;

namespace DataSyncPS.Engine.Http;

/// <summary>Why a call gave up, after the retries the policy allowed; the message names the endpoint
/// (secrets masked) and the attempts.</summary>
public sealed class HttpCallFailedException(string message, HttpStatusCode? status, int attempts, Exception? inner = null)
    : Exception(message, inner)
{
    public HttpStatusCode? Status { get; } = status;
    public int Attempts { get; } = attempts;
}
