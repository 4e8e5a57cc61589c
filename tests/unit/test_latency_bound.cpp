// listener_latency_bound() (listener/listener_processor.hpp, hearing_loss.hpp): the scene pads every state to it,
// so it must hold for every built model: >= latency_samples() of the prepared ListenerProcessor, with the same
// warnings, for every listener preset and implant preset, electric-acoustic and aided ears, at 16/44.1/48/96 kHz
// in both degree modes, stereo (both ears). (The bound's slack is only latency, not misalignment: each state is delayed from its own
// exact latency.)
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "earshot/listener/listener_processor.hpp"
#include "earshot/hearing/presets.hpp"
#include "earshot/implant/implant_params.hpp"

namespace earshot {
namespace {

constexpr double kRates[] = {16000.0, 44100.0, 48000.0, 96000.0};

void expect_bounded(const HearingLossConfig& cfg, const std::string& what) {
    for (double fs : kRates) {
        const ProcessSpec spec{fs, 512, 2};  // both ears
        const LatencyBound b = listener_latency_bound(cfg, spec);
        ListenerProcessor p(cfg);
        p.prepare(spec);
        EXPECT_GE(b.samples, p.latency_samples()) << what << " at " << fs << " Hz";
        EXPECT_EQ(b.warnings, p.warnings()) << what << " at " << fs << " Hz";
    }
}

HearingLossConfig config(const std::string& listener, LossDegree degree) {
    HearingLossConfig cfg;
    cfg.options.degree = degree;
    cfg.listener = make_preset(listener);
    return cfg;
}

TEST(LatencyBound, EveryListenerPresetBothDegreeModes) {
    for (const PresetInfo& p : list_presets())
        for (LossDegree d : {LossDegree::classes, LossDegree::continuous})
            expect_bounded(config(p.id, d), p.id + (d == LossDegree::classes ? " (classes)" : " (continuous)"));
}

TEST(LatencyBound, ContinuousSeverities) {
    // what scenes make of a keyframe's severity: every step its own model
    for (double sev : {0.13, 0.37, 0.61, 0.89, 1.0}) {
        HearingLossConfig cfg = config("bisgaard:N5", LossDegree::continuous);
        for (EarHearing* e : {&cfg.listener.left, &cfg.listener.right})
            for (double& v : e->air.hl_db) v *= sev;
        expect_bounded(cfg, "N5 x " + std::to_string(sev));
    }
}

TEST(LatencyBound, ImplantsElectricAcousticAndAidedEars) {
    for (const ImplantPresetInfo& ip : implant_presets()) {
        HearingLossConfig cfg = config("sudden-profound", LossDegree::classes);
        EarDevice dev;
        dev.implant = std::make_shared<const ImplantParams>(implant_preset(ip.id));
        dev.acoustic = false;
        cfg.listener.left_device = cfg.listener.right_device = dev;
        expect_bounded(cfg, std::string(ip.id));
    }
    for (LossDegree d : {LossDegree::classes, LossDegree::continuous}) {
        HearingLossConfig eas = config("bisgaard:N4", d);
        EarDevice dev;
        dev.implant = std::make_shared<const ImplantParams>(implant_preset("medel-cis"));
        dev.crossover_hz = 500.0;
        eas.listener.left_device = dev;  // bimodal: the right ear acoustic only
        expect_bounded(eas, "EAS N4 + medel-cis / N4");
        HearingLossConfig aided = config("bisgaard:N3", d);
        aided.listener.left_device.hearing_aid = aided.listener.right_device.hearing_aid = true;
        expect_bounded(aided, "N3 aided");
    }
}

}  // namespace
}  // namespace earshot
