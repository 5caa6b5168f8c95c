# Tenpu: build the page, serve it, test everything.
#
#   make dist    dist/tenpu.html (one self-contained file) + dist/site/ (hosting); prints sizes
#   make serve   build, then serve dist/site on http://127.0.0.1:$(PORT)/
#   make test    cargo test (native), the wasm binding tests (wasm-bindgen-test under node),
#                and the browser tests (Playwright + Debian chromium, file:// and served;
#                puppeteer-core + Debian firefox-esr, file://)
#   make bench   benchmarks (not part of make test): one table, also in target/bench/results.md
#   make fuzz    every cargo-fuzz target for FUZZ_SECONDS (default 60) each; uses nightly when
#                rustup has one, else Rust 1.95 without a sanitizer (see fuzz/run.sh); not in make test
#
# Every target installs what it needs when it is missing, on Debian as root: the wasm target,
# wasm-pack and wasm-bindgen-cli (cargo install; wasm-bindgen-cli pinned to the wasm-bindgen
# version in Cargo.lock), npm packages from package-lock.json (playwright-core, puppeteer-core,
# binaryen for wasm-opt), chromium, firefox-esr, a Japanese font, xz and zopfli (apt). Rust 1.95
# itself must already be installed.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := dist
.DELETE_ON_ERROR:

CARGO_HOME ?= $(HOME)/.cargo
export PATH := $(CURDIR)/node_modules/.bin:$(CARGO_HOME)/bin:$(PATH)

# The exact wasm-bindgen version the crate links against; the CLI must be the same version.
WASM_BINDGEN_VERSION := $(shell awk '$$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
# Features rustc 1.95 enables by default for wasm32-unknown-unknown; wasm-opt must accept them.
WASM_FEATURES := --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
                 --enable-mutable-globals --enable-reference-types --enable-multivalue
PORT ?= 8000
FIXTURES := target/fixtures
CHROMIUM ?= /usr/bin/chromium
FIREFOX ?= /usr/bin/firefox-esr
APT_GET := DEBIAN_FRONTEND=noninteractive apt-get
RUST_SOURCES := $(shell find src -name '*.rs') Cargo.toml Cargo.lock
PAGE_SOURCES := www/index.html www/style.css www/app.js www/worker.js scripts/build-page.mjs

.PHONY: check-size all dist serve test test-native test-wasm test-browser fixtures bench clean \
        tools tools-rust tools-node tools-chromium tools-firefox tools-wasm-bindgen tools-wasm-pack \
        tools-xz tools-zopfli tools-venv tools-bench \
        fuzz fuzz-seed tools-fuzz

all: dist

# ---- tools ----------------------------------------------------------------------------------------
tools: tools-rust tools-node tools-chromium tools-firefox tools-wasm-bindgen tools-wasm-pack tools-xz tools-zopfli

tools-rust:
	@command -v cargo >/dev/null || { echo "error: cargo not found; install Rust 1.95 first" >&2; exit 1; }
	@if command -v rustup >/dev/null; then \
	  rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown; \
	fi

tools-node:
	@if ! command -v node >/dev/null || ! command -v npm >/dev/null; then $(APT_GET) update && $(APT_GET) install -y nodejs npm; fi
	@if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/puppeteer-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  npm ci --no-audit --no-fund; \
	fi

tools-chromium:
	@if [ ! -x $(CHROMIUM) ]; then $(APT_GET) update && $(APT_GET) install -y chromium; fi
	@# A Japanese font, so that screenshots of the Japanese page are readable.
	@if ! fc-list 2>/dev/null | grep -qiE 'ipa|noto sans cjk|takao|vl gothic'; then \
	  $(APT_GET) install -y fonts-ipafont-gothic || { $(APT_GET) update && $(APT_GET) install -y fonts-ipafont-gothic; } || true; \
	fi

# Firefox for the file:// test (tests/browser/firefox.test.mjs), driven by puppeteer-core over
# WebDriver BiDi; Debian's ESR build (puppeteer-core never downloads a browser).
tools-firefox:
	@if [ ! -x $(FIREFOX) ]; then $(APT_GET) install -y firefox-esr || { $(APT_GET) update && $(APT_GET) install -y firefox-esr; }; fi

tools-wasm-bindgen: tools-rust
	@test -n "$(WASM_BINDGEN_VERSION)" || { echo "error: no wasm-bindgen in Cargo.lock" >&2; exit 1; }
	@if [ "$$(wasm-bindgen --version 2>/dev/null | awk '{print $$2}')" != "$(WASM_BINDGEN_VERSION)" ] \
	   || ! command -v wasm-bindgen-test-runner >/dev/null; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION)"; \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force; \
	fi

