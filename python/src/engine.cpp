// earshot.Engine: the library's Engine (engine/engine.hpp) for streaming use from Python (notebooks, custom
// loops): blocks in, blocks out, the latency not compensated (a stream cannot look ahead: the output lags the
// input by latency_samples). The same keywords as earshot.render (io/render_keywords.hpp); with level_db_spl the
// input's level must be given (input_level_dbfs: a stream is not measured ahead). With limit_dbfs the output
// goes through the same Limiter as render_file's output stage (and its latency is added). The engine's latency is
// fixed for its life (EngineOptions::latency_samples; 0: the first description's): set() refuses a description
// whose model needs more, so give latency_samples= when the descriptions to come are slower.
#include <pybind11/stl.h>

#include <cmath>
#include <optional>

#include "convert.hpp"
#include "earshot/core/error.hpp"
#include "earshot/dsp/input_guard.hpp"
#include "earshot/dsp/limiter.hpp"
#include "earshot/engine/engine.hpp"

namespace earshot::py {

namespace {

class PyEngine {
public:
    PyEngine(double rate, std::size_t channels, std::size_t max_block, const pyb::object& listener, pyb::dict kwargs,
             std::size_t latency_samples)
        : channels_(channels), max_block_(max_block) {
        if (channels < 1 || channels > 2) throw ConfigError("channels: " + std::to_string(channels) + "; 1 or 2 accepted");
        if (max_block < 1 || max_block > 65536)
            throw ConfigError("max_block: " + std::to_string(max_block) + " is out of range [1, 65536] frames");
        listener_ = listener;
        kwargs_ = kwargs.attr("copy")();
        const Description d = description();
        EngineOptions eo;
        eo.latency_samples = latency_samples;  // 0: the first model's; set() refuses models with more
        engine_ = std::make_unique<Engine>(d, eo);
        engine_->prepare({rate, max_block, channels});
        if (d.limit_dbfs) {
            limit_dbfs_ = *d.limit_dbfs;
            limiter_.emplace(LimiterConfig{*d.limit_dbfs});
            limiter_->prepare({rate, max_block, channels});
        }
        buf_.assign(channels * max_block, 0.0f);
        for (std::size_t c = 0; c < channels; ++c) ptrs_.push_back(buf_.data() + c * max_block);
    }

    pyb::array process(const pyb::array& block) {
        const bool is_double = block.dtype().is(pyb::dtype::of<double>());
        if (!(block.dtype().is(pyb::dtype::of<float>()) || is_double))
            throw ConfigError("block: dtype " + block.dtype().attr("name").cast<std::string>() + "; float32 or float64 accepted");
        const auto a = pyb::array_t<float, pyb::array::c_style | pyb::array::forcecast>::ensure(block);
        const std::size_t nc = a.ndim() == 2 ? std::size_t(a.shape(1)) : 1;
        if (a.ndim() < 1 || a.ndim() > 2 || nc != channels_)
            throw ConfigError("block: shape must be (frames,) or (frames, " + std::to_string(channels_) + ")" +
                              (channels_ == 1 ? "" : " (the engine's channels)"));
        const std::size_t n = std::size_t(a.shape(0));
        if (n > max_block_)
            throw ConfigError("block: " + std::to_string(n) + " frames; at most max_block = " + std::to_string(max_block_));
        pyb::array_t<float> out(a.ndim() == 2 ? std::vector<pyb::ssize_t>{pyb::ssize_t(n), pyb::ssize_t(nc)}
                                              : std::vector<pyb::ssize_t>{pyb::ssize_t(n)});
        const float* x = a.data();
        float* y = out.mutable_data();
        {
            pyb::gil_scoped_release unlocked;
            for (std::size_t c = 0; c < nc; ++c)
                for (std::size_t i = 0; i < n; ++i) ptrs_[c][i] = x[i * nc + c];
            AudioView<float> v(ptrs_.data(), nc, n);
            clamped_ += input_guard_count(AudioView<const float>(ptrs_.data(), nc, n));
            engine_->maintain();
            engine_->process(AudioView<const float>(ptrs_.data(), nc, n), v);
            for (std::size_t c = 0; c < nc; ++c)
                for (std::size_t i = 0; i < n; ++i)
                    if (!std::isfinite(ptrs_[c][i])) ptrs_[c][i] = 0.0f;
            if (limiter_) limiter_->process(AudioView<const float>(ptrs_.data(), nc, n), v);
            for (std::size_t c = 0; c < nc; ++c)
                for (std::size_t i = 0; i < n; ++i) y[i * nc + c] = ptrs_[c][i];
        }
        if (is_double) return out.attr("astype")("float64");
        return out;
    }

