#!/usr/bin/env bash
# Regenerates the example manifests in this folder from src/manifest.json with schema1peer
# (Debian's docker/libtrust + docker/distribution 2.8, built by the peers build.sh).
#   bash examples/make_examples.sh [PATH/TO/schema1peer]
# Default peer: $SCHEMA1PEER_HOME/schema1peer, else /tmp/schema1peer/schema1peer.
# Keys are generated in memory for each run and never written; signatures (and the "time"
# of each protected header) change on every run, the payload digests do not.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
peer="${1:-${SCHEMA1PEER_HOME:-/tmp/schema1peer}/schema1peer}"
[ -x "$peer" ] || { echo "schema1peer not found at $peer (build it with the peers build.sh)" >&2; exit 2; }

src=src/manifest.json
mkdir -p invalid

# 1. the unsigned input, as is (3-space indented, the layout schema1.Sign emits)
cp "$src" unsigned.json

# 2. one signature each; --mode schema1 (default) = distribution's schema1.Sign
"$peer" sign --in "$src" --key-type rsa2048 --out signed-rs256.json
"$peer" sign --in "$src" --key-type ec256 --out signed-es256.json
"$peer" sign --in "$src" --key-type ec384 --out signed-es384.json
"$peer" sign --in "$src" --key-type ec521 --out signed-es512.json

# 3. a second signature (RS256) appended to the ES256 one (libtrust ParsePrettySignature + Sign)
"$peer" sign --in signed-es256.json --append --key-type rsa2048 --out signed-two-signatures.json

# 4. the ES256 one with one digit of a "created" date changed inside the signed payload
old='18:20:52.191474983Z'
new='18:20:53.191474983Z'
[ "$(grep -c -F "$old" signed-es256.json)" = 1 ] || { echo "expected one '$old' in signed-es256.json" >&2; exit 1; }
sed "s/$old/$new/" signed-es256.json > invalid/tampered-es256.json
[ "$(cmp -l signed-es256.json invalid/tampered-es256.json | wc -l)" = 1 ] || { echo "tampering changed more than one byte" >&2; exit 1; }

# 5. checks: every signed file verifies and its payload is exactly src/manifest.json;
#    the tampered one fails
want="sha256:$(sha256sum "$src" | cut -d' ' -f1)"
for f in signed-*.json; do
  line="$("$peer" verify "$f")" || { echo "FAIL $f: $line" >&2; exit 1; }
  case "$line" in
    *'"ok":true'*'"digest":"'"$want"'"'*) echo "ok       $f $want" ;;
    *) echo "FAIL $f: $line" >&2; exit 1 ;;
  esac
done
if line="$("$peer" verify invalid/tampered-es256.json)"; then
  echo "FAIL invalid/tampered-es256.json verified: $line" >&2; exit 1
fi
echo "rejected invalid/tampered-es256.json"
echo "unsigned unsigned.json $want (sha256 of the file)"
