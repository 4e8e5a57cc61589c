// What the Clarity drop-in (earshot/clarity.py, docs/python.md "Migrating from Clarity's MSBG") needs from the
// library beyond earshot.render: MSBG's calibration of a signal (hearing/msbg_calibration.hpp), the degree of
// loss the model takes from an audiogram (hearing/loss_degree.hpp: Clarity's severity classes) and the
// comparison of a render with a reference render (analysis/reference_compare.hpp: the MSBG fixtures' bounds).
// A front end: it converts Python values and calls the library; the GIL is released while it computes.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <span>
#include <vector>

#include "convert.hpp"
#include "earshot/analysis/reference_compare.hpp"
#include "earshot/hearing/audiogram.hpp"
#include "earshot/hearing/hearing_loss.hpp"
#include "earshot/hearing/loss_degree.hpp"
#include "earshot/hearing/msbg_calibration.hpp"

namespace earshot::py {

namespace {

using FloatArray = pyb::array_t<float, pyb::array::c_style | pyb::array::forcecast>;

// (frames,) or (frames, channels) -> planar channels.
std::vector<std::vector<float>> to_planar(const FloatArray& x, const char* what) {
    if (x.ndim() != 1 && x.ndim() != 2)
        throw pyb::value_error(std::string(what) + ": a 1-D or 2-D (frames x channels) array is accepted, not " +
                              std::to_string(x.ndim()) + "-D");
    const std::size_t frames = std::size_t(x.shape(0));
    const std::size_t chans = x.ndim() == 1 ? 1 : std::size_t(x.shape(1));
    std::vector<std::vector<float>> planar(chans, std::vector<float>(frames));
    const float* p = x.data();
    for (std::size_t i = 0; i < frames; ++i)
        for (std::size_t c = 0; c < chans; ++c) planar[c][i] = p[i * chans + c];
    return planar;
}

std::span<const float> mono(const FloatArray& x, const char* what) {
    if (x.ndim() != 1) throw pyb::value_error(std::string(what) + ": a 1-D (mono) array is accepted");
    return {x.data(), std::size_t(x.shape(0))};
}

}  // namespace

void init_clarity(pyb::module_& m) {
    m.def(
        "msbg_calibration",
        [](const FloatArray& x, double sample_rate_hz, double rms_one_db_spl) {
            const auto planar = to_planar(x, "msbg_calibration: signal");
            if (planar.empty() || planar[0].empty()) throw pyb::value_error("msbg_calibration: the signal is empty");
            std::vector<const float*> ptrs;
            for (const auto& c : planar) ptrs.push_back(c.data());
            MsbgCalibration cal;
            {
                pyb::gil_scoped_release release;
                cal = msbg_calibration(AudioView<const float>(ptrs.data(), ptrs.size(), planar[0].size()),
                                       sample_rate_hz, rms_one_db_spl);
            }
            pyb::dict d;
            d["overall_dbfs"] = cal.overall_dbfs;
            d["active_dbfs"] = cal.active_dbfs;
            d["relevel_db"] = cal.relevel_db;
            d["presentation_db_spl"] = cal.presentation_db_spl;
            d["full_scale_db_spl"] = cal.full_scale_db_spl;
            return d;
        },
        pyb::arg("signal"), pyb::arg("sample_rate_hz"), pyb::arg("rms_one_db_spl"),
        "MSBG's calibration of a signal (frames or frames x channels) where an RMS of 1.0 is rms_one_db_spl dB SPL "
        "(earshot/hearing/msbg_calibration.hpp): dict overall_dbfs, active_dbfs, relevel_db, presentation_db_spl, "
        "full_scale_db_spl");
    m.def(
        "loss_degree",
        [](std::vector<double> freqs_hz, std::vector<double> hl_db) {
            Audiogram a{std::move(freqs_hz), std::move(hl_db)};
            a.validate("audiogram");
            const DegreeParams p = degree_params(a, LossDegree::classes);
            pyb::dict d;
            d["mean_hl_2k_8k_db"] = p.mean_hl_2k_8k_db;
            d["class_name"] = std::string(p.class_name);
            d["broadening"] = p.broadening;
            d["spacing_cams"] = p.spacing_cams;
            d["smearing"] = p.smearing;
            return d;
        },
        pyb::arg("freqs_hz"), pyb::arg("hl_db"),
        "The MSBG degree-of-loss class of an audiogram (earshot/hearing/loss_degree.hpp): dict mean_hl_2k_8k_db, "
        "class_name (none, mild, moderate, severe), broadening, spacing_cams, smearing");
    m.def(
        "compare_renders",
        [](const FloatArray& reference, const FloatArray& candidate, double sample_rate_hz, std::size_t max_lag) {
            const auto ref = mono(reference, "compare_renders: reference");
            const auto cand = mono(candidate, "compare_renders: candidate");
            ReferenceComparison r;
            {
                pyb::gil_scoped_release release;
                r = compare_renders(ref, cand, sample_rate_hz, max_lag);
            }
            pyb::dict d;
            d["lag_samples"] = r.lag_samples;
            d["mean_abs_delta_db"] = r.mean_abs_delta_db;
            d["max_abs_delta_db"] = r.max_abs_delta_db;
            d["median_envelope_r"] = r.median_envelope_r;
            d["third_octave_hz"] = r.third_octave_hz;
            d["reference_db"] = r.reference_db;
            d["candidate_db"] = r.candidate_db;
            d["band_used"] = std::vector<bool>(r.band_used.begin(), r.band_used.end());
            d["octave_hz"] = r.octave_hz;
            d["envelope_r"] = r.envelope_r;
            d["envelope_lag_samples"] = r.envelope_lag_samples;
            return d;
        },
        pyb::arg("reference"), pyb::arg("candidate"), pyb::arg("sample_rate_hz"), pyb::arg("max_lag_samples") = 4000,
        "Compares a mono render with a reference render of the same input (earshot/analysis/reference_compare.hpp)");
}

}  // namespace earshot::py
