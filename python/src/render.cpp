// earshot._earshot.render / render_file / render_keys: arrays and files through the library's one render loop
// (io/render.hpp render_buffer / render_file), the keywords through io/render_keywords.hpp. The GIL is released
// while the library renders.
#include <pybind11/stl.h>

#include <cmath>
#include <memory>

#include "convert.hpp"
#include "earshot/core/error.hpp"
#include "earshot/io/render.hpp"

namespace earshot::py {

namespace {

using FloatArray = pyb::array_t<float, pyb::array::c_style | pyb::array::forcecast>;

// A float32 or float64 array of 1 or 2 dimensions (frames, or frames x channels) as interleaved float32.
FloatArray float_frames(const pyb::array& a, const char* name) {
    const pyb::dtype dt = a.dtype();
    if (!(dt.is(pyb::dtype::of<float>()) || dt.is(pyb::dtype::of<double>())))
        throw ConfigError(std::string(name) + ": dtype " + dt.attr("name").cast<std::string>() +
                          "; float32 or float64 accepted (scale integer samples to [-1, 1) first)");
    if (a.ndim() != 1 && a.ndim() != 2)
        throw ConfigError(std::string(name) + ": " + std::to_string(a.ndim()) +
                          " dimensions; 1 (frames) or 2 (frames x channels) accepted");
    return FloatArray::ensure(a);
}

InterleavedAudio view_of(const FloatArray& a, double rate) {
    InterleavedAudio v;
    v.data = a.data();
    v.frames = std::size_t(a.shape(0));
    v.channels = a.ndim() == 2 ? std::size_t(a.shape(1)) : 1;
    v.sample_rate_hz = rate;
    return v;
}

pyb::dict report_dict(const RenderReport& r) {
    pyb::dict d;
    d["frames"] = r.frames;
    d["sample_rate_hz"] = r.sample_rate_hz;
    d["channels"] = r.num_channels;
    d["latency_samples"] = r.latency_samples;
    d["full_scale_db_spl"] = r.calibration.full_scale_db_spl;
    d["active_level_dbfs"] = r.active_level_dbfs ? pyb::object(pyb::float_(*r.active_level_dbfs)) : pyb::none();
    d["peak_dbfs"] = r.peak_dbfs;
    d["nan_count"] = r.nan_count;
    d["clamped_input_samples"] = r.clamped_input_samples;
    d["nonfinite_output_samples"] = r.nonfinite_output_samples;
    d["clipped_samples"] = r.clipped_samples;
    d["notes"] = r.notes;
    d["warnings"] = r.warnings;
    return d;
}

// (output frames x channels float32 array, report): the output is moved into the array (no copy).
pyb::tuple render(const pyb::array& x, double sample_rate_hz, const pyb::object& listener, const pyb::dict& kwargs) {
    pyb::object body_obj = kwargs.contains("body") ? pyb::object(kwargs["body"]) : pyb::none();
    const bool body_array = pyb::isinstance<pyb::array>(body_obj);
    RenderKeywords k = keywords_from(listener, kwargs, {"body"});
    if (!body_array) set_render_keyword(k, "body", keyword_value(body_obj));
    else k.body = "body";  // an array body: render_options checks it needs a scene
    if (!k.format.empty())
        throw ConfigError("--format: an array render returns float32 samples (the dtype of x); format is for render_file");
    const FloatArray in = float_frames(x, "x");
    FloatArray body;
    InterleavedAudio body_view;
    if (body_array) {
        body = float_frames(body_obj.cast<pyb::array>(), "body");
        body_view = view_of(body, sample_rate_hz);
    }
    const InterleavedAudio in_view = view_of(in, sample_rate_hz);
    auto out = std::make_unique<std::vector<float>>();
    RenderReport report;
    {
        pyb::gil_scoped_release unlocked;
        RenderOptions options = render_options(k);
        if (body_array) options.body.reset();
        report = render_buffer(in_view, *out, options, body_array ? &body_view : nullptr, "x", "body");
    }
    const std::size_t frames = in_view.frames, nch = report.num_channels;
    std::vector<float>* raw = out.release();
    pyb::capsule owner(raw, [](void* p) { delete static_cast<std::vector<float>*>(p); });
    pyb::array_t<float> y({frames, nch}, {nch * sizeof(float), sizeof(float)}, raw->data(), owner);
    return pyb::make_tuple(y, report_dict(report));
}

pyb::dict render_file_py(const pyb::object& in, const pyb::object& out, const pyb::object& listener,
                         const pyb::dict& kwargs) {
    const pyb::module_ os = pyb::module_::import("os");
    const std::string in_path = pyb::str(os.attr("fspath")(in)), out_path = pyb::str(os.attr("fspath")(out));
    RenderKeywords k = keywords_from(listener, kwargs);
    RenderReport report;
    {
        pyb::gil_scoped_release unlocked;
        report = render_file(in_path, out_path, render_options(k));
    }
    return report_dict(report);
}

}  // namespace

void init_render(pyb::module_& m) {
    m.def("render", &render, pyb::arg("x"), pyb::arg("sample_rate_hz"), pyb::arg("listener"), pyb::arg("keywords"),
          "render an array (frames or frames x channels); returns (frames x channels float32, report)");
    m.def("render_file", &render_file_py, pyb::arg("input"), pyb::arg("output"), pyb::arg("listener"),
          pyb::arg("keywords"), "render a file to a file as `earshot render` does; returns the report");
    m.def("render_keys", [] {
        pyb::list rows;
        for (const auto& key : render_keys()) {
            pyb::dict r;
            r["key"] = std::string(key.key);
            r["flag"] = keyword_flag(key.key);
            r["type"] = std::string(value_kind_names.to_name(key.kind));
            r["unit"] = std::string(key.unit);
            if (key.range) {
                r["min"] = key.range->min_value;
                r["max"] = key.range->max_value;
            }
            if (key.choices) r["choices"] = key.choices();
            r["help"] = std::string(key.help);
            rows.append(r);
        }
        return rows;
    }, "the render keywords (the table the CLI's flags come from)");
}

}  // namespace earshot::py
