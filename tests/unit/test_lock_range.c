// SPDX-License-Identifier: GPL-2.0
/*
 * The THP boundary options (--lock-offset/--lock-len), --require-thp, their
 * refusals, the range → locked_pages arithmetic the vmstat rules use, and
 * the smaps proof's verdict line.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/smaps_proof.h"
#include "engine/workload.h"
#include "job/job.h"
#include "job/lock_range.h"
#include "test_util.h"

#define MIB (1ull << 20)
#define PAGE 4096ull
#define HUGE (2 * MIB)

static void set_ok(struct job *j, const char *key, const char *val)
{
	struct errmsg e = { "" };

	if (job_set(j, key, val, &e))
		fail_msg("%s=%s: %s", key, val, e.buf);
}

static void test_parse(void **state)
{
	struct errmsg e = { "" };
	char buf[64];
	struct job j;

	(void)state;
	job_init(&j, "j");
	/* the defaults are the whole area: what folders without the options measured */
	assert_false(job_has_lock_range(&j));
	job_option_format(&j, opt_index("lock-offset"), buf, sizeof(buf));
	assert_string_equal(buf, "0");
	job_option_format(&j, opt_index("lock-len"), buf, sizeof(buf));
	assert_string_equal(buf, "0");
	assert_true(job_option_identity(opt_index("lock-offset")));
	assert_true(job_option_identity(opt_index("lock-len")));
	assert_false(job_option_identity(opt_index("require-thp")));

	set_ok(&j, "lock-offset", "auto");
	assert_true(j.lock_offset == LOCK_OFFSET_AUTO);
	assert_true(job_has_lock_range(&j));
	job_option_format(&j, opt_index("lock-offset"), buf, sizeof(buf));
	assert_string_equal(buf, "auto");
	assert_string_equal(job_option_value(&j, opt_index("lock-offset")), "auto");
	set_ok(&j, "lock-offset", "1M");
	assert_true(j.lock_offset == MIB);
	job_option_format(&j, opt_index("lock-offset"), buf, sizeof(buf));
	assert_string_equal(buf, "1048576");
	set_ok(&j, "lock-len", "3M");
	assert_true(j.lock_len == 3 * MIB);
	set_ok(&j, "require-thp", NULL);
	assert_true(j.require_thp);

	assert_int_equal(job_set(&j, "lock-offset", "soon", &e), -EINVAL);
	assert_non_null(strstr(e.buf, "lock-offset: 'soon' is not a size or auto"));
	assert_int_equal(job_set(&j, "lock-offset", "2T", &e), -EINVAL);
	assert_int_equal(job_set(&j, "lock-len", "1M,2M", &e), -EINVAL);
	/* the refused values left the last good ones */
	assert_true(j.lock_offset == MIB && j.lock_len == 3 * MIB);
}

/* job_validate refuses @j with -EINVAL and a message holding @needle. */
static void refused(const struct job *j, const char *needle)
{
	struct errmsg e = { "" };
	int ret = job_validate(j, &e);

	if (ret != -EINVAL || !strstr(e.buf, needle))
		fail_msg("got %d '%s', want -EINVAL with '%s'", ret, e.buf, needle);
	assert_null(strchr(e.buf, '\n'));
}

