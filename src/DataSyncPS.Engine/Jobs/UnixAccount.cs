using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace DataSyncPS.Engine.Jobs;

/// <summary>A Linux account as the job will run as it: ids, home and groups, from libc's getpwnam and
/// getgrouplist (.NET has no API for another user's). Null elsewhere (macOS lays out struct passwd differently).</summary>
[UnsupportedOSPlatform("windows")]
public sealed unsafe record UnixAccount(string Name, uint Uid, uint Gid, string Home, IReadOnlyList<uint> Groups)
{
    private static readonly Lazy<IntPtr> LibC = new(() => NativeLibrary.Load("libc.so.6"));

    public static UnixAccount? Find(string name)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var getpwnam = (delegate* unmanaged<byte*, byte*>)NativeLibrary.GetExport(LibC.Value, "getpwnam");
        var native = Marshal.StringToCoTaskMemUTF8(name);
        try
        {
            var pw = getpwnam((byte*)native);
            if (pw == null) return null;
            // struct passwd { char *pw_name; char *pw_passwd; uid_t pw_uid; gid_t pw_gid; char *pw_gecos; char *pw_dir; char *pw_shell; }
            var uid = *(uint*)(pw + 2 * IntPtr.Size);
            var gid = *(uint*)(pw + 2 * IntPtr.Size + 4);
            var home = Marshal.PtrToStringUTF8(*(IntPtr*)(pw + 3 * IntPtr.Size + 8)) ?? "";
            return new UnixAccount(name, uid, gid, home, GroupList((byte*)native, gid));
        }
        finally { Marshal.FreeCoTaskMem(native); }
    }

    public bool InGroup(uint gid) => Gid == gid || Groups.Contains(gid);

    /// <summary>Gives a file to this account and its primary group (chown).</summary>
    public void Own(string path)
    {
        var chown = (delegate* unmanaged<byte*, uint, uint, int>)NativeLibrary.GetExport(LibC.Value, "chown");
        var native = Marshal.StringToCoTaskMemUTF8(path);
        try
        {
            if (chown((byte*)native, Uid, Gid) != 0)
                throw new UnauthorizedAccessException($"'{path}' cannot be given to {Name} (errno {Marshal.GetLastSystemError()}): only root can.");
        }
        finally { Marshal.FreeCoTaskMem(native); }
    }

    private static uint[] GroupList(byte* user, uint gid)
    {
        var getgrouplist = (delegate* unmanaged<byte*, uint, uint*, int*, int>)NativeLibrary.GetExport(LibC.Value, "getgrouplist");
        var count = 64;
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var groups = new uint[count];
            fixed (uint* g = groups)
            {
                var n = count;
                if (getgrouplist(user, gid, g, &n) >= 0) return groups[..n];
                count = Math.Max(n, count * 2);
            }
        }
        return [gid];
    }
}

