// SPDX-License-Identifier: GPL-2.0
/*
 * vmstat collector: parsing of real /proc/vmstat and /proc/meminfo texts
 * (tests/fixtures/vmstat, copied from a 6.18 machine), the design
 * fingerprint on counter deltas of both designs, the Mlocked residual,
 * and design detection from kallsyms texts.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "collectors/vmstat.h"

static char *slurp(const char *name)
{
	const char *fx = getenv("MLB_FIXTURES");
	static char buf[65536];
	char path[512];
	size_t n;
	FILE *f;

	assert_non_null(fx);
	snprintf(path, sizeof(path), "%s/vmstat/%s", fx, name);
	f = fopen(path, "r");
	assert_non_null(f);
	buf[0] = '\n';	/* meminfo parsing anchors at line starts */
	n = fread(buf + 1, 1, sizeof(buf) - 2, f);
	buf[n + 1] = '\0';
	fclose(f);
	return buf;
}

static void test_parse_real(void **unused)
{
	struct vm_snap s;

	assert_int_equal(vm_parse_vmstat(slurp("vmstat-6.18.txt"), &s), 0);
	assert_true(s.have[VM_MLOCKED] && s.have[VM_NR_MLOCK] && s.have[VM_STRANDED]);
	assert_int_equal(s.v[VM_MLOCKED], 590180);
	assert_int_equal(s.v[VM_MUNLOCKED], 564255);
	assert_int_equal(s.v[VM_CULLED], 590181);
	assert_int_equal(s.v[VM_RESCUED], 564241);
	assert_int_equal(s.v[VM_CLEARED], 0);
	assert_int_equal(s.v[VM_STRANDED], 22418);
	assert_int_equal(s.v[VM_NR_MLOCK], 3508);	/* not nr_zone_unevictable */
	assert_int_equal(vm_parse_meminfo(slurp("meminfo-6.18.txt"), &s), 0);
	assert_int_equal(s.mlocked_kib, 14032);
	assert_int_equal(s.unevictable_kib, 14992);
}

static void test_parse_missing(void **unused)
{
	struct vm_snap s;

	assert_int_equal(vm_parse_vmstat("nr_free_pages 5\npgfault 7\n", &s), -ENOENT);
	assert_false(s.have[VM_MLOCKED]);
	assert_int_equal(vm_parse_meminfo("\nMemTotal: 5 kB\n", &s), -ENOENT);
	/* a 5.10-style text with only some fields */
	assert_int_equal(vm_parse_vmstat("nr_mlock 12\nunevictable_pgs_mlocked 99\n", &s), 0);
	assert_int_equal(s.v[VM_MLOCKED], 99);
	assert_false(s.have[VM_CLEARED]);
}

/* A repetition: P lockers of N pages with the given window deltas. */
static struct vm_rep rep(uint64_t p, uint64_t n, int64_t setup_mlocked, int64_t td_mlocked,
			 int64_t td_munlocked, int64_t td_cleared)
{
	struct vm_rep r;

	memset(&r, 0, sizeof(r));
	r.procs = p;
	r.pages = n;
	r.page_kib = 4;
	r.have_setup = true;
	r.setup0.v[VM_MLOCKED] = 1000;
	r.setup1.v[VM_MLOCKED] = 1000 + setup_mlocked;
	r.teardown0 = r.setup1;
	r.teardown1 = r.teardown0;
	r.teardown1.v[VM_MLOCKED] += td_mlocked;
	r.teardown1.v[VM_MUNLOCKED] += td_munlocked;
	r.teardown1.v[VM_CLEARED] += td_cleared;
	r.setup0.mlocked_kib = r.teardown1.mlocked_kib = 5000;
	r.setup1.mlocked_kib = r.teardown0.mlocked_kib = 5000 + n * 4;
	return r;
}

