# The two commands of the README. Everything else is CMake (see CMakePresets.json).
.PHONY: deps build demo test bench clean
deps:
	./scripts/install-deps.sh
build: deps
	cmake --preset default
	cmake --build --preset default
demo: build
	./scripts/demo.sh
test: build
	ctest --preset default
bench: build
	./build/bench/earshot_bench --benchmark_counters_tabular=true
clean:
	rm -rf build build-debug out
