# SPDX-License-Identifier: GPL-2.0
# Shared set-up for the campaign e2e tests; source it, don't run it.
#
# Skips (4) without qemu-system-x86_64 or busybox-static. Gives: $MLB, $MLB_SRC,
# $T (a temp folder, removed on exit), fail, need_debian61, tcg_kernels_dir,
# write_campaign, run_campaign, no_qemu_left.
set -uo pipefail
MLB=${MLB:?} MLB_SRC=${MLB_SRC:?}
command -v qemu-system-x86_64 >/dev/null || { echo "no qemu-system-x86_64"; exit 4; }
[ -x /bin/busybox ] || { echo "no /bin/busybox (busybox-static)"; exit 4; }
_name=$(basename "$0" .sh)
T=$(mktemp -d "/tmp/mlb-e2e-${_name#campaign_}.XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Skip unless debian-6.1 can be fetched or is cached; its fetch line (with the
# image path) is left in $T/fetch.log.
need_debian61() {
	if ! timeout 300 "$MLB" kernel fetch debian-6.1 >"$T/fetch.log" 2>"$T/fetch.err"; then
		cat "$T/fetch.log" "$T/fetch.err"
		echo "debian-6.1 cannot be fetched and is not cached: skip"
		exit 4
	fi
}

# Descriptors come from $T/kernels (the caller fills it); guests boot under TCG
# without a KVM probe.
tcg_kernels_dir() {
	mkdir -p "$T/kernels"
	export MLOCKBENCH_KERNELS=$T/kernels MLOCKBENCH_ACCEL=tcg
}

# write_campaign LINE...: $T/c.ini with these [campaign] lines (runs = 1
# unless one of them says otherwise: a TCG boot is ~10 s) and one tiny exit
# job (2 processes, 1 MiB, 2 reps, no collectors).
write_campaign() {
	{
		echo "[campaign]"
		printf '%s\n' "$@"
		printf '%s\n' "$@" | grep -q '^runs' || echo "runs = 1"
		cat <<'INI'

[global]
collect = none

[tiny]
workload = exit
procs = 2
size = 1M
reps = 2
warmup = 0
INI
	} >"$T/c.ini"
}

# run_campaign SECONDS: run $T/c.ini into $T/data under that timeout; its
# stderr goes to $T/err (and is shown), its exit status to $rc.
run_campaign() {
	local start

	start=$(date +%s)
	timeout -k 5 "$1" "$MLB" campaign --out "$T/data" "$T/c.ini" 2>"$T/err"
	rc=$?
	cat "$T/err"
	echo "campaign took $(( $(date +%s) - start )) s"
}

# no_qemu_left PATTERN: no process (a guest) has PATTERN in its command line.
no_qemu_left() {
	if pgrep -f "$1" >/dev/null; then
		pgrep -af "$1"
		fail "qemu left running"
	fi
}