tools-wasm-pack: tools-rust
	@command -v wasm-pack >/dev/null || cargo install wasm-pack

# ---- build ----------------------------------------------------------------------------------------
# wasm-pack builds the cdylib without the CLI feature and runs the pinned wasm-bindgen
# (--mode no-install: never download one); wasm-opt -Oz comes from the npm package binaryen.
www/pkg/tenpu_bg.wasm: $(RUST_SOURCES) | tools-wasm-bindgen tools-wasm-pack tools-node
	wasm-pack build --profile wasm --target no-modules --mode no-install --no-typescript --no-pack --no-opt \
	  --out-dir www/pkg --out-name tenpu . --no-default-features
	wasm-opt -Oz $(WASM_FEATURES) www/pkg/tenpu_bg.wasm -o www/pkg/tenpu_bg.wasm.opt
	mv www/pkg/tenpu_bg.wasm.opt www/pkg/tenpu_bg.wasm

# xz packs the embedded wasm (LZMA, ~17% smaller than gzip); zopfli is the fallback's gzip.
tools-xz:
	@command -v xz >/dev/null || { $(APT_GET) install -y xz-utils || { $(APT_GET) update && $(APT_GET) install -y xz-utils; } || echo "note: xz unavailable, packing the wasm with gzip (larger page)"; }

tools-zopfli:
	@command -v zopfli >/dev/null || { $(APT_GET) install -y zopfli || { $(APT_GET) update && $(APT_GET) install -y zopfli; } || echo "note: zopfli unavailable, packing the wasm with zlib"; }

dist: www/pkg/tenpu_bg.wasm $(PAGE_SOURCES) | tools-node tools-xz tools-zopfli
	node scripts/build-page.mjs --pkg www/pkg --out dist

serve: dist
	@echo "serving dist/site on http://127.0.0.1:$(PORT)/  (single file: http://127.0.0.1:$(PORT)/tenpu.html)"
	cd dist/site && python3 -m http.server --bind 127.0.0.1 $(PORT)

# ---- tests ----------------------------------------------------------------------------------------
test: test-native test-wasm test-browser

test-native: tools-rust lint
	cargo test

# No panics in parsing code (issue 5): the parsers and the engine deny clippy's unwrap/expect/
# panic/indexing/arithmetic/truncating-cast lints (inner attributes at the top of
# src/formats/mod.rs, src/{bytes,text,detect,engine}.rs). This runs them, every other warning
# an error too, natively and for the page's wasm32 (32-bit usize: u64 casts only fail there).
.PHONY: lint
lint: tools-rust
	@cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
	cargo clippy --lib --no-default-features -- -D warnings
	cargo clippy --lib --no-default-features --target wasm32-unknown-unknown -- -D warnings

# The binding layer under node: wasm-bindgen-test-runner from the pinned wasm-bindgen-cli.
# The tests sit in src/wasm.rs (#[cfg(test)]; the binding module is private and its exports
# cannot be linked twice into an integration-test binary) and assert the same goldens
# (tests/binding/) as the native tests/wasm_binding.rs. Only #[wasm_bindgen_test]s run here.
test-wasm: tools-wasm-bindgen tools-node
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	  cargo test --target wasm32-unknown-unknown --no-default-features --lib

