#pragma once
// fails_with<E>(f, {parts...}): f throws E whose message is one line containing every string of `parts`.
#include <gtest/gtest.h>

#include <exception>
#include <initializer_list>
#include <string>

namespace earshot::test {

template <class E, class F>
::testing::AssertionResult fails_with(F&& f, std::initializer_list<std::string> parts) {
    try {
        f();
    } catch (const E& e) {
        const std::string msg = e.what();
        if (msg.find('\n') != std::string::npos) return ::testing::AssertionFailure() << "multi-line: " << msg;
        for (const std::string& p : parts)
            if (msg.find(p) == std::string::npos)
                return ::testing::AssertionFailure() << "message '" << msg << "' lacks '" << p << "'";
        return ::testing::AssertionSuccess();
    } catch (const std::exception& e) {
        return ::testing::AssertionFailure() << "wrong exception type: " << e.what();
    }
    return ::testing::AssertionFailure() << "did not throw";
}

}  // namespace earshot::test
