# The two commands of the README (make deps / make test). Everything else is CMake (see CMakePresets.json).
#   make asan   the whole test suite built with clang under ASan + UBSan (build-asan/)
#   make fuzz   each libFuzzer target for FUZZ_SECONDS (default 60; FUZZ_SECONDS=600 for the long run)
#   make ci     what .ci/run does: test, asan, fuzz
.PHONY: deps build demo test asan fuzz ci bench clean
FUZZ_SECONDS ?= 60
deps:
	./scripts/install-deps.sh
build: deps
	cmake --preset default
	cmake --build --preset default
demo: deps  # only the earshot command (not the tests, benches or fuzzers)
	cmake --preset default
	cmake --build --preset default --target earshot_cli
	./scripts/demo.sh
test: build
	ctest --preset default
asan: deps
	cmake --preset asan
	cmake --build --preset asan -j2
	ctest --preset asan
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) ./scripts/fuzz.sh
ci:
	./.ci/run
bench: build
	./build/bench/earshot_bench --benchmark_counters_tabular=true
clean:
	rm -rf build build-debug build-asan out
