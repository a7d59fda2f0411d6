using Vitrine.Client;

namespace Vitrine.Client.Tests.Unit;

public class ViewabilityTests
{
    [Theory]
    [InlineData(0.015, 0.5, 54.999, 1000, true)]
    [InlineData(0.5, 1.0, 0.0, 60_000, true)]
    [InlineData(0.0149, 0.5, 0.0, 1000, false)]
    [InlineData(0.015, 0.4999, 0.0, 1000, false)]
    [InlineData(0.015, 0.5, 55.0, 1000, false)]
    [InlineData(0.015, 0.5, 0.0, 999, false)]
    [InlineData(double.NaN, 1.0, 0.0, 5000, false)]
    [InlineData(0.2, double.NaN, 0.0, 5000, false)]
    [InlineData(0.2, 1.0, double.NaN, 5000, false)]
    public void IsViewable_applies_every_threshold(
        double screenFraction, double visibleFraction, double viewAngleDeg, long continuousMs, bool expected)
    {
        Assert.Equal(expected, Viewability.IsViewable(screenFraction, visibleFraction, viewAngleDeg, continuousMs));
    }

    [Fact]
    public void MeetsFrameThresholds_ignores_time()
    {
        Assert.True(Viewability.MeetsFrameThresholds(0.015, 0.5, 54.9));
        Assert.False(Viewability.MeetsFrameThresholds(0.015, 0.5, 55));
    }
}
