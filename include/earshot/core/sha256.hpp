#pragma once
// SHA-256 (NIST FIPS 180-4), streaming: the provenance hash of a render's input and output files in a
// batch sidecar (io/sidecar.hpp) and the key a resumed batch compares. Digest as 64 lower-case hex digits.
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace earshot {

class Sha256 {
public:
    Sha256() noexcept;
    void update(const void* data, std::size_t size) noexcept;
    void update(std::string_view s) noexcept { update(s.data(), s.size()); }
    /// The digest of everything updated so far (the object is then spent: call reset() to reuse it).
    std::array<std::uint8_t, 32> digest() noexcept;
    std::string hex();
    void reset() noexcept;

private:
    void block(const std::uint8_t* p) noexcept;
    std::uint32_t h_[8];
    std::uint8_t buf_[64];
    std::size_t used_ = 0;
    std::uint64_t bytes_ = 0;
};

std::string sha256_hex(std::string_view data);
/// The hex digest of a file's bytes; throws IoError naming the file when it cannot be read.
std::string sha256_file(const std::filesystem::path& path);

}  // namespace earshot