static void test_fingerprint_mlock_count(void **unused)
{
	/* measured here: P=8 N=4096 */
	struct vm_rep r = rep(8, 4096, 4096, 0, 4078, 0);
	enum mlock_design looks;
	char d[256];

	assert_true(vm_fingerprint_check(DESIGN_MLOCK_COUNT, &r, &looks, d, sizeof(d)));
	assert_int_equal(looks, DESIGN_MLOCK_COUNT);
	assert_non_null(strstr(d, "4078"));
	/* the same counters on a kernel that should re-mlock: flagged */
	assert_false(vm_fingerprint_check(DESIGN_RMAP_WALK, &r, &looks, d, sizeof(d)));
	/* Δcleared large: the mlock_count protocol broke */
	r = rep(8, 4096, 4096, 0, 4096, 3000);
	assert_false(vm_fingerprint_check(DESIGN_MLOCK_COUNT, &r, &looks, d, sizeof(d)));
	/* set-up mlocked each page P times: not mlock_count's ~N */
	r = rep(8, 4096, 8 * 4096, 0, 4096, 0);
	assert_false(vm_fingerprint_check(DESIGN_MLOCK_COUNT, &r, &looks, d, sizeof(d)));
}

static void test_fingerprint_rmap_walk(void **unused)
{
	/* exits re-mlock: about (P-1)N, some lost to races */
	struct vm_rep r = rep(8, 4096, 4096, 7 * 4096 * 9 / 10, 4096, 12);
	enum mlock_design looks;
	char d[256];

	assert_true(vm_fingerprint_check(DESIGN_RMAP_WALK, &r, &looks, d, sizeof(d)));
	assert_int_equal(looks, DESIGN_RMAP_WALK);
	assert_false(vm_fingerprint_check(DESIGN_MLOCK_COUNT, &r, &looks, d, sizeof(d)));
	/* a low but real re-mlock count (measured: 28% of (P-1)N on 5.10) still passes */
	r = rep(8, 4096, 4096, 8019, 4096, 0);
	assert_true(vm_fingerprint_check(DESIGN_RMAP_WALK, &r, &looks, d, sizeof(d)));
	/* too few re-mlocks for rmap-walk */
	r = rep(8, 4096, 4096, 1024, 4096, 0);
	assert_false(vm_fingerprint_check(DESIGN_RMAP_WALK, &r, &looks, d, sizeof(d)));
	/* one locker: nothing to re-mlock, both designs agree */
	r = rep(1, 4096, 4096, 0, 4096, 0);
	assert_true(vm_fingerprint_check(DESIGN_RMAP_WALK, &r, &looks, d, sizeof(d)));
	assert_true(vm_fingerprint_check(DESIGN_MLOCK_COUNT, &r, &looks, d, sizeof(d)));
	assert_int_equal(looks, DESIGN_UNKNOWN);
}

static void test_fingerprint_unknown(void **unused)
{
	struct vm_rep r = rep(4, 1024, 1024, 3 * 1024, 1024, 0);
	enum mlock_design looks;
	char d[256];

	assert_true(vm_fingerprint_check(DESIGN_UNKNOWN, &r, &looks, d, sizeof(d)));
	assert_int_equal(looks, DESIGN_RMAP_WALK);
	assert_non_null(strstr(d, "rmap-walk"));
}

/* mlockall (own_too): the lockers' own pages on top of N; a reservation (never) gets none */
static void test_fingerprint_own_and_never(void **unused)
{
	/* measured here: munlockall-reserve P=2 N=256 --reserve 1G */
	struct vm_rep r = rep(2, 256, 3271, 0, 2925, 0);
	enum mlock_design looks;
	char d[256];

	/* the old rule (N only) calls it broken */
	assert_false(vm_fingerprint_check(DESIGN_MLOCK_COUNT, &r, &looks, d, sizeof(d)));
	r.own_too = true;
	assert_true(vm_fingerprint_check(DESIGN_MLOCK_COUNT, &r, &looks, d, sizeof(d)));
	assert_non_null(strstr(d, "+ own"));
	r.never = (1u << 30) / 4096;
	assert_true(vm_fingerprint_check(DESIGN_MLOCK_COUNT, &r, &looks, d, sizeof(d)));
	/* half of each locker's reservation mlocked: it got populated */
	r = rep(2, 256, 256 + 2 * 262144 / 2 + 1000, 0, 2925, 0);
	r.own_too = true;
	r.never = 262144;
	assert_false(vm_fingerprint_check(DESIGN_MLOCK_COUNT, &r, &looks, d, sizeof(d)));
	/* more munlocked than the set-up ever mlocked */
	r = rep(2, 256, 3271, 0, 3271 + 300, 0);
	r.own_too = true;
	assert_false(vm_fingerprint_check(DESIGN_MLOCK_COUNT, &r, &looks, d, sizeof(d)));
	/* still at least N/2 of the area munlocked, own pages or not */
	r = rep(2, 4096, 8000, 0, 1000, 0);
	r.own_too = true;
	assert_false(vm_fingerprint_check(DESIGN_MLOCK_COUNT, &r, &looks, d, sizeof(d)));
	/* rmap-walk: the area's re-mlocks still tell, the own pages only add */
	r = rep(4, 4096, 9000, 3 * 4096 / 2, 6000, 0);
	r.own_too = true;
	assert_true(vm_fingerprint_check(DESIGN_RMAP_WALK, &r, &looks, d, sizeof(d)));
	assert_false(vm_fingerprint_check(DESIGN_MLOCK_COUNT, &r, &looks, d, sizeof(d)));
}

