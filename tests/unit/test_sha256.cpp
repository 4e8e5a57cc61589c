// SHA-256 (core/sha256.hpp) against the test vectors of NIST FIPS 180-2 appendix B and the NIST CAVP short
// message examples, streamed in pieces of every size.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "earshot/core/error.hpp"
#include "earshot/core/sha256.hpp"

namespace earshot {
namespace {

TEST(Sha256, FipsVectors) {
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(sha256_hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, StreamingInAnyPiecesGivesTheSameDigest) {
    std::string msg;
    for (int i = 0; i < 1000; ++i) msg.push_back(char(i * 7 + 3));
    const std::string whole = sha256_hex(msg);
    for (std::size_t piece : {1u, 3u, 55u, 56u, 63u, 64u, 65u, 127u, 999u}) {
        Sha256 h;
        for (std::size_t o = 0; o < msg.size(); o += piece) h.update(msg.substr(o, piece));
        EXPECT_EQ(h.hex(), whole) << piece;
    }
}

TEST(Sha256, FileDigestIsTheBytesDigestAndAMissingFileIsNamed) {
    const auto p = std::filesystem::temp_directory_path() / "earshot_sha256_test.bin";
    std::ofstream(p, std::ios::binary) << "abc";
    EXPECT_EQ(sha256_file(p), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    std::filesystem::remove(p);
    try {
        sha256_file(p);
        FAIL() << "no error";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("earshot_sha256_test.bin"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace earshot
