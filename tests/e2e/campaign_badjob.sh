#!/usr/bin/env bash
# A typo in a campaign's job section is found on the host by the job-file code
# of `run --job`, before any kernel is fetched or booted: exit 2 and FILE:LINE.
. "$(dirname "$0")/campaign_lib.sh"

tcg_kernels_dir
cp "$MLB_SRC/kernels/native.ini" "$T/kernels/"
# a VM kernel first: it must not even be booted
head -c 65536 /dev/urandom >"$T/garbage.img"
printf '[kernel]\nid = vmk\nsource = local\nimage = ../garbage.img\n' >"$T/kernels/vmk.ini"
cat >"$T/c.ini" <<'INI'
[campaign]
name = e2e-badjob
kernels = vmk native
timeout = 60

[global]
collect = none

[tiny]
workload = exit
procz = 4
INI
timeout -k 5 60 "$MLB" campaign --out "$T/data" "$T/c.ini" 2>"$T/err"
rc=$?
cat "$T/err"
[ $rc = 2 ] || fail "typo in a job section exited $rc, want 2"
grep -q "$T/c.ini:11: unknown option 'procz'" "$T/err" || fail "no FILE:LINE for the typo"
grep -q "booting\|fetching\|accelerator" "$T/err" && fail "a kernel was started"
[ ! -e "$T/data/e2e-badjob" ] || fail "the campaign created its folder: $(ls -R "$T/data")"
echo PASS
