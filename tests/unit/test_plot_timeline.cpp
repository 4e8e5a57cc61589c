// Scene timeline plot: the picture's content checked analytically on a synthetic scene (a 1 kHz tone outside,
// the tone then silence inside: which panel rows are bright before and after; where the tone sits on the
// frequency axis; the keyframe line at its time in the lanes and, faintly, through the spectrograms; the
// tinnitus bar over its event), PNG size, SVG, the time budget for a minute of audio, and the one-line errors.
#include <cairo/cairo.h>  // (cairo's headers include their siblings by quotes, so no include path is needed)
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "earshot/core/error.hpp"
#include "earshot/plots/plot_timeline.hpp"
#include "earshot/io/scene_file.hpp"

namespace earshot {
namespace {

namespace fs = std::filesystem;

constexpr double kRate = 44100.0;

class PlotTimeline : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        dir_ = fs::temp_directory_path() /
               (std::string("earshot_plot_timeline_") + info->name() + "_" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    bool dir_empty() const { return fs::is_empty(dir_); }
    fs::path dir_;
};

// A decoded PNG.
class Image {
public:
    explicit Image(const fs::path& png) : s_(cairo_image_surface_create_from_png(png.c_str())) {}
    ~Image() { cairo_surface_destroy(s_); }
    Image(const Image&) = delete;
    Image& operator=(const Image&) = delete;
    bool ok() const { return cairo_surface_status(s_) == CAIRO_STATUS_SUCCESS; }
    int width() const { return cairo_image_surface_get_width(s_); }
    int height() const { return cairo_image_surface_get_height(s_); }
    // Red, green, blue of a pixel (native-endian ARGB32: B, G, R, A in memory on little-endian).
    int r(int x, int y) const { return px(x, y)[2]; }
    int g(int x, int y) const { return px(x, y)[1]; }
    int b(int x, int y) const { return px(x, y)[0]; }
    int luma(int x, int y) const { return (r(x, y) + g(x, y) + b(x, y)) / 3; }
    bool dark(int x, int y) const { return std::max({r(x, y), g(x, y), b(x, y)}) < 100; }
    bool orange(int x, int y) const { return r(x, y) > 200 && g(x, y) > 90 && g(x, y) < 215 && b(x, y) < 150; }

private:
    const unsigned char* px(int x, int y) const {
        return cairo_image_surface_get_data(s_) + std::ptrdiff_t(y) * cairo_image_surface_get_stride(s_) + 4 * x;
    }
    cairo_surface_t* s_;
};

// Two keyframes (normal hearing, then a profound loss reached by a 2 s smooth transition ending at 7 s) and a
// 4 kHz tinnitus from 2 to 4 s.
Scene synthetic_scene() {
    return parse_scene_toml(R"(
name = "synthetic"
[[keyframe]]
time_s = 0
listener = "normal"
[[keyframe]]
time_s = 7
listener = "sudden-profound"
transition = { duration_s = 2, curve = "smooth" }
[[tinnitus]]
start_s = 2
end_s = 4
freq_hz = 4000
level_db_spl = 40
)", "synthetic.toml");
}

std::vector<float> tone(double seconds, double freq_hz, double amplitude = 0.5) {
    std::vector<float> x(std::size_t(seconds * kRate));
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = float(amplitude * std::sin(2 * M_PI * freq_hz * double(i) / kRate));
    return x;
}

// Outside: the tone for 10 s; inside: the tone for 5 s, then silence.
struct Signals {
    std::vector<float> outside = tone(10, 1000);
    std::vector<float> inside = [this] {
        std::vector<float> v = outside;
        std::fill(v.begin() + long(5 * kRate), v.end(), 0.0f);
        return v;
    }();
};

// Columns of the spectrogram panels [xa, xb) at least 4 px from every keyframe line.
std::vector<int> columns_between(const TimelineFrame& fr, const Scene& s, double ta, double tb) {
    std::vector<int> cols;
    for (int x = int(std::ceil(fr.x(ta))) + 4; x < int(std::floor(fr.x(tb))) - 4; ++x) {
        bool near_line = x < fr.x0 + 2 || x > fr.x1 - 2;
        for (const Keyframe& k : s.keyframes) near_line = near_line || std::abs(x - std::round(fr.x(k.time_s))) < 4;
        if (!near_line) cols.push_back(x);
    }
    return cols;
}

// The synthetic scene over the synthetic signals, drawn once at the default size: the picture the content tests
// read, and its layout.
struct Drawn {
    Scene scene = synthetic_scene();
    Signals sig;
    TimelineFrame fr = timeline_plot_frame(scene, sig.outside.size(), kRate);
    std::unique_ptr<Image> im;
};
const Drawn& drawn() {
    static const Drawn d = [] {
        Drawn d;
        const fs::path png = fs::temp_directory_path() / ("earshot_plot_timeline_" + std::to_string(::getpid()) + ".png");
        plot_timeline(d.scene, d.sig.outside, d.sig.inside, kRate, png);
        d.im = std::make_unique<Image>(png);
        fs::remove(png);
        return d;
    }();
    return d;
}

TEST(PlotTimelineContent, InsideGoesDarkAtOneKilohertzWhenTheToneStopsOutsideStaysBright) {
    const auto& [scene, sig, fr, image] = drawn();
    const Image& im = *image;
    ASSERT_TRUE(im.ok());
    EXPECT_EQ(im.width(), 1600);
    EXPECT_EQ(im.height(), 900);
    EXPECT_EQ(fr.t0_s, 0.0);
    EXPECT_NEAR(fr.t1_s, 10.0, 1e-9);
    EXPECT_EQ(fr.f_lo_hz, 50.0);
    EXPECT_EQ(fr.f_hi_hz, 16000.0);
    EXPECT_EQ(fr.fft_size, 2048u);
    // Top to bottom: lanes, automation, outside, inside, all inside the picture.
    EXPECT_LT(fr.lanes_y1, fr.automation_y0);
    EXPECT_LT(fr.automation_y1, fr.outside_y0);
    EXPECT_LT(fr.outside_y1, fr.inside_y0);
    EXPECT_LT(fr.inside_y1, 900.0);
    EXPECT_NEAR(fr.outside_y1 - fr.outside_y0, fr.inside_y1 - fr.inside_y0, 1e-9);
    EXPECT_GT(fr.inside_y1 - fr.inside_y0, 200.0);

    const int y_out = int(std::floor(fr.y_outside(1000))), y_in = int(std::floor(fr.y_inside(1000)));
    const std::vector<int> before = columns_between(fr, scene, 0, 5), after = columns_between(fr, scene, 5, 10);
    ASSERT_GT(before.size(), 500u);
    ASSERT_GT(after.size(), 500u);
    auto count = [&](const std::vector<int>& cols, int y, const std::function<bool(int)>& pred) {
        std::size_t n = 0;
        for (int x : cols) n += pred(im.luma(x, y));
        return n;
    };
    const auto bright = [](int l) { return l > 170; };
    const auto black = [](int l) { return l < 25; };
    EXPECT_EQ(count(before, y_in, bright), before.size()) << "inside, tone on";
    EXPECT_EQ(count(after, y_in, black), after.size()) << "inside, silence";
    EXPECT_EQ(count(before, y_out, bright), before.size()) << "outside";
    EXPECT_EQ(count(after, y_out, bright), after.size()) << "outside";
    // Far from the tone (8 kHz, 3 octaves up; 250 Hz, 2 down) the outside is dark: the tone sits at its row.
    for (double f : {250.0, 8000.0})
        EXPECT_EQ(count(after, int(std::floor(fr.y_outside(f))), black), after.size()) << f << " Hz";
    // The bright band of an outside column (the tone's main lobe) is centred on the 1 kHz row (+-1 px).
    for (int xc : {after[after.size() / 4], after[after.size() / 2]}) {
        double sum = 0;
        int n = 0;
        for (int y = int(fr.outside_y0) + 30; y < int(fr.outside_y1); ++y)  // below the panel's tag
            if (bright(im.luma(xc, y))) sum += y + 0.5, ++n;
        ASSERT_GT(n, 0);
        EXPECT_LT(n, 12) << "a narrow band";
        EXPECT_NEAR(sum / n, fr.y_outside(1000), 1.0) << "x = " << xc;
    }
}

TEST(PlotTimelineContent, KeyframeLineAtItsTimeThroughTheLanesAndFaintlyThroughTheSpectrograms) {
    const TimelineFrame& fr = drawn().fr;
    const Image& im = *drawn().im;
    ASSERT_TRUE(im.ok());
    const int xk = int(std::lround(fr.x(7.0)));
    const int ya = int(fr.lanes_y0) + 1, yb = int(fr.lanes_y1) - 1;
    auto dark_rows = [&](int x) {
        int n = 0;
        for (int y = ya; y < yb; ++y) n += im.dark(x, y);
        return double(n) / (yb - ya);
    };
    // The line: dark over the whole lane strip within +-1 px of x(7 s); not 3-4 px beside it.
    int lines = 0;
    for (int x = xk - 1; x <= xk + 1; ++x) lines += dark_rows(x) > 0.95;
    EXPECT_GE(lines, 1);
    for (int x : {xk - 4, xk - 3, xk + 3})
        EXPECT_LT(dark_rows(x), 0.5) << "x = " << x << " (line at " << xk << ")";
    // Through the inside panel, silent after 5 s: a light dashed line in the column next to x(7 s), black beside.
    int lit = 0, beside = 0;
    const int py0 = int(fr.inside_y0) + 30, py1 = int(fr.inside_y1) - 1;
    int best_col = 0;
    for (int x = xk - 1; x <= xk + 1; ++x) {
        int n = 0;
        for (int y = py0; y < py1; ++y) n += im.luma(x, y) > 80;
        best_col = std::max(best_col, n);
    }
    lit = best_col;
    for (int y = py0; y < py1; ++y) beside += im.luma(xk + 4, y) > 80;
    EXPECT_GT(lit, 0.4 * (py1 - py0)) << "dashes";
    EXPECT_LT(lit, 0.8 * (py1 - py0)) << "dashes, not a solid line";
    EXPECT_EQ(beside, 0);
}

TEST(PlotTimelineContent, TinnitusBarSpansItsEvent) {
    const TimelineFrame& fr = drawn().fr;
    const Image& im = *drawn().im;
    ASSERT_TRUE(im.ok());
    auto orange_in_column = [&](int x) {
        for (int y = int(fr.lanes_y0); y < int(fr.lanes_y1); ++y)
            if (im.orange(x, y)) return true;
        return false;
    };
    // Full level from the end of the 50 ms attack to the end (4 s); the release ends 0.2 s later.
    for (int x = int(fr.x(2.1)); x < int(fr.x(4.0)); ++x) EXPECT_TRUE(orange_in_column(x)) << "x = " << x;
    for (int x = int(fr.x0) + 1; x < int(fr.x(2.0)) - 2; ++x) EXPECT_FALSE(orange_in_column(x)) << "x = " << x;
    for (int x = int(fr.x(4.2)) + 2; x < int(fr.x1); ++x) EXPECT_FALSE(orange_in_column(x)) << "x = " << x;
}

TEST_F(PlotTimeline, RequestedSizeAndSvgByExtension) {
    const Scene scene = synthetic_scene();
    const Signals sig;
    TimelinePlotOptions o;
    o.width_px = 1000;
    o.height_px = 620;
    o.title = "synthetic \u00b7 a title";
    const fs::path png = dir_ / "small.png";
    plot_timeline(scene, sig.outside, sig.inside, kRate, png, o);
    Image im(png);
    ASSERT_TRUE(im.ok());
    EXPECT_EQ(im.width(), 1000);
    EXPECT_EQ(im.height(), 620);
    const TimelineFrame fr = timeline_plot_frame(scene, sig.outside.size(), kRate, o);
    EXPECT_EQ(fr.width_px, 1000);
    EXPECT_LT(fr.x1, 1000.0);
    EXPECT_LT(fr.inside_y1, 620.0);

    const fs::path svg = dir_ / "t.SVG";
    plot_timeline(scene, sig.outside, sig.inside, kRate, svg, o);
    std::ifstream f(svg);
    const std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("<svg"), std::string::npos);
    EXPECT_NE(text.find("viewBox=\"0 0 1000 620\""), std::string::npos);
    EXPECT_NE(text.find("<image"), std::string::npos);  // the spectrograms
    // Only the two outputs are left: no temp files.
    int files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_)) ++files;
    EXPECT_EQ(files, 2);
}