static void test_refusals(void **state)
{
	struct errmsg e = { "" };
	struct job j, base;

	(void)state;
	job_init(&base, "j");
	set_ok(&base, "size", "16M");
	set_ok(&base, "lock-offset", "1M");
	set_ok(&base, "lock-len", "14M");
	assert_int_equal(job_validate(&base, &e), 0);

	job_copy(&j, &base);
	set_ok(&j, "lock", "mlockall");
	refused(&j, "--lock mlockall locks whole mappings");
	job_copy(&j, &base);
	set_ok(&j, "lock", "map-locked");
	refused(&j, "--lock map-locked locks whole mappings");
	job_copy(&j, &base);
	set_ok(&j, "workload", "vmas");
	refused(&j, "--workload vmas do not mix (a range and K split VMAs");
	job_copy(&j, &base);
	set_ok(&j, "workload", "munlockall-reserve");
	refused(&j, "--workload munlockall-reserve do not mix");
	job_copy(&j, &base);
	set_ok(&j, "lock-offset", "auto");
	refused(&j, "--lock-len with --lock-offset auto");
	/* bad geometry: thp_lock_range's message */
	job_copy(&j, &base);
	set_ok(&j, "lock-offset", "1000");
	refused(&j, "multiples of the page size");
	job_copy(&j, &base);
	set_ok(&j, "lock-len", "16M");
	refused(&j, "lock range ends beyond the mapping");
	job_copy(&j, &base);
	set_ok(&j, "lock-offset", "16M");
	refused(&j, "beyond the mapping");
	/* each size of a sweep is checked */
	job_copy(&j, &base);
	set_ok(&j, "size", "16M,8M");
	refused(&j, "lock range ends beyond the mapping");
	/* a THP backing's range must hold a whole huge page, else nothing to count */
	job_copy(&j, &base);
	set_ok(&j, "backing", "thp-anon");
	set_ok(&j, "lock-offset", "1M");
	set_ok(&j, "lock-len", "2M");
	refused(&j, "holds no whole huge page");
	/* the anon backings take a range: the engine mlocks it */
	job_copy(&j, &base);
	set_ok(&j, "backing", "thp-anon");
	assert_int_equal(job_validate(&j, &e), 0);
	set_ok(&j, "lock", "onfault");
	assert_int_equal(job_validate(&j, &e), 0);

	/* --require-thp: THP backings only (documented: exit 2, not a no-op) */
	job_init(&j, "j");
	set_ok(&j, "require-thp", "1");
	refused(&j, "--require-thp needs a THP backing (thp-anon, thp-shmem), not shmem");
	set_ok(&j, "backing", "thp-shmem");
	assert_int_equal(job_validate(&j, &e), 0);
}

static void test_geometry(void **state)
{
	struct errmsg e = { "" };
	struct locked_pages lp;
	struct lock_range r;
	struct job j;

	(void)state;
	job_init(&j, "j");
	set_ok(&j, "backing", "thp-anon");
	/* no range: the whole area, unaligned, and the workload's pages left alone */
	assert_int_equal(lock_range_of(&j, 16 * MIB, PAGE, HUGE, &r, &e), 0);
	assert_true(r.whole && r.off == 0 && r.len == 16 * MIB && r.align == 0);
	lp = (struct locked_pages){ .shared = 4096 };
	lock_range_locked_pages(&r, true, PAGE, &lp);
	assert_true(lp.shared == 4096);

	/* auto over 8 huge pages: 1M..15M, 6 whole huge pages, both ends cut one */
	set_ok(&j, "lock-offset", "auto");
	assert_int_equal(lock_range_of(&j, 16 * MIB, PAGE, HUGE, &r, &e), 0);
	assert_false(r.whole);
	assert_true(r.off == MIB && r.len == 14 * MIB && r.align == HUGE);
	assert_true(r.geo.whole_huge == 6 && r.geo.partial_huge == 2);
	assert_true(r.geo.start_inside && r.geo.end_inside);
	/* huge pages: only the whole ones are mlocked (3072 of the range's 3584 pages) */
	lock_range_locked_pages(&r, true, PAGE, &lp);
	assert_true(lp.shared == 6 * 512);
	/* small pages (no THP got): every page of the range */
	lock_range_locked_pages(&r, false, PAGE, &lp);
	assert_true(lp.shared == 14 * MIB / PAGE);

	/* auto needs two huge pages and THP on the machine */
	assert_int_equal(lock_range_of(&j, 2 * MIB, PAGE, HUGE, &r, &e), -EINVAL);
	assert_non_null(strstr(e.buf, "two are needed"));
	assert_int_equal(lock_range_of(&j, 16 * MIB, PAGE, 0, &r, &e), -EINVAL);
	assert_non_null(strstr(e.buf, "--lock-offset auto needs THP"));
	/* 3 huge pages: one whole between the cut ones */
	assert_int_equal(lock_range_of(&j, 6 * MIB, PAGE, HUGE, &r, &e), 0);
	assert_true(r.geo.whole_huge == 1 && r.off == MIB && r.len == 4 * MIB);

	/* an explicit range on a small-page backing: its pages, whatever huge pages do */
	job_init(&j, "j");
	set_ok(&j, "lock-offset", "4096");
	set_ok(&j, "lock-len", "8K");
	assert_int_equal(lock_range_of(&j, MIB, PAGE, 0, &r, &e), 0);
	assert_true(r.off == PAGE && r.len == 2 * PAGE && r.align == LOCK_RANGE_NOMINAL_HUGE);
	lock_range_locked_pages(&r, false, PAGE, &lp);
	assert_true(lp.shared == 2);
	/* lock-len 0: to the end */
	set_ok(&j, "lock-len", "0");
	assert_int_equal(lock_range_of(&j, MIB, PAGE, HUGE, &r, &e), 0);
	assert_true(r.len == MIB - PAGE);
}

