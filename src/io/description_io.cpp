#include "earshot/io/description_io.hpp"

#include <memory>

#include "earshot/core/error.hpp"
#include "earshot/implant/implant_params.hpp"
#include "earshot/io/implant_file.hpp"
#include "earshot/io/listener_file.hpp"
#include "earshot/io/scene_file.hpp"

namespace earshot {

void resolve_names(Description& d, std::string_view listener, std::string_view implant, std::string_view scene) {
    if (!scene.empty()) {
        if (!listener.empty() || !implant.empty())
            throw ConfigError("--scene: the scene names its listeners; do not combine it with --listener or --implant");
        d.scene = std::make_shared<const Scene>(read_scene_file(std::string(scene)));
    }
    if (!d.scene && listener.empty() && implant.empty() && !d.listener && !d.implant)
        throw ConfigError("render: give --listener (a preset or listener file) and/or --implant (a preset or implant file)");
    if (!listener.empty()) d.listener = resolve_listener(listener);
    if (!implant.empty()) {
        if (!d.implant) d.implant.emplace();
        d.implant->params = std::make_shared<const ImplantParams>(load_implant(implant));
    }
}

}  // namespace earshot
