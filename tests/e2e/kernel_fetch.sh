#!/usr/bin/env bash
# mlockbench kernel: list/show, a real fetch into an empty cache through the
# private apt configuration, reuse of the cache, and the offline error.
set -uo pipefail
MLB=${MLB:?} MLB_SRC=${MLB_SRC:?}
T=$(mktemp -d /tmp/mlb-e2e-fetch.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$MLB" kernel list >"$T/list" || fail "kernel list"
for id in debian-5.10 debian-6.1 debian-6.12 native; do
	grep -q "^$id " "$T/list" || { cat "$T/list"; fail "$id not listed"; }
done
"$MLB" kernel show debian-5.10 | grep -q "expected design: rmap-walk" || fail "show"
"$MLB" kernel show nosuch 2>"$T/e"; rc=$?
[ $rc = 3 ] && grep -q "no kernel descriptor 'nosuch'" "$T/e" || fail "show nosuch: rc $rc $(cat "$T/e")"

# offline and nothing cached: a clear error naming the package
MLOCKBENCH_CACHE=$T/offline MLOCKBENCH_MIRROR=http://127.0.0.1:9/debian \
	timeout 120 "$MLB" kernel fetch debian-6.12 2>"$T/e"; rc=$?
cat "$T/e"
[ $rc = 3 ] || fail "offline fetch exited $rc, want 3"
grep -q 'cannot fetch linux-image-6\\\.12' "$T/e" || fail "offline error does not name the package"

# the real path: an empty cache, apt-get download from this machine's mirror
export MLOCKBENCH_CACHE=$T/cache
if ! timeout 300 "$MLB" kernel fetch debian-6.1 >"$T/out" 2>"$T/e"; then
	cat "$T/e"
	grep -q "apt-get update failed" "$T/e" && { echo "no network: skip"; exit 4; }
	fail "fetch failed"
fi
cat "$T/out"
img=$(sed -n 's/.* -> \(.*vmlinuz[^ ]*\).*/\1/p' "$T/out")
[ -s "$img" ] || fail "no kernel image at '$img'"
grep -q "^deb \[signed-by=/usr/share/keyrings/debian-archive-keyring.gpg\] .* bookworm main" \
	"$T/cache/apt/sources.list" || fail "private sources.list"
ls "$T/cache/debs/"linux-image-6.1.*-cloud-amd64-unsigned_*.deb >/dev/null || fail "no .deb kept"
# cached now: works with the network gone
MLOCKBENCH_MIRROR=http://127.0.0.1:9/debian "$MLB" kernel fetch debian-6.1 >"$T/out2" 2>&1 ||
	fail "cached fetch needed the network"
grep -q "(cached)" "$T/out2" || fail "cached fetch not reported as cached"
echo PASS
