using Vitrine.Client;

namespace Vitrine.Client.Tests.Unit;

public class ExposureTrackerTests
{
    private const double SixtyFps = 1.0 / 60.0;

    [Fact]
    public void Sixty_qualifying_frames_at_60_fps_make_one_viewable_second()
    {
        var tracker = new ExposureTracker();
        for (int frame = 0; frame < 60; frame++)
        {
            tracker.AddFrame(0.1, 0.9, 10, SixtyFps);
        }

        Assert.Equal(1000, tracker.LongestContinuousVisibleMs);
        Assert.True(tracker.IsViewable);
    }

    [Fact]
    public void A_failing_frame_breaks_the_run_and_the_longest_run_is_kept()
    {
        var tracker = new ExposureTracker();
        AddFrames(tracker, 0.1, 0.9, 10, seconds: 0.6);
        tracker.AddFrame(0.1, 0.3, 10, 0.1); // mostly occluded
        AddFrames(tracker, 0.1, 0.9, 10, seconds: 0.8);

        Assert.Equal(800, tracker.LongestContinuousVisibleMs);
        Assert.Equal(800, tracker.CurrentContinuousVisibleMs);
        Assert.Equal(1500, tracker.TotalVisibleMs);
        Assert.False(tracker.IsViewable);
    }

    [Fact]
    public void Off_screen_frames_count_for_nothing()
    {
        var tracker = new ExposureTracker();
        tracker.AddFrame(0, 0, 0, 2.0);

        Assert.False(tracker.HasBeenOnScreen);
        Assert.Equal(0, tracker.TotalVisibleMs);
        Assert.Equal(0, tracker.LongestContinuousVisibleMs);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Invalid_frame_times_are_ignored(double deltaTimeSeconds)
    {
        var tracker = new ExposureTracker();
        tracker.AddFrame(0.1, 0.9, 10, deltaTimeSeconds);

        Assert.Equal(0, tracker.TotalVisibleMs);
    }

    [Fact]
    public void ToExposure_reports_the_averages_of_the_longest_qualifying_run()
    {
        var tracker = new ExposureTracker();
        tracker.AddFrame(0.9, 0.9, 80, 3.0); // large but seen edge-on: not qualifying
        tracker.AddFrame(0.02, 0.6, 20, 0.5);
        tracker.AddFrame(0.04, 1.0, 40, 0.5);

        var exposure = tracker.ToExposure("plaza-billboard-north", "stridewell-1", "d-1", "stridewell-1-v1");

        Assert.Equal("plaza-billboard-north", exposure.PlacementId);
        Assert.Equal("stridewell-1", exposure.ItemId);
        Assert.Equal("d-1", exposure.DecisionId);
        Assert.Equal("stridewell-1-v1", exposure.CreativeId);
        Assert.Equal(0.03, exposure.ScreenFraction, 9);
        Assert.Equal(0.8, exposure.VisibleFraction, 9);
        Assert.Equal(30, exposure.ViewAngleDeg, 9);
        Assert.Equal(1000, exposure.ContinuousVisibleMs);
        Assert.Equal(4000, exposure.TotalVisibleMs);
        Assert.True(Viewability.IsViewable(
            exposure.ScreenFraction, exposure.VisibleFraction, exposure.ViewAngleDeg, exposure.ContinuousVisibleMs));
    }

    [Fact]
    public void ToExposure_without_a_qualifying_run_averages_the_time_on_screen()
    {
        var tracker = new ExposureTracker();
        tracker.AddFrame(0.01, 0.5, 10, 1.0);
        tracker.AddFrame(0.012, 0.5, 10, 1.0);

        var exposure = tracker.ToExposure("p", "i");

        Assert.Equal(0.011, exposure.ScreenFraction, 9);
        Assert.Equal(0, exposure.ContinuousVisibleMs);
        Assert.Equal(2000, exposure.TotalVisibleMs);
    }

    [Fact]
    public void ToExposure_caps_durations_at_one_hour()
    {
        var tracker = new ExposureTracker();
        tracker.AddFrame(0.1, 0.9, 10, 7200);

        var exposure = tracker.ToExposure("p", "i");

        Assert.Equal(ExposureTracker.MaxReportedMs, exposure.ContinuousVisibleMs);
        Assert.Equal(ExposureTracker.MaxReportedMs, exposure.TotalVisibleMs);
    }

    [Fact]
    public void Reset_starts_a_new_exposure()
    {
        var tracker = new ExposureTracker();
        AddFrames(tracker, 0.1, 0.9, 10, seconds: 2);
        tracker.Reset();

        Assert.False(tracker.IsViewable);
        Assert.Equal(0, tracker.TotalVisibleMs);
    }

    private static void AddFrames(ExposureTracker tracker, double screen, double visible, double angle, double seconds)
    {
        // Whole tenths of a second, so the sums are exact enough to compare in whole milliseconds.
        for (int frame = 0; frame < (int)Math.Round(seconds * 10); frame++)
        {
            tracker.AddFrame(screen, visible, angle, 0.1);
        }
    }
}
