using DataSyncPS.Engine.Logging;

namespace DataSyncPS.Engine.Tests.Logging;

/// <summary>logging.json: what Set-SyncLogging saves is what every later cmdlet reads, with no secret in it.</summary>
public class LoggingSettingsFileTests
{
    [Fact]
    public void A_saved_setting_reads_back_whole_and_holds_a_key_name_never_a_key()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("home", "logging.json");
        var saved = LoggingSettingsFile.Write(path, SyncLoggingScope.Machine, new SyncLoggingSetting
        {
            Enabled = true, Path = "/var/log/datasyncps", Format = SyncLogFormat.Clef, RetainDays = 30,
            Level = SyncLogLevel.Verbose, SeqUrl = new Uri("http://seq01:5341/"), SeqApiKeyName = "seq", HasSessionSeqApiKey = true,
        });

        var read = LoggingSettingsFile.Read(path, SyncLoggingScope.Machine);

        Assert.Equal(saved, read);
        Assert.Equal(SyncLoggingScope.Machine, read!.Scope);
        Assert.Equal(path, read.SettingsFile);
        Assert.False(read.HasSessionSeqApiKey);
        Assert.Equal((SyncLogFormat.Clef, 30, SyncLogLevel.Verbose, "seq"), (read.Format, read.RetainDays, read.Level, read.SeqApiKeyName));
        Assert.Contains("\"seqApiKeyName\": \"seq\"", File.ReadAllText(path));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void No_file_is_no_setting_and_a_damaged_one_is_InvalidArgument_naming_it()
    {
        using var dir = new TempDirectory();
        Assert.Null(LoggingSettingsFile.Read(dir.Combine("logging.json"), SyncLoggingScope.User));
        File.WriteAllText(dir.Combine("logging.json"), "{ \"enabled\": tru");
        var ex = Assert.Throws<SyncException>(() => LoggingSettingsFile.Read(dir.Combine("logging.json"), SyncLoggingScope.User));
        Assert.Equal(SyncErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains(dir.Combine("logging.json"), ex.Message);
    }
}