/*
 * A child that maps @len bytes of a MADV_HUGEPAGE memfd, writes a byte to
 * @ready[1] and waits until @go[1] is closed.
 */
static pid_t shmem_child(size_t len, const int go[2], const int ready[2])
{
	pid_t pid = fork();
	char c;

	assert_true(pid >= 0);
	if (pid) {
		assert_int_equal(read(ready[0], &c, 1), 1);
		return pid;
	}
	{
		int mfd = memfd_create("t", 0);
		char *p;
		size_t i;

		close(go[1]);
		if (mfd < 0 || ftruncate(mfd, len))
			_exit(1);
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
		if (p == MAP_FAILED)
			_exit(1);
		madvise(p, len, MADV_HUGEPAGE);
		for (i = 0; i < len; i += PAGE)
			p[i] = 1;
		if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
}

static void test_proof_line(void **state)
{
	struct sysaudit audit = { .thp_shmem_enabled = "never", .thp_enabled = "madvise" };
	struct smaps_proof p;
	struct config c = { .procs = 1 };
	struct job j;
	int go[2], ready[2];
	pid_t pid;

	(void)state;
	assert_string_equal(smaps_proof_knob(BACKING_THP_SHMEM),
			    "/sys/kernel/mm/transparent_hugepage/shmem_enabled");
	assert_string_equal(smaps_proof_knob(BACKING_THP_ANON),
			    "/sys/kernel/mm/transparent_hugepage/enabled");
	assert_null(smaps_proof_knob(BACKING_SHMEM));

	/* our own rollup on a small-page backing: read, never judged */
	job_init(&j, "j");
	c.job = &j;
	pid = getpid();
	smaps_proof_take(&c, 0, &pid, &audit, &p);
	assert_true(p.available && p.read == 1 && !p.err);
	assert_int_equal(p.verdict, THP_NOT_ASKED);
	assert_true(p.pass);
	assert_true(p.sum.f[SMAPS_RSS].min > 0);

	/* a 4M thp-shmem locker: without shmem THP, the line names the knob */
	set_ok(&j, "backing", "thp-shmem");
	j.require_thp = true;
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(ready), 0);
	pid = shmem_child(4 * MIB, go, ready);
	smaps_proof_take(&c, 0, &pid, &audit, &p);
	close(go[1]);
	waitpid(pid, NULL, 0);
	close(go[0]);
	close(ready[0]);
	close(ready[1]);
	assert_true(p.available && p.read == 1);
	if (p.verdict == THP_NONE) {
		assert_false(p.pass);
		assert_string_equal(p.detail, "thp-shmem got no huge pages in 1 of 1 lockers "
				    "(/sys/kernel/mm/transparent_hugepage/shmem_enabled is never)");
	} else {
		assert_int_equal(p.verdict, THP_GOT);	/* shmem THP on: coverage > 0 */
		assert_true(p.pass);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_geometry),
		cmocka_unit_test(test_proof_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
