// Electrodogram plot: the picture's content checked analytically on synthetic electrodograms (which rows
// are inked, how high, over which times), the fixture ACE electrodogram drawn whole within the time budget,
// SVG output, and the one-line errors.
#include <cairo/cairo.h>  // (cairo's headers include their siblings by quotes, so no include path is needed)
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "earshot/core/error.hpp"
#include "earshot/plots/plot_electrodogram.hpp"

namespace earshot {
namespace {

namespace fs = std::filesystem;

class PlotElectrodogram : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        dir_ = fs::temp_directory_path() /
               (std::string("earshot_plot_edg_") + info->name() + "_" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    fs::path dir_;
};

// A decoded PNG; ink = a pulse or waveform pixel (any channel below 150: the grid, row shading and the
// background are all lighter; the level colours' darkest channel is at most 144).
class Image {
public:
    explicit Image(const fs::path& png) : s_(cairo_image_surface_create_from_png(png.c_str())) {}
    ~Image() { cairo_surface_destroy(s_); }
    Image(const Image&) = delete;
    Image& operator=(const Image&) = delete;
    bool ok() const { return cairo_surface_status(s_) == CAIRO_STATUS_SUCCESS; }
    int width() const { return cairo_image_surface_get_width(s_); }
    int height() const { return cairo_image_surface_get_height(s_); }
    bool ink(int x, int y) const {
        const unsigned char* row = cairo_image_surface_get_data(s_) + std::ptrdiff_t(y) * cairo_image_surface_get_stride(s_);
        const unsigned char* p = row + 4 * x;  // native-endian ARGB32: B, G, R, A on little-endian
        return std::min({p[0], p[1], p[2]}) < 150;
    }
    // Inked pixels in the rectangle [xa, xb) x [ya, yb).
    int count(int xa, int xb, int ya, int yb) const {
        int n = 0;
        for (int y = ya; y < yb; ++y)
            for (int x = xa; x < xb; ++x) n += ink(x, y);
        return n;
    }

private:
    cairo_surface_t* s_;
};

// Pulses every period_ms on `electrode` at `level` between t0 and t1 s, and idle slots on every other
// electrode in between (which must not be drawn).
Electrodogram synthetic(int electrode, int level, double t0 = 0.0, double t1 = 1.0, double period_ms = 1.0) {
    Electrodogram e;
    for (double t = t0; t < t1 - 1e-12; t += period_ms * 1e-3) {
        e.pulses.push_back({t * 1e6, electrode, level, 25, 7});
        for (int k = 1; k <= 22; ++k)
            if (k != electrode) e.pulses.push_back({t * 1e6 + 100, k, 0, 25, 7});
    }
    return e;
}

// Interior of an electrode's row band (inside its grid lines and the frame).
struct Band {
    int xa, xb, ya, yb;
};
Band row_band(const ElectrodogramFrame& fr, int electrode) {
    return {int(fr.x0) + 1, int(fr.x1) - 1, int(std::lround(fr.baseline_y(electrode) - fr.row_height())) + 1,
            int(std::lround(fr.baseline_y(electrode)))};
}

// Height of the ink column standing on the electrode's baseline at x.
int ink_height(const Image& im, const ElectrodogramFrame& fr, int electrode, int x) {
    const Band b = row_band(fr, electrode);
    int h = 0;
    for (int y = b.yb - 1; y >= b.ya && im.ink(x, y); --y) ++h;
    return h;
}

TEST_F(PlotElectrodogram, OnlyTheStimulatedElectrodeIsInkedAtNineTenthsOfTheRow) {
    const Electrodogram e = synthetic(5, 200);
    const fs::path out = dir_ / "e5.png";
    plot_electrodogram(e, out);
    ASSERT_TRUE(fs::exists(out));
    Image im(out);
    ASSERT_TRUE(im.ok());
    EXPECT_EQ(im.width(), 1400);
    EXPECT_EQ(im.height(), 800);
    const ElectrodogramFrame fr = electrodogram_plot_frame(e);
    ASSERT_EQ(fr.num_electrodes, 22);
    EXPECT_NEAR(fr.t0_s, 0.0, 1e-12);
    EXPECT_NEAR(fr.t1_s, 0.999 + 100e-6 + 57e-6, 1e-9);  // whole: to the end of the last slot
    EXPECT_GT(fr.row_height(), 20.0);
    // The picture's own geometry: electrode 1 is the top row, 22 the bottom, inside the image.
    EXPECT_GE(fr.y0, 0.0);
    EXPECT_LE(fr.y1, 800.0);
    EXPECT_NEAR(fr.baseline_y(22), fr.y1, 1e-9);
    EXPECT_NEAR(fr.baseline_y(1), fr.y0 + (fr.y1 - fr.y0) / 22, 1e-9);

    for (int el = 1; el <= 22; ++el) {
        const Band b = row_band(fr, el);
        const int n = im.count(b.xa, b.xb, b.ya, b.yb);
        if (el != 5) {
            EXPECT_EQ(n, 0) << "electrode " << el;
            continue;
        }
        // 1000 pulses 1 ms apart, a pixel column < 1 ms: one column each.
        int columns = 0, tall = 0;
        const int want = int(std::lround(0.9 * fr.row_height()));
        for (int x = b.xa; x < b.xb; ++x) {
            const int h = ink_height(im, fr, el, x);
            columns += h > 0;
            if (h > 0) tall += std::abs(h - want) <= 1;
        }
        ASSERT_LT(fr.t1_s / (fr.x1 - fr.x0), 1e-3);
        EXPECT_NEAR(columns, 1000, 2) << "inked columns";
        EXPECT_EQ(tall, columns) << "every pulse 0.9 row high (" << want << " px)";
    }
}

TEST_F(PlotElectrodogram, CLevelSetsTheScaleAndElectrodeOneIsAtTheTop) {
    Electrodogram e = synthetic(1, 100);
    for (const Pulse& p : synthetic(22, 100).pulses)
        if (p.current_level > 0) e.pulses.push_back(p);
    ElectrodogramPlotOptions o;
    o.c_level = 200;  // level 100 -> 0.45 of the row
    o.colour_by_level = false;
    const fs::path out = dir_ / "e1_e22.png";
    plot_electrodogram(e, out, o);
    Image im(out);
    ASSERT_TRUE(im.ok());
    const ElectrodogramFrame fr = electrodogram_plot_frame(e, o);
    const int x = int((fr.x0 + fr.x1) / 2);
    const int want = int(std::lround(0.45 * fr.row_height()));
    // Electrode 1: the top row of the panel; electrode 22: the bottom row.
    int top = -1, bottom = -1;
    for (int y = int(fr.y0); y < int(fr.y1); ++y)
        if (im.count(int(fr.x0) + 1, int(fr.x1) - 1, y, y + 1) > 0) {
            if (top < 0) top = y;
            bottom = y;
        }
    EXPECT_NEAR(top, fr.y0 + fr.row_height() - want, 1.5);
    EXPECT_NEAR(bottom, fr.y1 - 1, 0.5);
    for (int el : {1, 22}) {
        int h = 0;
        for (int dx = -3; dx <= 3; ++dx) h = std::max(h, ink_height(im, fr, el, x + dx));
        EXPECT_NEAR(h, want, 1) << "electrode " << el;
    }
    for (int el = 2; el <= 21; ++el) {
        const Band b = row_band(fr, el);
        EXPECT_EQ(im.count(b.xa, b.xb, b.ya, b.yb), 0) << "electrode " << el;
    }
}

TEST_F(PlotElectrodogram, TimeWindowPlacesPulsesOnTheTimeAxis) {
    const Electrodogram e = synthetic(10, 150, 0.2, 0.3);
    ElectrodogramPlotOptions o;
    o.start_s = 0;
    o.end_s = 1;
    o.title = "window";
    const fs::path out = dir_ / "window.png";
    plot_electrodogram(e, out, o);
    Image im(out);
    ASSERT_TRUE(im.ok());
    const ElectrodogramFrame fr = electrodogram_plot_frame(e, o);
    EXPECT_DOUBLE_EQ(fr.t0_s, 0.0);
    EXPECT_DOUBLE_EQ(fr.t1_s, 1.0);
    const Band b = row_band(fr, 10);
    int first = -1, last = -1;
    for (int x = b.xa; x < b.xb; ++x)
        if (im.count(x, x + 1, b.ya, b.yb) > 0) {
            if (first < 0) first = x;
            last = x;
        }
    EXPECT_NEAR(first, fr.x(0.2), 1.5);
    EXPECT_NEAR(last, fr.x(0.299), 1.5);

    // Zoomed to 10 ms: each pulse is a bar as wide as the pulse (57 us), pulses 1 ms apart.
    o.start_s = 0.2495;
    o.end_s = 0.2595;
    plot_electrodogram(e, out, o);
    Image zoom(out);
    ASSERT_TRUE(zoom.ok());
    const ElectrodogramFrame fz = electrodogram_plot_frame(e, o);
    const int y = int(fz.baseline_y(10)) - 2;
    int bars = 0, widest = 0, run = 0;
    for (int x = int(fz.x0) + 1; x < int(fz.x1) - 1; ++x) {
        if (zoom.ink(x, y)) {
            bars += run == 0;
            widest = std::max(widest, ++run);
        } else {
            run = 0;
        }
    }
    EXPECT_EQ(bars, 10);
    EXPECT_NEAR(widest, 57e-6 / 0.01 * (fz.x1 - fz.x0), 1.5);
}

TEST_F(PlotElectrodogram, WaveformStripAboveSharesTheTimeAxis) {
    const Electrodogram e = synthetic(8, 100);
    std::vector<float> audio(16000);
    for (std::size_t i = 4000; i < 8000; ++i) audio[i] = float(0.5 * std::sin(2 * M_PI * 2000 * double(i) / 16000));
    ElectrodogramPlotOptions o;
    o.audio = &audio;
    o.audio_rate_hz = 16000;
    const fs::path out = dir_ / "wave.png";
    plot_electrodogram(e, out, o);
    Image im(out);
    ASSERT_TRUE(im.ok());
    const ElectrodogramFrame fr = electrodogram_plot_frame(e, o);
    EXPECT_LT(fr.wave_y0, fr.wave_y1);
    EXPECT_LT(fr.wave_y1, fr.y0);
    const int ya = int(fr.wave_y0) + 1, yb = int(fr.wave_y1) - 1;
    // The tone (0.25..0.5 s) is inked at full height; silence only on the zero line.
    const int xt = int(fr.x(0.375));
    EXPECT_GT(im.count(xt, xt + 1, ya, yb), int(0.8 * (yb - ya)));
    const int xs = int(fr.x(0.75));
    EXPECT_LE(im.count(xs, xs + 1, ya, yb), 2);
    EXPECT_EQ(im.count(int(fr.x(0.6)), int(fr.x(0.9)), ya, int((fr.wave_y0 + fr.wave_y1) / 2) - 2), 0);
}

TEST_F(PlotElectrodogram, FixtureWholeTenSecondsInksTheActiveElectrodes) {
    const Electrodogram e = Electrodogram::read_csv(std::string(EARSHOT_TEST_DATA) + "/ace/ace_P1_speech_pulses.csv");
    ASSERT_GT(e.pulses.size(), 100000u);
    std::set<int> active;
    for (const Pulse& p : e.pulses)
        if (p.current_level > 0) active.insert(p.electrode);
    ElectrodogramPlotOptions o;
    o.title = "ACE P1";
    for (int el = 1; el <= 22; ++el) o.band_centre_hz.push_back(8000.0 / el);
    const fs::path out = dir_ / "fixture.png";
    plot_electrodogram(e, out, o);  // (its speed is not a test's business: no time bound)
    Image im(out);
    ASSERT_TRUE(im.ok());
    EXPECT_EQ(im.width(), 1400);
    EXPECT_EQ(im.height(), 800);
    const ElectrodogramFrame fr = electrodogram_plot_frame(e, o);
    EXPECT_NEAR(fr.t1_s, 10.0, 0.1);
    for (int el = 1; el <= 22; ++el) {
        const Band b = row_band(fr, el);
        EXPECT_EQ(im.count(b.xa, b.xb, b.ya, b.yb) > 0, active.count(el) > 0) << "electrode " << el;
    }
}

TEST_F(PlotElectrodogram, SvgByExtension) {
    const fs::path out = dir_ / "e.SVG";
    plot_electrodogram(synthetic(3, 50, 0, 0.05), out);
    std::ifstream f(out);
    std::string head((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    EXPECT_NE(head.find("<svg"), std::string::npos);
}

template <class E, class F>
void expect_one_line_error(F&& f, const std::string& part) {
    try {
        f();
        ADD_FAILURE() << "no exception";
    } catch (const E& ex) {
        const std::string m = ex.what();
        EXPECT_NE(m.find(part), std::string::npos) << m;
        EXPECT_EQ(m.find('\n'), std::string::npos) << m;
    }
}

TEST_F(PlotElectrodogram, ErrorsNameTheFileOrTheField) {
    const Electrodogram e = synthetic(5, 100, 0, 0.01);
    const fs::path jpg = dir_ / "plot.jpg";
    expect_one_line_error<IoError>([&] { plot_electrodogram(e, jpg); }, jpg.string());
    const fs::path missing = dir_ / "no_such_dir" / "plot.png";
    expect_one_line_error<IoError>([&] { plot_electrodogram(e, missing); }, missing.string());
    expect_one_line_error<IoError>([&] { plot_electrodogram(e, dir_); }, dir_.string());
    Electrodogram bad = e;
    bad.pulses.push_back({0, 23, 10, 25, 7});
    expect_one_line_error<ConfigError>([&] { plot_electrodogram(bad, dir_ / "bad.png"); }, "electrode 23");
    ElectrodogramPlotOptions o;
    o.band_centre_hz = {1000, 2000};
    expect_one_line_error<ConfigError>([&] { plot_electrodogram(e, dir_ / "bad.png", o); }, "band_centre_hz");
    o = {};
    o.start_s = 2;
    o.end_s = 1;
    expect_one_line_error<ConfigError>([&] { plot_electrodogram(e, dir_ / "bad.png", o); }, "time window");
    std::vector<float> audio(10);
    o = {};
    o.audio = &audio;
    expect_one_line_error<ConfigError>([&] { plot_electrodogram(e, dir_ / "bad.png", o); }, "audio_rate_hz");
    // Nothing left behind: no plot, no temporary file.
    EXPECT_TRUE(fs::is_empty(dir_));
}

}  // namespace
}  // namespace earshot