// A whole minute at 44.1 kHz draws (how fast is a benchmark's business, not a test's: no time bound here).
TEST_F(PlotTimeline, AMinuteAt44kDraws) {
    const Scene scene = read_scene_file(fs::path(EARSHOT_TEST_DATA) / "../../examples/scenes/sudden-loss-implant.toml");
    std::vector<float> outside(std::size_t(60 * kRate)), inside(outside.size());
    std::mt19937 rng(1);
    std::normal_distribution<float> n(0.0f, 0.1f);
    for (std::size_t i = 0; i < outside.size(); ++i) {
        outside[i] = n(rng);
        inside[i] = i < std::size_t(12 * kRate) ? 0.3f * outside[i] : 0.0f;
    }
    const fs::path out = dir_ / "minute.png";
    plot_timeline(scene, outside, inside, kRate, out);
    Image im(out);
    ASSERT_TRUE(im.ok());
    EXPECT_EQ(im.width(), 1600);
    EXPECT_EQ(im.height(), 900);
}

template <class E>
void expect_one_line_error(const std::function<void()>& f, const std::string& must_contain) {
    try {
        f();
        ADD_FAILURE() << "no exception; expected one naming " << must_contain;
    } catch (const E& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find(must_contain), std::string::npos) << m;
        EXPECT_EQ(m.find('\n'), std::string::npos) << m;
    }
}

