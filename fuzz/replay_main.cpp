// main() of a fuzz target built without libFuzzer (the normal build): runs every file named on the command
// line (or every file in a named directory) through LLVMFuzzerTestOneInput once. ctest uses it to replay
// fuzz/regressions/<target>/ (inputs that once crashed) and fuzz/corpus/<target>/ (the seeds).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
    namespace fs = std::filesystem;
    std::size_t runs = 0;
    auto run_file = [&](const fs::path& p) {
        std::ifstream in(p, std::ios::binary);
        if (!in) {
            std::fprintf(stderr, "%s: cannot open\n", p.c_str());
            std::exit(1);
        }
        std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::fprintf(stderr, "replay %s (%zu bytes)\n", p.c_str(), bytes.size());
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
        ++runs;
    };
    for (int i = 1; i < argc; ++i) {
        const fs::path arg = argv[i];
        if (fs::is_directory(arg)) {
            std::vector<fs::path> files;
            for (const auto& e : fs::directory_iterator(arg))
                if (e.is_regular_file() && e.path().filename() != "README.md") files.push_back(e.path());
            std::sort(files.begin(), files.end());
            for (const auto& f : files) run_file(f);
        } else {
            run_file(arg);
        }
    }
    std::fprintf(stderr, "%zu inputs replayed without a crash\n", runs);
    return 0;
}
