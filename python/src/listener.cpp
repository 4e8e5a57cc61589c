// earshot.Audiogram (one ear: air and optional bone thresholds) and earshot.Listener (two ears, from a preset, a
// file or audiograms), and earshot.presets(). The Python layer (earshot/__init__.py) turns (freqs, levels) pairs
// and {freq: level} dicts into Audiograms; validation is the library's (Audiogram::validate, Listener::validate).
#include <pybind11/stl.h>

#include <algorithm>

#include "convert.hpp"
#include "earshot/core/error.hpp"
#include "earshot/hearing/audiogram.hpp"
#include "earshot/hearing/listener.hpp"
#include "earshot/hearing/presets.hpp"
#include "earshot/io/listener_file.hpp"

namespace earshot::py {

namespace {

EarHearing make_ear(std::vector<double> freqs, std::vector<double> air, std::optional<std::vector<double>> bone) {
    EarHearing e;
    e.air.freqs_hz = freqs;
    e.air.hl_db = std::move(air);
    e.air.validate("Audiogram");
    if (bone) {
        e.bone.freqs_hz = std::move(freqs);
        e.bone.hl_db = std::move(*bone);
        e.bone.validate("Audiogram bone_db_hl");
    }
    return e;
}

pyb::dict ear_dict(const EarHearing& e) {
    pyb::dict d;
    d["frequencies_hz"] = e.air.freqs_hz;
    d["thresholds_db_hl"] = e.air.hl_db;
    if (!e.bone.empty()) d["bone_db_hl"] = e.bone.hl_db;
    else d["bone_db_hl"] = pyb::none();
    return d;
}

std::string ear_repr(const EarHearing& e) {
    std::string s = "Audiogram({";
    for (std::size_t i = 0; i < e.air.freqs_hz.size(); ++i)
        s += (i ? ", " : "") + pyb::repr(pyb::float_(e.air.freqs_hz[i])).cast<std::string>() + ": " +
             pyb::repr(pyb::float_(e.air.hl_db[i])).cast<std::string>();
    return s + (e.bone.empty() ? "})" : "}, bone)");
}

// An ear as given: an Audiogram, a (frequencies, levels) pair, or a {frequency: level} dict.
EarHearing ear_from(const pyb::handle& v, const char* which) {
    if (pyb::isinstance<EarHearing>(v)) return v.cast<EarHearing>();
    std::vector<double> f, l;
    if (pyb::isinstance<pyb::dict>(v)) {
        for (const auto& [k, x] : v.cast<pyb::dict>()) f.push_back(k.cast<double>()), l.push_back(x.cast<double>());
        std::vector<std::size_t> order(f.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return f[a] < f[b]; });
        std::vector<double> fs, ls;
        for (std::size_t i : order) fs.push_back(f[i]), ls.push_back(l[i]);
        return make_ear(fs, ls, std::nullopt);
    }
    if (pyb::isinstance<pyb::sequence>(v) && !pyb::isinstance<pyb::str>(v) && pyb::len(v) == 2) {
        const auto seq = v.cast<pyb::sequence>();
        return make_ear(seq[0].cast<std::vector<double>>(), seq[1].cast<std::vector<double>>(), std::nullopt);
    }
    throw ConfigError(std::string("Listener: ") + which + ": give an earshot.Audiogram, a (frequencies_hz, "
                      "thresholds_db_hl) pair or a {frequency_hz: threshold_db_hl} dict");
}

}  // namespace

void init_listener(pyb::module_& m) {
    pyb::class_<EarHearing>(m, "Audiogram", "One ear's hearing: air-conduction thresholds (dB HL) at ascending "
                                            "frequencies (125..16000 Hz), optional bone-conduction thresholds")
        .def(pyb::init(&make_ear), pyb::arg("frequencies_hz"), pyb::arg("thresholds_db_hl"),
             pyb::arg("bone_db_hl") = pyb::none())
        .def_property_readonly("frequencies_hz", [](const EarHearing& e) { return e.air.freqs_hz; })
        .def_property_readonly("thresholds_db_hl", [](const EarHearing& e) { return e.air.hl_db; })
        .def_property_readonly("bone_db_hl", [](const EarHearing& e) -> std::optional<std::vector<double>> {
            if (e.bone.empty()) return std::nullopt;
            return e.bone.hl_db;
        })
        .def("at", [](const EarHearing& e, double f) { return e.air.at(f); }, pyb::arg("frequency_hz"),
             "the air threshold at any frequency (linear in Hz between points, flat beyond: the model's rule)")
        .def("to_dict", &ear_dict)
        .def("__repr__", &ear_repr);

    pyb::class_<Listener>(m, "Listener", "A listener: the two ears' hearing (and devices, from presets and files)")
        .def(pyb::init([](const pyb::object& left, const pyb::object& right, const std::string& name) {
                 Listener l;
                 l.name = name;
                 l.left = ear_from(left, "left");
                 l.right = ear_from(right, "right");
                 l.validate("Listener");
                 return l;
             }),
             pyb::arg("left"), pyb::arg("right"), pyb::arg("name") = "")
        .def_static("preset", [](const std::string& id) { return make_preset(id); }, pyb::arg("id"),
                    "a preset (earshot.presets(): bisgaard:N2, iso7029:age=70,sex=female, ...)")
        .def_static("from_file", [](const pyb::object& path) {
                        const std::string p = pyb::str(pyb::module_::import("os").attr("fspath")(path));
                        return read_listener_file(p);
                    }, pyb::arg("path"), "a listener file (.toml/.json, Clarity JSON; \"listeners.json#L0001\")")
        .def_readonly("name", &Listener::name)
        .def_readonly("description", &Listener::description)
        .def_readonly("left", &Listener::left)
        .def_readonly("right", &Listener::right)
        .def_property_readonly("has_implant", &Listener::has_implant)
        .def("to_dict", [](const Listener& l) {
            pyb::dict d;
            d["name"] = l.name;
            d["left"] = ear_dict(l.left);
            d["right"] = ear_dict(l.right);
            return d;
        })
        .def("__repr__", [](const Listener& l) {
            return "Listener(" + (l.name.empty() ? std::string() : "'" + l.name + "', ") + "left=" + ear_repr(l.left) +
                   ", right=" + ear_repr(l.right) + ")";
        });

    m.def("presets", [] {
        std::vector<std::string> ids;
        for (const auto& p : list_presets()) ids.push_back(p.id);
        return ids;
    }, "the listener preset ids (parameterised families by a representative id)");
    m.def("preset_descriptions", [] {
        pyb::dict d;
        for (const auto& p : list_presets()) d[pyb::str(p.id)] = p.description;
        return d;
    });
}

}  // namespace earshot::py