TEST_F(PlotTimeline, ErrorsAreOneLineAndLeaveNothingOnDisk) {
    const Scene scene = synthetic_scene();
    const Signals sig;
    const fs::path jpg = dir_ / "t.jpg", none = dir_ / "t", missing = dir_ / "no" / "such" / "t.png";
    expect_one_line_error<IoError>([&] { plot_timeline(scene, sig.outside, sig.inside, kRate, jpg); }, jpg.string());
    expect_one_line_error<IoError>([&] { plot_timeline(scene, sig.outside, sig.inside, kRate, none); }, none.string());
    expect_one_line_error<IoError>([&] { plot_timeline(scene, sig.outside, sig.inside, kRate, missing); }, missing.string());
    expect_one_line_error<IoError>([&] { plot_timeline(scene, sig.outside, sig.inside, kRate, dir_); }, dir_.string());
    // An unwritable directory (skipped as root, who may write anyway).
    if (::geteuid() != 0) {
        const fs::path ro = dir_ / "ro";
        fs::create_directories(ro);
        fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec);
        expect_one_line_error<IoError>([&] { plot_timeline(scene, sig.outside, sig.inside, kRate, ro / "t.png"); },
                                       (ro / "t.png").string());
        EXPECT_TRUE(fs::is_empty(ro));
        fs::permissions(ro, fs::perms::owner_all);
        fs::remove(ro);
    }

    const fs::path out = dir_ / "t.png";
    std::vector<float> shorter(sig.inside.begin(), sig.inside.end() - 1);
    expect_one_line_error<ConfigError>([&] { plot_timeline(scene, sig.outside, shorter, kRate, out); }, "same length");
    for (double bad_rate : {0.0, -44100.0, std::nan(""), 1e7})
        expect_one_line_error<ConfigError>([&] { plot_timeline(scene, sig.outside, sig.inside, bad_rate, out); },
                                           "sample rate");
    auto with = [](std::function<void(TimelinePlotOptions&)> change) {
        TimelinePlotOptions o;
        change(o);
        return o;
    };
    const std::vector<std::pair<TimelinePlotOptions, std::string>> bad_options = {
        {with([](auto& o) { o.width_px = 100; }), "width_px"},
        {with([](auto& o) { o.height_px = 20000; }), "height_px"},
        {with([](auto& o) { o.max_freq_hz = 30000; }), "max_freq_hz"},
        {with([](auto& o) { o.max_freq_hz = 100; }), "max_freq_hz"},
        {with([](auto& o) { o.dynamic_range_db = 0; }), "dynamic_range_db"},
        {with([](auto& o) { o.dynamic_range_db = std::nan(""); }), "dynamic_range_db"},
    };
    for (const auto& [opts, field] : bad_options) {
        const auto& o = opts;  // clang 14 (the asan preset) cannot capture a structured binding
        expect_one_line_error<ConfigError>([&] { plot_timeline(scene, sig.outside, sig.inside, kRate, out, o); }, field);
        expect_one_line_error<ConfigError>([&] { timeline_plot_frame(scene, sig.outside.size(), kRate, o); }, field);
    }
    EXPECT_TRUE(dir_empty());
}

TEST_F(PlotTimeline, TimeAxisCoversTheSceneWhenItIsLongerThanTheAudio) {
    const Scene scene = synthetic_scene();  // names times up to 7 s
    const std::vector<float> x = tone(3, 1000);
    const TimelineFrame fr = timeline_plot_frame(scene, x.size(), kRate);
    EXPECT_NEAR(fr.t1_s, 7.0, 1e-9);
    const fs::path out = dir_ / "short.png";
    plot_timeline(scene, x, x, kRate, out);
    Image im(out);
    ASSERT_TRUE(im.ok());
    // Beyond the audio the panels are light grey (no data), not black (silence).
    const int xg = int(fr.x(6.0)), yg = int(fr.y_inside(300));
    EXPECT_GT(im.luma(xg, yg), 180);
    EXPECT_LT(std::abs(im.r(xg, yg) - im.b(xg, yg)), 15);
}

}  // namespace
}  // namespace earshot
