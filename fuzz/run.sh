#!/usr/bin/env bash
# Fuzz the Rust core for MINUTES minutes (default 10) on the stable toolchain; see README.md.
#
#   bash fuzz/run.sh MINUTES
#
# Builds fuzz_targets/schema1.rs against libFuzzer (the libfuzzer-sys crate) with the
# SanitizerCoverage flags that `cargo fuzz build --sanitizer none` passes, set here by hand so
# that no nightly and no extra cargo tool is needed. Seeds fuzz/corpus/schema1/ from the shared
# test vectors and examples/, runs libFuzzer in fork mode with one job per core, prints the
# executions, coverage and speed, and exits 1 when an input crashed, hung or ran out of memory
# (the input is then in fuzz/artifacts/schema1/).
set -euo pipefail

minutes="${1:-10}"
[[ "$minutes" =~ ^[0-9]+$ ]] && ((minutes > 0)) || {
  echo "usage: bash fuzz/run.sh MINUTES" >&2
  exit 2
}

fuzz="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$fuzz")"
target=schema1
corpus="$fuzz/corpus/$target"
artifacts="$fuzz/artifacts/$target"
export CARGO_TARGET_DIR="$fuzz/target"
cd "$fuzz"

# -- what the build needs: cargo (the machine's stable toolchain) and a C++ compiler for
# libFuzzer itself; openssl only makes key seeds and is optional.
missing=()
command -v c++ >/dev/null || missing+=(g++)
command -v openssl >/dev/null || missing+=(openssl)
if ((${#missing[@]})); then
  echo "== apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# -- build. These are cargo-fuzz 0.13's flags for `--sanitizer none` (all stable: -C passes and
# -C llvm-args take any LLVM pass/option). Debug assertions imply overflow checks. An explicit
# --target keeps RUSTFLAGS off build scripts. No AddressSanitizer: it needs nightly's
# -Zsanitizer, and the core forbids unsafe code, so what it would add is small.
triple="$(rustc -vV | sed -n 's/^host: //p')"
unset CARGO_ENCODED_RUSTFLAGS # it would take precedence over RUSTFLAGS
export RUSTFLAGS="-Cpasses=sancov-module \
  -Cllvm-args=-sanitizer-coverage-level=4 \
  -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
  -Cllvm-args=-sanitizer-coverage-pc-table \
  -Cllvm-args=-sanitizer-coverage-trace-compares \
  -Cllvm-args=-sanitizer-coverage-stack-depth \
  -Cllvm-args=-simplifycfg-branch-fold-threshold=0 \
  --cfg fuzzing -Cdebug-assertions -Coverflow-checks -Ccodegen-units=1"
echo "== build ($(rustc --version))"
start=$SECONDS
cargo build --release --target "$triple" --bin "$target"
echo "build: $((SECONDS - start)) s"
binary="$CARGO_TARGET_DIR/$triple/release/$target"

# -- seed corpus (git-ignored; files named by content hash, so reseeding adds no duplicates)
mkdir -p "$corpus" "$artifacts"
seed() { cp "$1" "$corpus/$(sha1sum <"$1" | cut -c1-40)"; }
seeds=0
shopt -s nullglob globstar
for f in "$repo"/../shared/vectors/**/*.json "$repo"/examples/*.json "$repo"/examples/invalid/*.json; do
  seed "$f"
  seeds=$((seeds + 1))
done
[[ -d "$repo/../shared/vectors" ]] || echo "warning: $repo/../shared/vectors not found, seeding from examples/ only" >&2
# Private keys for SigningKey::from_bytes, in the forms it reads (made once; random).
if command -v openssl >/dev/null && [[ ! -e "$corpus/key-rsa2048-pkcs1.pem" ]]; then
  openssl genrsa -traditional -out "$corpus/key-rsa2048-pkcs1.pem" 2048 2>/dev/null ||
    openssl genrsa -out "$corpus/key-rsa2048-pkcs1.pem" 2048 2>/dev/null
  for curve in prime256v1 secp384r1 secp521r1; do
    openssl ecparam -name "$curve" -genkey -out "$corpus/key-$curve-sec1.pem" 2>/dev/null
    openssl pkcs8 -topk8 -nocrypt -in "$corpus/key-$curve-sec1.pem" -out "$corpus/key-$curve-pkcs8.pem"
    openssl pkcs8 -topk8 -nocrypt -in "$corpus/key-$curve-sec1.pem" -outform DER -out "$corpus/key-$curve-pkcs8.der"
  done
fi
echo "seeds: $seeds files copied; corpus: $(find "$corpus" -type f | wc -l) files"

# -- fuzz: fork mode, one job per core; stop at the first crash, hang (-timeout seconds on one
# input) or out-of-memory, which fork mode would otherwise skip.
jobs="$(nproc)"
stamp="$(mktemp)"
log="$CARGO_TARGET_DIR/$target-fuzz.log"
echo "== fuzz $target for $minutes min with $jobs jobs (log: $log)"
set +e
"$binary" "$corpus" \
  -fork="$jobs" -ignore_crashes=0 -ignore_timeouts=0 -ignore_ooms=0 \
  -max_total_time=$((minutes * 60)) -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
  -dict="$fuzz/schema1.dict" -artifact_prefix="$artifacts/" -print_final_stats=1 \
  2>&1 | tee "$log" | grep --line-buffered -E '^#[0-9]+: |^INFO: (fuzzed|exiting)|ERROR|panicked|Test unit written'
status=${PIPESTATUS[0]}
set -e

# The fork-mode status lines read `#<executions>: cov: <edges> ft: <features> corp: ... exec/s:
# <n> ... time: <s>s`; the last one holds the totals.
last="$(grep -E '^#[0-9]+: ' "$log" | tail -n 1 || true)"
execs="$(sed -E 's/^#([0-9]+):.*/\1/' <<<"$last")"
secs="$(sed -nE 's/.* time: ([0-9]+)s.*/\1/p' <<<"$last")"
echo "== result"
echo "executions: ${execs:-0} in ${secs:-?} s ($(( ${execs:-0} / (${secs:-0} > 0 ? ${secs:-1} : 1) )) exec/s over $jobs jobs)"
echo "coverage: $(grep -oE 'cov: [0-9]+ ft: [0-9]+' <<<"$last" || echo '?') (edges, features)"
echo "corpus: $(find "$corpus" -type f | wc -l) files"
new="$(find "$artifacts" -type f -newer "$stamp")"
rm -f "$stamp"
if ((status != 0)) || [[ -n "$new" ]]; then
  echo "FAILED: libFuzzer exited with $status; what it reported:" >&2
  grep -m 1 -A 24 -E "panicked at|ERROR: libFuzzer|^==[0-9]+== ?ERROR|ALARM" "$log" >&2 || true
  echo "artifacts:" >&2
  echo "${new:-none written}" >&2
  echo "reproduce: $binary <artifact>; see fuzz/README.md to turn it into a regression test" >&2
  exit 1
fi
echo "no crash"
