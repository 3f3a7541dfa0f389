using System.Runtime.InteropServices;
using DataSyncPS.Emulators;
using DataSyncPS.Emulators.DataSnap;

// Standalone: dotnet run --project tests/DataSyncPS.Emulators -- datasnap --port 5080 [options]
// Runs until Ctrl+C or SIGTERM.

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine("usage: DataSyncPS.Emulators datasnap [options] | auvo [--port N] [--records N] | etrack [--port N] | plusoft [options]\n\n"
        + DataSnapCommandLine.Usage + "\n" + DataSyncPS.Emulators.Plusoft.PlusoftCommandLine.Usage);
    return args.Length == 0 ? 2 : 0;
}
if (args[0] == "auvo")
{
    // dotnet run --project tests/DataSyncPS.Emulators -- auvo [--port N] [--records N]
    int port = 5081, records = 1000;
    var reader = new ArgumentReader(args[1..]);
    try
    {
        while (reader.Next() is { } name)
        {
            switch (name)
            {
                case "--port": port = reader.Number(); break;
                case "--records": records = reader.Number(); break;
                default: throw reader.Unknown();
            }
        }
    }
    catch (FormatException e) { return Refused(e, "auvo [--port N] [--records N]"); }
    await using var auvo = await DataSyncPS.Emulators.Auvo.AuvoEmulator.StartAsync(new() { Port = port });
    foreach (var entity in DataSyncPS.Emulators.Auvo.AuvoEmulator.Keys.Keys) auvo.Seed(entity, records);
    Console.WriteLine($"Auvo emulator\n  API base URL  {auvo.ApiBaseUrl}\n  API key       {auvo.Options.ApiKey}\n  API token     {auvo.Options.ApiToken}\n  records       {records} per entity\nCtrl+C stops it.");
    var done = new TaskCompletionSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; done.TrySetResult(); };
    await done.Task;
    return 0;
}
if (args[0] == "etrack")
{
    // dotnet run --project tests/DataSyncPS.Emulators -- etrack [--port N]
    var port = 5082;
    var reader = new ArgumentReader(args[1..]);
    try
    {
        while (reader.Next() is { } name) port = name == "--port" ? reader.Number() : throw reader.Unknown();
    }
    catch (FormatException e) { return Refused(e, "etrack [--port N]"); }
    await using var etrack = await DataSyncPS.Emulators.ETrack.ETrackEmulator.StartAsync(port: port);
    Console.WriteLine($"e-Track emulator\n  API base URL  {etrack.ApiBaseUrl}\n  user          {etrack.User}\n  API key       {etrack.ApiKey}\n  vehicles      {string.Join(", ", etrack.Vehicles)}\nCtrl+C stops it.");
    var done = new TaskCompletionSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; done.TrySetResult(); };
    await done.Task;
    return 0;
}
if (args[0] == "plusoft")
{
    // dotnet run --project tests/DataSyncPS.Emulators -- plusoft [--port N] [--token T] [--check-references] [--count-only] [--fault SPEC]
    DataSyncPS.Emulators.Plusoft.PlusoftEmulatorOptions plusoftOptions;
    try { plusoftOptions = DataSyncPS.Emulators.Plusoft.PlusoftCommandLine.Parse(args[1..]); }
    catch (FormatException e) { return Refused(e, DataSyncPS.Emulators.Plusoft.PlusoftCommandLine.Usage); }
    await using var plusoft = await DataSyncPS.Emulators.Plusoft.PlusoftEmulator.StartAsync(plusoftOptions);
    Console.WriteLine($"Plusoft emulator\n  API base URL  {plusoft.ApiBaseUrl}\n  API token     {plusoft.Options.Token}\n  test control  {plusoft.ControlUrl} (stats, records/ENTITY, reset)" +
                      $"\n  references    {(plusoftOptions.CheckReferences ? "checked" : "not checked")}\n  records       {(plusoftOptions.KeepRecords ? "kept" : "counted only")}" +
                      $"\n  faults        {(plusoftOptions.Faults.Count == 0 ? "none" : string.Join("  ", plusoftOptions.Faults))}\nCtrl+C stops it.");
    var done = new TaskCompletionSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; done.TrySetResult(); };
    using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; done.TrySetResult(); });
    await done.Task;
    return 0;
}
if (args[0] != "datasnap")
{
    Console.Error.WriteLine($"Unknown emulator '{args[0]}' (known: datasnap, auvo, etrack, plusoft).");
    return 2;
}
if (args.Skip(1).Any(a => a is "-h" or "--help"))
{
    Console.WriteLine(DataSnapCommandLine.Usage);
    return 0;
}

DataSnapEmulatorOptions options;
try
{
    options = DataSnapCommandLine.Parse(args[1..]);
}
catch (Exception e) when (e is FormatException or UriFormatException)
{
    return Refused(e, DataSnapCommandLine.Usage);
}

DataSnapEmulator emulator;
try
{
    emulator = await DataSnapEmulator.StartAsync(options);
}
catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or IOException)
{
    Console.Error.WriteLine($"The DataSnap emulator did not start: {e.Message}");
    return 1;
}

await using (emulator)
{
    Console.WriteLine($"""
        DataSnap emulator
          API base URL   {emulator.ApiBaseUrl}
          API key        {string.Join(", ", emulator.ApiKeys)}
          schemas        {string.Join(", ", emulator.Schemas.Keys.Order())}
          uploads go to  {emulator.S3PublicEndpoint} ({(options.UseS3Proxy ? "S3 proxy in front of " : "")}s3rver {options.S3Endpoint}, bucket {options.Bucket})
          test control   {emulator.ControlUrl} (uploads, uploads/ID/content, calls, stats, faults, schemas, reset)
          request bodies {(options.RequireContentLength ? "Content-Length required (411 otherwise; --allow-chunked turns this off)" : "chunked accepted (--allow-chunked)")}
          faults         {(options.Faults.Count == 0 ? "none" : string.Join("  ", options.Faults))} (seed {emulator.Faults.Seed})
        Ctrl+C stops it.
        """);

    var stop = new TaskCompletionSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.TrySetResult();
    };
    using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
    {
        c.Cancel = true;
        stop.TrySetResult();
    });
    await stop.Task;
    Console.WriteLine("DataSnap emulator stopping.");
}
return 0;

// A command line the emulator cannot run with: what is wrong, then its usage, and exit code 2.
static int Refused(Exception e, string usage)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(usage);
    return 2;
}
