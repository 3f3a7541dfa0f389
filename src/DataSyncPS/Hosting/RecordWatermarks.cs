using System.Management.Automation;
using System.Runtime.CompilerServices;
using DataSyncPS.Engine.State;

namespace DataSyncPS.Hosting;

/// <summary>Which collector's watermark a record carries to the writer after it. Kept beside the
/// objects rather than in a property, so it never shows in the output, its JSON or its CSV, and a
/// record copied into a new object (Select-Object) simply carries none.</summary>
internal static class RecordWatermarks
{
    private static readonly ConditionalWeakTable<PSObject, WatermarkHandoff> Handoffs = new();

    public static void Attach(PSObject record, WatermarkHandoff handoff) => Handoffs.AddOrUpdate(record, handoff);

    public static WatermarkHandoff? Of(PSObject record) => Handoffs.TryGetValue(record, out var handoff) ? handoff : null;
}