# Browser fixtures come from examples/fixtures.rs. When it exists its files are required (a
# missing one fails the browser tests); without it those tests skip and say so.
fixtures: tools-rust
	@if [ -f examples/fixtures.rs ]; then \
	  cargo run --example fixtures -- $(FIXTURES); \
	else \
	  echo "note: examples/fixtures.rs absent; browser tests needing its fixtures will skip"; mkdir -p $(FIXTURES); \
	fi

# Issue 3's budget for the single-file page: 400 KiB gzipped. make test fails when it is over.
SIZE_BUDGET := 409600
check-size: dist
	@n=$$(gzip -9 -c dist/tenpu.html | wc -c); \
	  echo "dist/tenpu.html: $$n B gzipped (budget $(SIZE_BUDGET) B)"; \
	  test $$n -le $(SIZE_BUDGET) || { echo "error: dist/tenpu.html is over its size budget" >&2; exit 1; }

test-browser: dist fixtures check-size | tools-chromium tools-firefox tools-node
	TENPU_FIXTURES="$(CURDIR)/$(FIXTURES)" \
	TENPU_FIXTURES_REQUIRED="$$([ -f examples/fixtures.rs ] && echo 1 || echo 0)" \
	TENPU_CHROMIUM="$(CHROMIUM)" \
	TENPU_FIREFOX="$(FIREFOX)" TENPU_FIREFOX_REQUIRED=1 \
	  node --test --test-concurrency=1 tests/browser/

# ---- benchmarks (issue 6; not part of make test) ----------------------------------------------------
# One run, one table: throughput against olevba (oletools from PyPI, in .tools/venv), scaling from
# 100 KB to 600 MB (inputs written by examples/bench_inputs.rs into target/bench/inputs, about
# 1.5 GB, kept between runs), the page in Chromium, wasm against native, password trials, weight.
# Prints the table and writes target/bench/results.{md,json}. BENCH_ROUNDS=N (default 3);
# BENCH_MAX_SIZE=BYTES leaves out the larger scaling inputs (e.g. 10000000 for a quick run).
OLETOOLS_VERSION ?= 0.60.2
BENCH_TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)

tools-venv:
	@if [ ! -x .tools/venv/bin/olevba ]; then \
	  command -v python3 >/dev/null || { $(APT_GET) update && $(APT_GET) install -y python3 python3-venv; }; \
	  python3 -m venv .tools/venv || { $(APT_GET) update && $(APT_GET) install -y python3-venv && python3 -m venv .tools/venv; }; \
	  .tools/venv/bin/pip install --quiet "oletools==$(OLETOOLS_VERSION)"; \
	fi

tools-bench: tools-venv tools-node tools-chromium
	@[ -x /usr/bin/time ] || $(APT_GET) install -y time || { $(APT_GET) update && $(APT_GET) install -y time; }
	@command -v twiggy >/dev/null || cargo install twiggy

bench: dist | tools-bench
	cargo build --release --bin tenpu --example bench_time --example bench_inputs
	$(BENCH_TARGET_DIR)/release/examples/bench_inputs target/bench/inputs $(if $(BENCH_MAX_SIZE),--max-size $(BENCH_MAX_SIZE))
	CARGO_TARGET_DIR="$(BENCH_TARGET_DIR)" TENPU_CHROMIUM="$(CHROMIUM)" node scripts/bench/run.mjs

# ---- fuzzing (issue 5) ----------------------------------------------------------------------------
# cargo-fuzz targets in fuzz/ (own workspace), seeded from the fixtures and ../shared/corpus.
# Found inputs land in fuzz/artifacts/<target>/; fixed ones go to tests/regressions/<target>/,
# which the normal cargo test replays (tests/regressions.rs).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= check mime msg zip vba_decompress biff lnk iso onenote rtf pdf ole

tools-fuzz: tools-rust
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz

fuzz-seed: tools-fuzz
	fuzz/seed.sh

fuzz: tools-fuzz
	@[ -d fuzz/corpus/check ] || fuzz/seed.sh
	FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run.sh $(FUZZ_TARGETS)

clean:
	rm -rf dist www/pkg tests/browser/artifacts
