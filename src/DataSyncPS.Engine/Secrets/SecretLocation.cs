using DataSyncPS.Engine.State;

namespace DataSyncPS.Engine.Secrets;

/// <summary>Where a scope's secrets are: a secrets/ folder holding secrets.json (entries, values
/// encrypted) and, except on Windows, secrets.key. User: in the data folder (DATASYNCPS_HOME).
/// Machine: DATASYNCPS_MACHINE_HOME, else %ProgramData%\DataSyncPS or /etc/datasyncps.</summary>
public sealed record SecretLocation(SecretScope Scope, string Folder)
{
    public const string MachineHomeVariable = "DATASYNCPS_MACHINE_HOME";

    public static SecretLocation For(SecretScope scope) =>
        new(scope, Path.Combine(scope == SecretScope.User ? StateStore.DataHome : MachineHome, "secrets"));

    public static string MachineHome
    {
        get
        {
            var home = Environment.GetEnvironmentVariable(MachineHomeVariable);
            if (!string.IsNullOrEmpty(home)) return home;
            return OperatingSystem.IsWindows()
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "DataSyncPS")
                : "/etc/datasyncps";
        }
    }

    public string StoreFile => Path.Combine(Folder, "secrets.json");

    public string KeyFile => Path.Combine(Folder, "secrets.key");

    internal string LockFile => Path.Combine(Folder, "secrets.lock");

    /// <summary>Files: 0600 for a user, 0640 for the machine (the folder's group reads them).</summary>
    internal UnixFileMode FileMode => Scope == SecretScope.User
        ? UnixFileMode.UserRead | UnixFileMode.UserWrite
        : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    /// <summary>Folder: 0700 for a user; 2750 for the machine, the set-group-id bit giving every file
    /// written later the folder's group, so a save by root keeps the readers' access.</summary>
    internal UnixFileMode FolderMode => Scope == SecretScope.User
        ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.SetGroup;
}