    void set(pyb::dict changes) {
        pyb::dict merged = kwargs_.attr("copy")();  // a new dict: a refused change leaves the keywords as they were
        pyb::object listener = listener_;
        for (const auto& [k, v] : changes) {
            if (pyb::str(k).cast<std::string>() == "listener") listener = pyb::reinterpret_borrow<pyb::object>(v);
            else merged[k] = v;
        }
        const Description d = description(listener, merged);
        if (d.limit_dbfs.has_value() != limiter_.has_value() || (d.limit_dbfs && *d.limit_dbfs != limit_dbfs_))
            throw ConfigError("--limit-dbfs: the Engine's limiter is fixed when it is made (its latency is part of the "
                              "stream's); make a new Engine to change it");
        engine_->set(d);  // validated now (ValueError, nothing changes); the model is built by the next maintain()
        listener_ = listener;
        kwargs_ = merged;
    }

    void set_controls(double output_gain_db, double pov, double body_gain_db, std::optional<double> implant_intensity) {
        Controls c;
        c.output_gain_db = output_gain_db;
        c.pov = pov;
        c.body_gain_db = body_gain_db;
        c.implant_intensity = implant_intensity;
        engine_->set_controls(c);
    }

    void reset() {
        engine_->reset();
        if (limiter_) limiter_->reset();
    }
    std::size_t latency() const { return engine_->latency_samples() + (limiter_ ? limiter_->latency_samples() : 0); }
    bool settled() const { return engine_->settled(); }
    std::vector<std::string> warnings() const { return engine_->warnings(); }
    pyb::dict keywords() const { return kwargs_.attr("copy")(); }
    std::uint64_t clamped() const { return clamped_; }

private:
    Description description() const { return description(listener_, kwargs_); }
    Description description(const pyb::object& listener, const pyb::dict& kwargs) const {
        pyb::dict kw;
        std::optional<double> level;
        for (const auto& [k, v] : kwargs) {
            if (pyb::str(k).cast<std::string>() == "input_level_dbfs") {
                if (!v.is_none()) level = v.cast<double>();
            } else {
                kw[k] = v;
            }
        }
        const RenderKeywords k = keywords_from(listener, kw);
        if (!k.body.empty()) throw ConfigError("--body: the Engine takes no body file (a stream has no file to read)");
        Description d = render_options(k).description;
        if (d.calibration.present_at_db_spl) {
            if (!level)
                throw ConfigError("--level-db-spl: a stream is not measured ahead; give input_level_dbfs (the input's "
                                  "level, dBFS) or use full_scale_db_spl");
            if (!std::isfinite(*level)) throw ConfigError("input_level_dbfs: not a finite number");
            d.calibration.measured_level_dbfs = *level;
        } else if (level) {
            throw ConfigError("input_level_dbfs: needs level_db_spl");
        }
        return d;
    }

    std::size_t channels_, max_block_;
    pyb::object listener_;
    pyb::dict kwargs_;
    std::unique_ptr<Engine> engine_;
    std::optional<Limiter> limiter_;
    double limit_dbfs_ = 0;
    std::vector<float> buf_;
    std::vector<float*> ptrs_;
    std::uint64_t clamped_ = 0;
};

}  // namespace

void init_engine(pyb::module_& m) {
    pyb::class_<PyEngine>(m, "Engine", "The streaming engine: blocks in, blocks out (latency_samples behind)")
        .def(pyb::init<double, std::size_t, std::size_t, const pyb::object&, pyb::dict, std::size_t>(),
             pyb::arg("sample_rate_hz"), pyb::arg("channels"), pyb::arg("max_block"), pyb::arg("listener"),
             pyb::arg("keywords"), pyb::arg("latency_samples") = 0)
        .def("process", &PyEngine::process, pyb::arg("block"))
        .def("set", &PyEngine::set, pyb::arg("changes"))
        .def("set_controls", &PyEngine::set_controls, pyb::arg("output_gain_db") = 0.0, pyb::arg("pov") = 1.0,
             pyb::arg("body_gain_db") = 0.0, pyb::arg("implant_intensity") = pyb::none())
        .def("reset", &PyEngine::reset)
        .def_property_readonly("latency_samples", &PyEngine::latency)
        .def_property_readonly("settled", &PyEngine::settled)
        .def_property_readonly("warnings", &PyEngine::warnings)
        .def_property_readonly("keywords", &PyEngine::keywords)
        .def_property_readonly("clamped_input_samples", &PyEngine::clamped,
                               "input samples beyond +-1e4 (+80 dBFS), clamped at the model's input, so far");
}

}  // namespace earshot::py
