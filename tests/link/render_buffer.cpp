// Renders a buffer through the library's models alone (earshot::dsp: no file, plot or parser library), as a
// plugin, a Python module or a live host would. Built twice: linked against the build's earshot_dsp target
// (tests/CMakeLists.txt, then link/check_symbols.cmake checks it holds no cairo, libsndfile, toml++ or
// nlohmann-json symbol) and against an installed earshot through find_package (tests/install/).
// Checks, exit status 1 with a line on failure:
//  * the normal-hearing listener returns a 1 kHz tone at its level (+-1 dB: the property the analytic tests
//    hold for every third-octave band, tests/analytic/test_rates_and_calibration.cpp);
//  * a listener with an implant (nucleus-ace preset, the implant only) gives finite output that is not silent;
//  * the version header matches the version the build was configured with (EARSHOT_EXPECTED_VERSION).
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <numbers>
#include <vector>

#include "earshot/hearing/presets.hpp"
#include "earshot/implant/implant_params.hpp"
#include "earshot/listener/listener_processor.hpp"
#include "earshot/version.hpp"

using namespace earshot;

namespace {
constexpr double kFs = 44100.0;
constexpr std::size_t kBlock = 256;

std::vector<float> render(const Listener& l, const std::vector<float>& x) {
    HearingLossConfig cfg;
    cfg.listener = l;
    cfg.calibration.full_scale_db_spl = 100.0;
    ListenerProcessor p(cfg);
    p.prepare({kFs, kBlock, 1});
    std::vector<float> y(x.size());
    for (std::size_t i = 0; i < x.size(); i += kBlock) {
        const std::size_t n = std::min(kBlock, x.size() - i);
        const float* in[1] = {x.data() + i};
        float* out[1] = {y.data() + i};
        p.process(AudioView<const float>(in, 1, n), AudioView<float>(out, 1, n));
    }
    return y;
}

double rms_db(const std::vector<float>& x, std::size_t from) {
    double e = 0;
    for (std::size_t i = from; i < x.size(); ++i) e += double(x[i]) * x[i];
    return 10.0 * std::log10(e / double(x.size() - from));
}

int fail(const char* what) {
    std::fprintf(stderr, "render_buffer: %s\n", what);
    return 1;
}
}  // namespace

int main() {
    std::vector<float> tone(std::size_t(2.0 * kFs));
    for (std::size_t i = 0; i < tone.size(); ++i) tone[i] = float(0.1 * std::sin(2.0 * std::numbers::pi * 1000.0 * double(i) / kFs));
    const std::size_t settled = std::size_t(0.5 * kFs);

    const auto normal = render(make_preset("normal"), tone);
    const double change_db = rms_db(normal, settled) - rms_db(tone, settled);
    std::printf("normal listener, 1 kHz tone: output level re input %+.3f dB\n", change_db);
    if (!(std::fabs(change_db) <= 1.0)) return fail("the normal listener does not return the tone at its level (+-1 dB)");

    Listener implanted = make_preset("normal");
    for (EarDevice* d : {&implanted.left_device, &implanted.right_device}) {
        d->implant = std::make_shared<const ImplantParams>(implant_preset("nucleus-ace"));
        d->acoustic = false;
    }
    const auto electric = render(implanted, tone);
    for (float v : electric)
        if (!std::isfinite(v)) return fail("the implant listener's output is not finite");
    const double electric_db = rms_db(electric, settled);
    std::printf("implant listener (nucleus-ace), 1 kHz tone: output %.1f dB re full scale RMS\n", electric_db);
    if (!std::isfinite(electric_db)) return fail("the implant listener's output is silent");

#ifdef EARSHOT_EXPECTED_VERSION
    if (std::strcmp(kVersion, EARSHOT_EXPECTED_VERSION) != 0) return fail("version.hpp does not match project(VERSION)");
#endif
    std::printf("earshot %s (%d.%d.%d)\n", kVersion, kVersionMajor, kVersionMinor, kVersionPatch);
    return 0;
}
