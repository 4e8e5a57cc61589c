#include "earshot/hearing/msbg_calibration.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "earshot/core/db.hpp"
#include "earshot/core/error.hpp"
#include "earshot/core/param.hpp"
#include "earshot/hearing/active_level.hpp"

namespace earshot {

MsbgCalibration msbg_calibration(AudioView<const float> x, double sample_rate_hz, double rms_one_db_spl) {
    if (x.num_channels() == 0) throw ConfigError("msbg_calibration: the signal has no channels");
    if (!std::isfinite(rms_one_db_spl))
        throw ConfigError(fmt::format("equiv_0db_spl + ahr: {} is not a finite level in dB SPL", rms_one_db_spl));
    double sum_sq = 0;
    for (std::size_t c = 0; c < x.num_channels(); ++c)
        for (const float v : x[c]) sum_sq += double(v) * double(v);
    const double count = double(x.num_channels()) * double(x.num_frames());
    MsbgCalibration cal;
    cal.overall_dbfs = count > 0 ? mean_square_to_dbfs(sum_sq / count) : -std::numeric_limits<double>::infinity();
    // MSBG gates channel 0 only.
    ActiveLevelMeter meter(sample_rate_hz);
    const float* ch0 = x.channel(0);
    meter.add(AudioView<const float>(&ch0, 1, x.num_frames()));
    cal.active_dbfs = meter.active_level_dbfs();
    cal.relevel_db = std::isfinite(cal.overall_dbfs) && std::isfinite(cal.active_dbfs)
                         ? cal.overall_dbfs - cal.active_dbfs : 0.0;
    cal.presentation_db_spl = rms_one_db_spl - kSineRmsDb + cal.overall_dbfs;
    cal.full_scale_db_spl = rms_one_db_spl - kSineRmsDb + cal.relevel_db;
    const ParamSpec& fs = params::full_scale_db_spl;
    if (!(cal.full_scale_db_spl >= fs.min_value && cal.full_scale_db_spl <= fs.max_value))
        throw ConfigError(fmt::format(
            "equiv_0db_spl + ahr: {:.2f} dB SPL for an RMS of 1.0 gives this signal (re-levelled by {:.2f} dB) a "
            "full-scale level of {:.2f} dB SPL; accepted [{:.0f}, {:.0f}] {}, i.e. equiv_0db_spl + ahr in "
            "[{:.2f}, {:.2f}] dB SPL here",
            rms_one_db_spl, cal.relevel_db, cal.full_scale_db_spl, fs.min_value, fs.max_value, fs.unit,
            fs.min_value + kSineRmsDb - cal.relevel_db, fs.max_value + kSineRmsDb - cal.relevel_db));
    return cal;
}

}  // namespace earshot
