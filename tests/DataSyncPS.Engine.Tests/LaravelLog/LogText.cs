using System.Text;

namespace DataSyncPS.Engine.Tests.LaravelLog;

/// <summary>Synthetic Laravel log text, written the way Laravel's LineFormatter writes it.</summary>
public static class LogText
{
    public static readonly DateTime Start = new(2024, 1, 2, 10, 0, 0);

    /// <summary>Entry number <paramref name="n"/>: "[time] local.INFO: entry n {"n":n} \n".</summary>
    public static string Entry(int n, string level = "INFO", string? message = null) =>
        $"[{Start.AddSeconds(n):yyyy-MM-dd HH:mm:ss}] local.{level}: {message ?? "entry " + n} {{\"n\":{n}}} \n";

    public static string Entries(int from, int count) =>
        string.Concat(Enumerable.Range(from, count).Select(n => Entry(n)));

    public static void Write(string path, string text) => File.WriteAllBytes(path, Encoding.UTF8.GetBytes(text));

    public static void Append(string path, string text)
    {
        using var f = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        var bytes = Encoding.UTF8.GetBytes(text);
        f.Write(bytes);
    }
}
