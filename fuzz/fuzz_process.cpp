// Fuzz target: ListenerProcessor::process() under random parameters. From the bytes: a rate, a channel
// count, the two ears' audiograms (1-8 points at ascending standard frequencies, -10..120 dB HL), the
// calibration (60..140 dB SPL full scale), field, degree, smearing, ear routing, a NAL-R aid or an implant
// on either ear, then blocks of random length (1..max) holding samples that are ordinary (|x| <= 1), loud
// (up to 1e6), raw float bit patterns (huge, subnormal, NaN, Inf) or silence. The assertion: every output
// sample is finite, whatever the input (the model guards its state against huge and non-finite input).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include "earshot/core/error.hpp"
#include "earshot/listener/listener_processor.hpp"
#include "earshot/implant/implant_params.hpp"
#include "fuzz_support.hpp"

using namespace earshot;

namespace {

Audiogram audiogram(fuzz::Bytes& b) {
    static const double kFreqs[] = {125, 250, 500, 750, 1000, 1500, 2000, 3000, 4000, 6000, 8000, 12000};
    Audiogram a;
    const unsigned mask = (unsigned(b.u8()) << 8 | b.u8()) & 0xfff;
    for (unsigned i = 0; i < 12 && a.freqs_hz.size() < 8; ++i)
        if (mask & (1u << i)) {
            a.freqs_hz.push_back(kFreqs[i]);
            a.hl_db.push_back(b.in(-10.0, 120.0));
        }
    if (a.freqs_hz.empty()) a = {{1000}, {b.in(-10.0, 120.0)}};
    return a;
}

float sample(fuzz::Bytes& b) {
    switch (b.u8() & 7) {
        case 0: return 0.0f;
        case 1: return static_cast<float>(b.in(-1e6, 1e6));
        case 2: return b.raw_float();
        default: return static_cast<float>(b.in(-1.0, 1.0));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::Bytes b(data, size);
    static const double kRates[] = {16000, 22050, 32000, 44100, 48000, 96000};
    const double rate = kRates[b.u8() % 6];
    const std::size_t nch = 1 + b.u8() % 2;
    HearingLossConfig cfg;
    cfg.listener.name = "fuzz";
    cfg.listener.left.air = audiogram(b);
    cfg.listener.right.air = (b.u8() & 1) ? cfg.listener.left.air : audiogram(b);
    cfg.calibration.full_scale_db_spl = b.in(60.0, 140.0);
    const std::uint8_t opt = b.u8();
    cfg.options.field = static_cast<SoundField>(opt & 3);
    cfg.options.degree = (opt & 4) ? LossDegree::continuous : LossDegree::classes;
    cfg.options.smearing = (opt & 8) != 0;
    if (opt & 16) cfg.options.ear = (opt & 32) ? Ear::right : Ear::left;
    const std::uint8_t dev = b.u8();
    for (int e = 0; e < 2; ++e) {
        EarDevice& d = e == 0 ? cfg.listener.left_device : cfg.listener.right_device;
        const unsigned kind = (dev >> (2 * e)) & 3;
        if (kind == 1) d.hearing_aid = true;
        if (kind >= 2) {
            static const auto ci = std::make_shared<const ImplantParams>(implant_preset("nucleus-ace"));
            d.implant = ci;
            d.acoustic = kind == 3;
            if (d.acoustic && (dev & 0x80)) d.crossover_hz = 500.0;
        }
    }
    const std::size_t max_block = 1 + (std::size_t(b.u8()) << 2);  // 1..1021
    try {
        ListenerProcessor p(cfg);
        p.prepare({rate, max_block, nch});
        std::vector<float> in(nch * max_block), out(nch * max_block);
        std::vector<const float*> ip(nch);
        std::vector<float*> op(nch);
        for (std::size_t c = 0; c < nch; ++c) ip[c] = in.data() + c * max_block, op[c] = out.data() + c * max_block;
        for (int blk = 0; blk < 64 && b.left() > 0; ++blk) {
            const std::size_t n = 1 + b.u8() % max_block;
            for (std::size_t c = 0; c < nch; ++c)
                for (std::size_t i = 0; i < n; ++i) in[c * max_block + i] = sample(b);
            p.process(AudioView<const float>(ip.data(), nch, n), AudioView<float>(op.data(), nch, n));
            for (std::size_t c = 0; c < nch; ++c)
                for (std::size_t i = 0; i < n; ++i)
                    if (!std::isfinite(out[c * max_block + i])) {
                        std::fprintf(stderr, "fuzz_process: non-finite output %g at block %d ch %zu sample %zu\n",
                                     double(out[c * max_block + i]), blk, c, i);
                        std::abort();
                    }
        }
    } catch (const ConfigError&) {
        // a combination the model refuses (e.g. an audiogram the aid cannot fit) is a valid answer
    }
    return 0;
}
