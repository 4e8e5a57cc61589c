#pragma once
// Spectral smearing (Baer & Moore 1993, 1994) as in the MSBG simulator, streaming and at any rate.
//
// Short-time spectra (frame N ~ 5.8 ms: N = 256 at 44.1 kHz, hop N/4, FFT 2N, periodic Hann window
// / sqrt(1.5) at analysis and synthesis, unity overlap-add) have their power spectrum P replaced by
// M P, phase kept. M = F_normal^+ F_wide "de-convolves the normal auditory filters and re-convolves
// broadened ones": roex(p) filters on the bin grid (p = 4 f / (ERB_N(f) r), r = r_lower below the
// centre, r_upper above; rows normalised by ERB (r_l + r_u)/2 / 24.7), F_normal extended beyond the
// top bin by its mirror image, minimum-norm least squares (what MSBG's lstsq returns), cut back to N
// bins. Entries below 1e-4 of a row's largest are dropped (rows are banded). With ear weighting the
// power is weighted by the ear filter |F|^2 first (the matrix becomes M diag(|F|^2)), so the stage
// outputs the smeared spectrum at the cochlea, as MSBG's smearing of its ear-filtered signal; the
// filterbank's recombination undoes |F| afterwards (auditory_filterbank.hpp). Negative smeared powers are clamped to 0 (MSBG takes a complex
// square root there). Overlap-adding magnitude-modified frames under their old phases loses some
// power; that loss, measured once per matrix on white noise, is compensated (0.1-0.7 dB).
//
// Not reproduced on purpose: MSBG's read-pointer slip (an extra 192-sample delay and duplicated
// segments in the first frames). Latency: N - 1 samples (255 at 44.1 kHz).
#include <complex>
#include <cstddef>
#include <memory>
#include <vector>

#include "earshot/core/audio_view.hpp"
#include "earshot/core/process_spec.hpp"
#include "earshot/core/processor.hpp"
#include "earshot/dsp/fft.hpp"

namespace earshot {

enum class SoundField;
class SmearerChannel;  // one channel (internal: src/hearing/smearer_channel.hpp)

struct SmearingDesign {
    double sample_rate_hz = 0;
    std::size_t frame = 256, hop = 64, fft_size = 512;
    std::vector<float> window;  ///< analysis = synthesis window, length frame
    // Sparse banded matrix over bins 0..frame-1, stored by blocks of 8 columns (the product is a sum
    // of column x power terms, which vectorises without a reduction): block b (columns 8b..8b+7)
    // covers rows [col_lo[b], col_lo[b] + col_len[b]); column 8b+g's values are at
    // col_data[col_off[b] + g col_len[b] ...]. Starts are multiples of 8, lengths whole vectors.
    std::vector<std::size_t> col_lo, col_len, col_off;
    std::vector<float> col_data;
    double power_compensation_db = 0;  ///< overlap-add power loss made good (see design_smearing)
};

/// The dense smearing matrix (frame x frame, row-major) before ear weighting and pruning, for tests.
std::vector<double> smearing_matrix(double sample_rate_hz, std::size_t frame, double r_lower, double r_upper);
/// Frame length used at a sample rate (~5.8 ms, hop = frame/4 with small prime factors).
std::size_t smearing_frame(double sample_rate_hz) noexcept;
/// ear_weighting = false gives Baer & Moore's operation alone (power-conserving), for tests and research;
/// true smears the ear-filtered spectrum (output at the cochlea).
SmearingDesign design_smearing(double sample_rate_hz, double r_lower, double r_upper, SoundField field,
                               bool ear_weighting = true);

/// design_smearing() keeps the dense matrices (and their power compensations) of the most recently used
/// (rate, r_l, r_u) in a process-wide cache of at most this many entries; older ones are dropped and rebuilt
/// (identically) when asked for again. Memory: at most 16 x frame^2 doubles (8 MiB at 44.1 kHz, 38 MiB at 96 kHz).
inline constexpr std::size_t kSmearingCacheEntries = 16;
/// Entries the cache holds now (for tests).
std::size_t smearing_cache_entries() noexcept;

/// Streaming smearing, every channel through the same design (block-processor contract,
/// earshot/core/processor.hpp). prepare() allocates; process() and reset() are real-time safe.
class Smearer {
public:
    explicit Smearer(std::shared_ptr<const SmearingDesign> design);  ///< the design fixes the sample rate
    Smearer(Smearer&&) noexcept;
    Smearer& operator=(Smearer&&) noexcept;
    ~Smearer();
    /// spec.sample_rate_hz must be the design's; any block size (the stage works sample by sample).
    void prepare(const ProcessSpec& spec);
    void reset() noexcept;
    /// in and out may alias.
    void process(AudioView<const float> in, AudioView<float> out) noexcept;
    std::size_t latency_samples() const noexcept { return design_->frame - 1; }

private:
    std::shared_ptr<const SmearingDesign> design_;
    std::vector<std::unique_ptr<SmearerChannel>> channels_;
};
static_assert(BlockProcessor<Smearer>);

}  // namespace earshot
