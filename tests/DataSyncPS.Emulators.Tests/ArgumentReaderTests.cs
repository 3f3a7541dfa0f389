namespace DataSyncPS.Emulators.Tests;

/// <summary>The command line reader every emulator's options go through.</summary>
public sealed class ArgumentReaderTests
{
    [Fact]
    public void Reads_names_values_and_numbers_in_order()
    {
        var reader = new ArgumentReader(["--port", "-1", "--quiet", "--token", "t"]);
        Assert.Equal("--port", reader.Next());
        Assert.Equal(-1, reader.Number());
        Assert.Equal("--quiet", reader.Next());
        Assert.Equal("--token", reader.Next());
        Assert.Equal("t", reader.Value());
        Assert.Null(reader.Next());
    }

    [Fact]
    public void A_missing_value_a_number_that_is_not_one_and_an_unknown_option_name_the_option()
    {
        var reader = new ArgumentReader(["--port"]);
        reader.Next();
        Assert.Equal("--port needs a value.", Assert.Throws<FormatException>(reader.Value).Message);

        reader = new ArgumentReader(["--seed", "1.5"]);
        reader.Next();
        Assert.Equal("--seed needs a whole number.", Assert.Throws<FormatException>(() => reader.Number()).Message);

        reader = new ArgumentReader(["--prot"]);
        reader.Next();
        Assert.Equal("Unknown option '--prot'.", reader.Unknown().Message);
    }
}
