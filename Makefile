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

.PHONY: all deps configure build run test test-unit test-e2e format format-check bench clean

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

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

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
	rm -rf $(BUILD_DIR)
