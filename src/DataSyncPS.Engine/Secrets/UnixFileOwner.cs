using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace DataSyncPS.Engine.Secrets;

/// <summary>
/// File owners and groups, which .NET does not expose: libc's statx (Linux; its struct has one layout on
/// every architecture), geteuid, getgrnam and chown. Elsewhere (macOS) the owner is unknown and only the
/// mode is checked.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal static unsafe class UnixFileOwner
{
    private const int AtCurrentDirectory = -100;
    private const uint StatxUidGid = 0x8 | 0x10;

    private static readonly IntPtr LibC = NativeLibrary.Load(OperatingSystem.IsLinux() ? "libc.so.6" : "libc");

    public readonly record struct Owner(uint Uid, uint Gid);

    public static uint EffectiveUserId => ((delegate* unmanaged<uint>)Export("geteuid"))();

    /// <summary>The owner and group of a file, or null where statx is not available.</summary>
    public static Owner? Of(string path)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var statx = (delegate* unmanaged<int, byte*, int, uint, byte*, int>)Export("statx");
        var buffer = stackalloc byte[256];
        var name = Marshal.StringToCoTaskMemUTF8(path);
        try
        {
            if (statx(AtCurrentDirectory, (byte*)name, 0, StatxUidGid, buffer) != 0)
                throw new IOException($"'{path}' cannot be examined (errno {Marshal.GetLastSystemError()}).");
            // struct statx: stx_uid at byte 20, stx_gid at byte 24.
            return new Owner(*(uint*)(buffer + 20), *(uint*)(buffer + 24));
        }
        finally { Marshal.FreeCoTaskMem(name); }
    }

    /// <summary>The id of a group by name, or null when there is no such group.</summary>
    public static uint? GroupId(string group)
    {
        var getgrnam = (delegate* unmanaged<byte*, byte*>)Export("getgrnam");
        var name = Marshal.StringToCoTaskMemUTF8(group);
        try
        {
            var entry = getgrnam((byte*)name);
            // struct group { char *gr_name; char *gr_passwd; gid_t gr_gid; ... }
            return entry == null ? null : *(uint*)(entry + 2 * IntPtr.Size);
        }
        finally { Marshal.FreeCoTaskMem(name); }
    }

    /// <summary>Gives a file or folder to a group, keeping its owner.</summary>
    public static void SetGroup(string path, uint gid)
    {
        var chown = (delegate* unmanaged<byte*, uint, uint, int>)Export("chown");
        var name = Marshal.StringToCoTaskMemUTF8(path);
        try
        {
            if (chown((byte*)name, uint.MaxValue, gid) != 0)
                throw new UnauthorizedAccessException($"The group of '{path}' cannot be changed (errno {Marshal.GetLastSystemError()}); only root or the owner, as a member of the group, can.");
        }
        finally { Marshal.FreeCoTaskMem(name); }
    }

    private static IntPtr Export(string name) => NativeLibrary.GetExport(LibC, name);
}
