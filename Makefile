# certreg: `make run` builds and serves on the embedded default; `make test` runs every test.
# Both install the Debian packages the project needs first (scripts/install-deps.sh).

BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
# make bench: BENCH_DB=postgresql for a throwaway PostgreSQL, BENCH_PRELOAD for another number of
# certifications, BENCH_ARGS for any other bench/bench.py option (bench/README.md).
BENCH_DB ?= sqlite
BENCH_PRELOAD ?= 1000000
BENCH_ARGS ?=
# The clang-14 builds: one with ASan+UBSan and the fuzz targets (make test runs the fuzz targets
# briefly from it, make test-sanitize the unit and e2e tests), one with ThreadSanitizer.
SAN_DIR ?= build-asan
TSAN_DIR ?= build-tsan
# No microbenchmarks there: timings under sanitizers mean nothing.
CLANG_CMAKE = CC=clang-14 CXX=clang++-14 cmake -S . -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCERTREG_BENCH=OFF
# Every report fails: ASan and UBSan stop the process; TSan goes on, to report every race of a
# test, and fails it at exit.
SAN_ENV = ASAN_SYMBOLIZER_PATH=/usr/bin/llvm-symbolizer-14 \
  ASAN_OPTIONS=halt_on_error=1:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  TSAN_OPTIONS=halt_on_error=0:second_deadlock_stack=1
# make fuzz: seconds per target, one target at a time; new inputs go to fuzz/new-corpus/<target>/
# (git-ignored), crashes to fuzz/artifacts/<target>/.
FUZZ_SECONDS ?= 300
FUZZ_TARGETS ?= $(basename $(notdir $(wildcard fuzz/*.cpp)))

.PHONY: all deps configure build run test test-unit test-e2e format format-check bench clean \
	build-sanitize test-sanitize test-tsan fuzz

all: build

deps:
	@./scripts/install-deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS)

configure: deps $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	@mkdir -p data
	@echo "certreg demo: SQLite database in data/certreg.db, organisations from demo/provision.json"
	@echo "  IAF CertSearch  x-http-authorization: cb-bsi-key (CB), mncb-sgs-key (MNCB), ab-ukas-key (AB)"
	@echo "  Origin Connect  authorization: Bearer origin-acme-token"
	@echo "  Sertifika       Authorization: sm-advancity-token"
	@echo "  EDIN            login supplier1 / s3cret"
	@echo "  try: curl -H 'x-http-authorization: cb-bsi-key' http://127.0.0.1:8080/api/client/v1/cb/cert"
	$(BUILD_DIR)/certreg serve --provision demo/provision.json

test: build build-sanitize
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)
	cd $(SAN_DIR) && $(SAN_ENV) ctest --output-on-failure -j $(JOBS) -L fuzz

$(SAN_DIR)/build.ninja:
	$(CLANG_CMAKE) -B $(SAN_DIR) -DCERTREG_SANITIZE=ON -DCERTREG_FUZZ=ON $(CMAKE_FLAGS)

build-sanitize: deps $(SAN_DIR)/build.ninja
	cmake --build $(SAN_DIR) -j $(JOBS)

# Unit and e2e tests under ASan+UBSan; any report fails its test (the e2e harness reads the
# server's stderr). The PostgreSQL engine is covered by the store tests on PostgreSQL; the e2e
# suites' PostgreSQL runs would double the time for the same handlers (fuzz/README.md).
test-sanitize: build-sanitize
	cd $(SAN_DIR) && $(SAN_ENV) ctest --output-on-failure -j $(JOBS) -L 'unit|e2e' -E '^e2e_pg_'

$(TSAN_DIR)/build.ninja:
	$(CLANG_CMAKE) -B $(TSAN_DIR) -DCERTREG_TSAN=ON $(CMAKE_FLAGS)

# The store tests (on SQLite and PostgreSQL, and PooledDatabase's own), the auth caches and the
# server e2e suites under ThreadSanitizer.
test-tsan: deps $(TSAN_DIR)/build.ninja
	cmake --build $(TSAN_DIR) -j $(JOBS)
	cd $(TSAN_DIR) && $(SAN_ENV) ctest --output-on-failure -j $(JOBS) \
	  -R 'Store|PooledDatabase|AuthCache|IafFormerNames|^unit_store_postgresql$$|^e2e_test_server$$|^e2e_test_iaf_upload$$'

fuzz: build-sanitize
	@for t in $(FUZZ_TARGETS); do \
	  echo "== fuzz_$$t for $(FUZZ_SECONDS) s"; \
	  $(SAN_ENV) fuzz/run.sh $(SAN_DIR)/fuzz/fuzz_$$t $(FUZZ_SECONDS) fuzz/new-corpus/$$t \
	    fuzz/corpus/$$t fuzz/artifacts/$$t/ || exit 1; \
	done

test-unit: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -L unit

test-e2e: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -L e2e

bench: build
	CERTREG_BIN=$(BUILD_DIR)/certreg python3 bench/bench.py --db $(BENCH_DB) \
	  --preload $(BENCH_PRELOAD) $(BENCH_ARGS)

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

format-check:
	clang-format --dry-run --Werror $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD_DIR) $(SAN_DIR) $(TSAN_DIR)
