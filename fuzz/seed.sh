#!/usr/bin/env bash
# Fill fuzz/corpus/<target>/ (gitignored) with seeds: the built fixtures (examples/fixtures.rs,
# every golden case) and ../shared/corpus when present, sorted by type by fuzz/seed.rs.
# Also adds tests/regressions/<target>/ (the fuzz-found inputs) to each target's corpus.
# Called by `make fuzz-seed`; running it again adds only new files.
set -eu -o pipefail
cd "$(dirname "$0")/.."

FIXTURES=${FIXTURES:-target/fixtures}
CORPUS=${TENPU_CORPUS:-../shared/corpus}
if [ -z "${FUZZ_TOOLCHAIN+x}" ]; then
  if command -v rustup >/dev/null && rustup toolchain list | grep -q '^nightly'; then
    FUZZ_TOOLCHAIN=+nightly
  else
    FUZZ_TOOLCHAIN=
  fi
fi

if [ -f examples/fixtures.rs ]; then
  cargo run --quiet --example fixtures -- "$FIXTURES" >/dev/null
fi
[ -d "$CORPUS" ] || echo "seed: $CORPUS absent; seeding from the fixtures only"
cargo $FUZZ_TOOLCHAIN run --quiet --target-dir fuzz/target --manifest-path fuzz/Cargo.toml --example seed -- \
  fuzz/corpus "$FIXTURES" "$CORPUS"
for d in tests/regressions/*/; do
  [ -d "$d" ] || continue
  t=$(basename "$d")
  mkdir -p "fuzz/corpus/$t"
  cp -n "$d"* "fuzz/corpus/$t/" 2>/dev/null || true
done
