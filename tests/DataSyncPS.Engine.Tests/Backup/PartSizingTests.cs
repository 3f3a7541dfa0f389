using DataSyncPS.Engine.Storage;

namespace DataSyncPS.Engine.Tests.Backup;

/// <summary>The part size of a multipart upload, chosen before the first byte: parts all of one size (R2
/// refuses unequal ones) and few enough that S3's 10,000 hold the dump, with memory still two parts.</summary>
public class PartSizingTests
{
    private const int MB = 1 << 20;
    private const long GB = 1L << 30;

    [Fact]
    public void Without_an_estimate_parts_are_S3_s_smallest_and_the_reason_says_how_far_they_go()
    {
        var plan = PartSizing.Choose(null, null);
        Assert.Equal(5 * MB, plan.PartSize);
        Assert.Contains("48.8 GB", plan.Reason);
        Assert.Contains("-PartSizeMB", plan.Reason);
    }

    [Fact]
    public void A_small_database_gets_S3_s_smallest_parts()
    {
        Assert.Equal(5 * MB, PartSizing.Choose(null, 2 * GB).PartSize);
    }

    [Theory]
    [InlineData(48L << 30)]
    [InlineData(100L << 30)]
    [InlineData(700L << 30)]
    public void A_large_database_gets_whole_megabyte_parts_whose_10000_hold_twice_its_size(long size)
    {
        var plan = PartSizing.Choose(null, size);
        Assert.Equal(0, plan.PartSize % MB);
        Assert.True((long)plan.PartSize * 10_000 >= 2 * size, plan.Reason);
        Assert.True((long)(plan.PartSize - MB) * 10_000 < 2 * size, $"{plan.PartSize / MB} MB is more than needed");
        Assert.Contains($"{plan.PartSize / MB} MB", plan.Reason);
    }

    [Fact]
    public void Parts_never_pass_the_largest_the_module_allows()
    {
        var plan = PartSizing.Choose(null, 40_000 * GB);
        Assert.Equal(PartSizing.LargestPart, plan.PartSize);
        Assert.Contains("-PartSizeMB", plan.Reason);
    }

    [Fact]
    public void A_part_size_given_by_the_admin_is_kept_and_a_database_it_may_not_hold_is_said()
    {
        var plan = PartSizing.Choose(8 * MB, 100 * GB);
        Assert.Equal(8 * MB, plan.PartSize);
        Assert.Contains("-PartSizeMB", plan.Reason);
        Assert.Contains("78.1 GB", plan.Reason);
        Assert.Contains("100.0 GB", plan.Reason);
    }

    [Fact]
    public void The_part_limit_is_what_the_size_is_chosen_against()
    {
        Assert.Equal(20 * MB, PartSizing.Choose(null, 30 * MB, maxParts: 3).PartSize);
    }
}
