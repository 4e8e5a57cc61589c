// earshot.electrodogram (the pulses an implant delivers for a sound, as `earshot electrodogram` computes them)
// and earshot.score (STOI / ESTOI with the delay found and removed, as `earshot score`). A 2-D input is mixed to
// mono by the mean of its channels (as read_mono_file does for files). The GIL is released while computing.
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>

#include "convert.hpp"
#include "earshot/analysis/intelligibility.hpp"
#include "earshot/core/error.hpp"
#include "earshot/core/param.hpp"
#include "earshot/core/stream_params.hpp"
#include "earshot/engine/description.hpp"
#include "earshot/implant/electrodogram.hpp"
#include "earshot/implant/implant_params.hpp"
#include "earshot/implant/implant_processor.hpp"
#include "earshot/io/implant_file.hpp"
#include "earshot/io/io_names.hpp"

namespace earshot::py {

namespace {

// One pulse slot of earshot.electrodogram's structured array (its dtype is registered once, in init_analysis).
struct Row {
    double time_s;
    std::int32_t electrode, current_level;
    double current_ua, phase_width_us, phase_gap_us;
};

// The mean of the channels of a float32/float64 (frames,) or (frames, channels) array; non-finite samples -> 0.
std::vector<float> mono_of(const pyb::array& a, const char* name) {
    const pyb::dtype dt = a.dtype();
    if (!(dt.is(pyb::dtype::of<float>()) || dt.is(pyb::dtype::of<double>())))
        throw ConfigError(std::string(name) + ": dtype " + dt.attr("name").cast<std::string>() + "; float32 or float64 accepted");
    if (a.ndim() != 1 && a.ndim() != 2)
        throw ConfigError(std::string(name) + ": " + std::to_string(a.ndim()) + " dimensions; 1 or 2 accepted");
    const auto f = pyb::array_t<double, pyb::array::c_style | pyb::array::forcecast>::ensure(a);
    const std::size_t n = std::size_t(f.shape(0)), nc = f.ndim() == 2 ? std::size_t(f.shape(1)) : 1;
    if (n == 0 || nc == 0) throw ConfigError(std::string(name) + ": empty");
    std::vector<float> out(n);
    const double* x = f.data();
    for (std::size_t i = 0; i < n; ++i) {
        double s = 0;
        for (std::size_t c = 0; c < nc; ++c) s += std::isfinite(x[i * nc + c]) ? x[i * nc + c] : 0.0;
        out[i] = float(s / double(nc));
    }
    return out;
}

pyb::array electrodogram(const pyb::array& x, double rate, const std::string& implant, std::optional<double> level_db_spl,
                         std::optional<double> full_scale_db_spl, const std::string& level_ref) {
    const std::vector<float> mono = mono_of(x, "x");
    const ParamSpec& rr = params::electrodogram_input_rate_hz;
    if (!(rate >= rr.min_value && rate <= rr.max_value))
        throw ConfigError("x: sample rate " + pyb::str(pyb::float_(rate)).cast<std::string>() + " Hz is out of range [" +
                          std::to_string(int(rr.min_value)) + ", " + std::to_string(int(rr.max_value)) + "] Hz");
    if (level_db_spl && full_scale_db_spl)
        throw ConfigError("--level-db-spl excludes --full-scale-db-spl (present at a level, or calibrate absolutely)");
    CalibrationSpec spec;
    spec.full_scale_db_spl = params::full_scale_db_spl.check(full_scale_db_spl.value_or(params::full_scale_db_spl.default_value));
    spec.measure = names::level_measure.from_name(level_ref, "--level-measure");
    std::vector<Pulse> pulses;
    {
        pyb::gil_scoped_release unlocked;
        const ImplantParams params = load_implant(implant);
        if (level_db_spl) {
            spec.present_at_db_spl = params::level_db_spl.check(*level_db_spl);
            LevelMeter meter(rate, spec.measure);
            const float* p = mono.data();
            meter.add(AudioView<const float>(&p, 1, mono.size()));
            spec.measured_level_dbfs = meter.level_dbfs();
            if (!std::isfinite(*spec.measured_level_dbfs))
                throw ConfigError("x: no signal: cannot set its level (--level-db-spl needs signal; use --full-scale-db-spl instead)");
        }
        pulses = electrodogram_of(params, mono, rate, resolve_calibration(spec, "x")).pulses;
    }
    pyb::array_t<Row> out(pyb::ssize_t(pulses.size()));
    Row* r = out.mutable_data();
    for (const Pulse& p : pulses)
        *r++ = {p.time_us * 1e-6, p.electrode, p.current_level, p.current_level > 0 ? current_level_to_ua(p.current_level) : 0.0,
                p.phase_width_us, p.phase_gap_us};
    return out;
}

pyb::dict score(const pyb::array& reference, const pyb::array& degraded, double rate, bool align, double max_delay_s) {
    const std::vector<float> ref = mono_of(reference, "reference"), deg = mono_of(degraded, "degraded");
    if (!(max_delay_s >= 0.0 && max_delay_s <= 60.0))
        throw ConfigError("--max-delay-s: " + pyb::str(pyb::float_(max_delay_s)).cast<std::string>() + " is out of range [0, 60] s");
    if (std::all_of(ref.begin(), ref.end(), [](float v) { return v == 0.0f; }))
        throw ConfigError("reference: no signal (the reference needs signal)");
    IntelligibilityScore s;
    {
        pyb::gil_scoped_release unlocked;
        s = score_intelligibility(ref, rate, deg, rate, align, max_delay_s);
    }
    pyb::dict d;
    d["stoi"] = s.stoi;
    d["estoi"] = s.estoi;
    d["delay_s"] = s.delay_s;
    d["frames"] = s.frames_used;
    return d;
}

}  // namespace

void init_analysis(pyb::module_& m) {
    PYBIND11_NUMPY_DTYPE(Row, time_s, electrode, current_level, current_ua, phase_width_us, phase_gap_us);
    m.def("electrodogram", &electrodogram, pyb::arg("x"), pyb::arg("sample_rate_hz"), pyb::arg("implant") = "nucleus-ace",
          pyb::arg("level_db_spl") = pyb::none(), pyb::arg("full_scale_db_spl") = pyb::none(), pyb::arg("level_ref") = "active",
          "the pulse slots an implant delivers for x (a structured array, one row per slot; idle slots have current_level 0)");
    m.def("score", &score, pyb::arg("reference"), pyb::arg("degraded"), pyb::arg("sample_rate_hz"), pyb::arg("align") = true,
          pyb::arg("max_delay_s") = 1.0, "STOI and ESTOI of degraded against reference, the delay found and removed");
}

}  // namespace earshot::py