/*
 * Anon huge pages every locker maps (thp-anon): the set-up tells the
 * designs apart.  Measured in the guests, P=4, 6 whole huge pages (N=3072):
 * debian-5.10 0/0/0, debian-6.1 3072/0/3072 and 3072/0/0.
 */
static void test_fingerprint_anon_huge(void **unused)
{
	struct vm_rep r = rep(4, 3072, 0, 0, 0, 0);
	enum mlock_design looks;
	char d[256];

	r.anon_huge_shared = true;
	assert_true(vm_fingerprint_check(DESIGN_RMAP_WALK, &r, &looks, d, sizeof(d)));
	assert_int_equal(looks, DESIGN_RMAP_WALK);
	assert_false(vm_fingerprint_check(DESIGN_MLOCK_COUNT, &r, &looks, d, sizeof(d)));
	r = rep(4, 3072, 3072, 0, 3072, 0);
	r.anon_huge_shared = true;
	assert_true(vm_fingerprint_check(DESIGN_MLOCK_COUNT, &r, &looks, d, sizeof(d)));
	assert_int_equal(looks, DESIGN_MLOCK_COUNT);
	assert_false(vm_fingerprint_check(DESIGN_RMAP_WALK, &r, &looks, d, sizeof(d)));
	r = rep(4, 3072, 3072, 0, 0, 0);
	r.anon_huge_shared = true;
	assert_true(vm_fingerprint_check(DESIGN_MLOCK_COUNT, &r, &looks, d, sizeof(d)));
	/* each locker mlocked them again: not mlock_count */
	r = rep(4, 3072, 4 * 3072, 0, 3072, 0);
	r.anon_huge_shared = true;
	assert_false(vm_fingerprint_check(DESIGN_MLOCK_COUNT, &r, &looks, d, sizeof(d)));
	/* without the mark the rmap-walk rule asks for re-mlocks, and 5.10's zeros fail */
	r = rep(4, 3072, 0, 0, 0, 0);
	assert_false(vm_fingerprint_check(DESIGN_RMAP_WALK, &r, &looks, d, sizeof(d)));
}

static void test_residual(void **unused)
{
	struct vm_rep r = rep(8, 16384, 16384, 0, 16384, 0);
	int64_t res, tol;

	assert_true(vm_residual_check(&r, &res, &tol));
	assert_int_equal(res, 0);
	r.teardown1.mlocked_kib += 200;	/* a per-CPU batch still undrained */
	assert_true(vm_residual_check(&r, &res, &tol));
	assert_int_equal(res, 200);
	r.teardown1.mlocked_kib += 16384 * 4 / 2;	/* half the file still mlocked */
	assert_false(vm_residual_check(&r, &res, &tol));
	assert_true(res > tol);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_real),
		cmocka_unit_test(test_parse_missing),
		cmocka_unit_test(test_fingerprint_mlock_count),
		cmocka_unit_test(test_fingerprint_rmap_walk),
		cmocka_unit_test(test_fingerprint_anon_huge),
		cmocka_unit_test(test_fingerprint_unknown),
		cmocka_unit_test(test_fingerprint_own_and_never),
		cmocka_unit_test(test_residual),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
