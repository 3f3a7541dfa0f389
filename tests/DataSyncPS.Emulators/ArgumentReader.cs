using System.Globalization;

namespace DataSyncPS.Emulators;

/// <summary>
/// Reads an emulator's command line option by option, so each emulator's parser is only its switch:
/// <c>while (reader.Next() is { } name) switch (name) { case "--port": o.Port = reader.Number(); break; ... default: throw reader.Unknown(); }</c>.
/// Every mistake is a <see cref="FormatException"/> naming the option; Program prints it with the usage.
/// </summary>
public sealed class ArgumentReader(IReadOnlyList<string> args)
{
    private int _next;

    /// <summary>The option last read by <see cref="Next"/>, for the messages.</summary>
    public string Name { get; private set; } = "";

    /// <summary>The next option's name, or null after the last argument.</summary>
    public string? Next() => _next < args.Count ? Name = args[_next++] : null;

    /// <summary>The argument after the option, its value.</summary>
    public string Value() => _next < args.Count ? args[_next++] : throw new FormatException($"{Name} needs a value.");

    /// <summary>The option's value as a whole number, read the same in every culture.</summary>
    public int Number() => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
        ? n : throw new FormatException($"{Name} needs a whole number.");

    /// <summary>The error for an option the emulator does not have.</summary>
    public FormatException Unknown() => new($"Unknown option '{Name}'.");
}
