#!/usr/bin/env bash
# Install what mlockbench needs on Debian bookworm and build it into build/.
# Idempotent: a second run only rebuilds what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(build-essential cmake pkg-config git
      libhwloc-dev libnuma-dev libgsl-dev libjansson-dev libinih-dev
      libtracefs-dev libtraceevent-dev libcmocka-dev zlib1g-dev
      linux-perf gnuplot-nox qemu-system-x86 busybox-static
      cpio gzip zstd xz-utils ca-certificates python3 procps)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
if ((${#missing[@]})); then
	SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
	echo "setup: installing ${missing[*]}"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
echo "setup: built $(pwd)/build/mlockbench"
