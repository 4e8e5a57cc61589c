// A scene's timeline figure as a front end draws it beside a render (plots/plot_timeline.hpp).
#include "earshot/plots/plot_timeline.hpp"

namespace earshot {

std::string timeline_title(const Scene& scene, const std::filesystem::path& out) {
    return scene.name.empty() ? out.stem().string() : scene.name;
}

std::unique_ptr<TempFile> stage_timeline(const Scene& scene, const std::vector<float>& outside,
                                         const std::vector<float>& inside, double sample_rate_hz,
                                         const std::filesystem::path& out) {
    TimelinePlotOptions po;
    po.title = timeline_title(scene, out);
    auto staged = std::make_unique<TempFile>(out);
    plot_timeline(scene, outside, inside, sample_rate_hz, staged->path(), po);
    return staged;
}

}  // namespace earshot
