#pragma once
// SHA-256 of a byte string, for tests that prove inputs were left unchanged: the library's own
// (earshot/core/sha256.hpp, FIPS 180-4, checked against the standard's test vectors in tests/unit/test_sha256.cpp).
#include <string>
#include <string_view>

#include "earshot/core/sha256.hpp"

namespace earshot::test {

inline std::string sha256_hex(std::string_view data) { return earshot::sha256_hex(data); }

}  // namespace earshot::test
