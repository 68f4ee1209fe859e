// SPDX-License-Identifier: GPL-2.0
/*
 * The memory a configuration needs (job/footprint.h) and the checks on it
 * before a run: processes x size page tables, the children themselves,
 * the data once, and the fork count against the kernel's limits.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "job/footprint.h"
#include "job/job.h"

#define KIB (1ull << 10)
#define MIB (1ull << 20)
#define GIB (1ull << 30)
#define TIB (1ull << 40)

static struct footprint fp(uint64_t procs, uint64_t plain, uint64_t size, enum backing_kind b)
{
	struct footprint f;

	footprint_estimate(procs, plain, size, b, 4096, &f);
	assert_true(f.total >= f.data && f.total >= f.page_tables && f.total >= f.children);
	return f;
}

/* 8 bytes of PTE per 4K page per mapping, for every process: the 128 GiB */
static void test_page_tables_scale_with_procs(void **state)
{
	struct footprint one = fp(1, 0, 16 * GIB, BACKING_SHMEM);
	struct footprint many = fp(4096, 0, 16 * GIB, BACKING_SHMEM);

	assert_true(one.page_tables >= 16 * GIB / 4096 * 8);
	assert_true(one.page_tables < 16 * GIB / 4096 * 8 + 1 * MIB);
	assert_true(many.page_tables == 4096 * one.page_tables);
	assert_true(many.page_tables >= 128 * GIB);
	assert_true(many.total > 128 * GIB + 16 * GIB);
	/* the file is shared: it counts once, whatever the number of mappers */
	assert_true(many.data == 16 * GIB && one.data == 16 * GIB);
	assert_true(many.children == 4096 * FOOTPRINT_CHILD_BYTES);
}

/* plain mappers map and fault the file in like lockers */
static void test_plain_mappers_count(void **state)
{
	struct footprint a = fp(8, 0, 1 * GIB, BACKING_SHMEM);
	struct footprint b = fp(4, 4, 1 * GIB, BACKING_SHMEM);
	struct footprint c = fp(4, 0, 1 * GIB, BACKING_SHMEM);

	assert_true(a.total == b.total);
	assert_true(c.total < a.total);
}

/* anon COW: shared read-only with the parent, whose mapping adds page tables */
static void test_anon_parent_mapping(void **state)
{
	struct footprint shm = fp(8, 0, 1 * GIB, BACKING_SHMEM);
	struct footprint anon = fp(8, 0, 1 * GIB, BACKING_ANON_COW);
	struct footprint thp = fp(8, 0, 1 * GIB, BACKING_THP_ANON);

	assert_true(anon.data == shm.data);
	assert_true(anon.page_tables == shm.page_tables / 8 * 9);
	assert_true(thp.total == anon.total);
}

/* tiny sizes still take a table page per level; sizes round up to pages */
static void test_small_and_page_size(void **state)
{
	struct footprint f = fp(1, 0, 1, BACKING_SHMEM), g;

	assert_true(f.data == 4096);
	assert_true(f.page_tables >= 3 * 4096);
	footprint_estimate(1, 0, 1, BACKING_SHMEM, 0, &g);	/* 0: 4K pages */
	assert_memory_equal(&f, &g, sizeof(f));
	/* 64K pages: fewer, larger tables */
	footprint_estimate(1, 0, 16 * GIB, BACKING_SHMEM, 64 * KIB, &g);
	assert_true(g.page_tables < f.page_tables + 16 * GIB / 4096 * 8);
	assert_true(g.page_tables >= 16 * GIB / (64 * KIB) * 8);
}

/* no wrap-around: sums saturate */
static void test_saturates(void **state)
{
	struct footprint f;

	footprint_estimate(UINT64_MAX, UINT64_MAX, UINT64_MAX, BACKING_ANON_COW, 4096, &f);
	assert_true(f.total == UINT64_MAX);
	footprint_estimate(4096, 4096, TIB, BACKING_SHMEM, 4096, &f);
	assert_true(f.total > 8192 * (TIB / 4096 * 8));
}

static struct job job_of(const char *procs, const char *plain, const char *size)
{
	struct errmsg e = { "" };
	struct job j;

	job_init(&j, "big");
	if (job_set(&j, "procs", procs, &e) || job_set(&j, "plain", plain, &e) ||
	    job_set(&j, "size", size, &e))
		fail_msg("%s", e.buf);
	return j;
}

/* --procs 4096 --size 16G on a 24G machine: refused up front, unless --force */
static void test_check_refuses_page_tables(void **state)
{
	struct job_limits l = { .mem_available = 24 * GIB, .memlock_soft = UINT64_MAX,
				.cap_ipc_lock = true, .page_size = 4096 };
	struct job j = job_of("4096", "0", "16G");
	struct errmsg e = { "" };

	assert_int_equal(job_check_limits(&j, &l, &e), -E2BIG);
	assert_non_null(strstr(e.buf, "page tables"));
	assert_non_null(strstr(e.buf, "128."));	/* GiB of them, in the line */
	assert_non_null(strstr(e.buf, "4096 children"));
	assert_non_null(strstr(e.buf, "80% of MemAvailable"));
	assert_non_null(strstr(e.buf, "--force"));
	assert_null(strchr(e.buf, '\n'));
	/* the sweep's largest procs x size decides */
	j = job_of("1,2,...,4096", "0", "4K,16G");
	assert_int_equal(job_check_limits(&j, &l, &e), -E2BIG);
	j = job_of("4096", "0", "16M");
	assert_int_equal(job_check_limits(&j, &l, &e), 0);
	/* plain mappers have page tables too */
	j = job_of("1", "4096", "16G");
	assert_int_equal(job_check_limits(&j, &l, &e), -E2BIG);
	j = job_of("4096", "0", "16G");
	j.force = true;
	assert_int_equal(job_check_limits(&j, &l, &e), 0);
}

/* every child exists at once: pid_max, threads-max and RLIMIT_NPROC bound them */
static void test_check_fork_count(void **state)
{
	struct job_limits l = { .mem_available = 24 * GIB, .memlock_soft = UINT64_MAX,
				.cap_ipc_lock = true };
	struct job j = job_of("2048", "2048", "4K");
	struct errmsg e = { "" };

	assert_int_equal(job_check_limits(&j, &l, &e), 0);	/* 0: not known */
	l.pid_max = 4097 + 100;
	l.threads_now = 100;
	assert_int_equal(job_check_limits(&j, &l, &e), 0);	/* just enough */
	l.threads_now = 101;
	assert_int_equal(job_check_limits(&j, &l, &e), -EAGAIN);
	assert_non_null(strstr(e.buf, "4096 children"));
	assert_non_null(strstr(e.buf, "kernel.pid_max"));
	l.pid_max = 0;
	l.threads_max = 4000;
	l.threads_now = 0;
	assert_int_equal(job_check_limits(&j, &l, &e), -EAGAIN);
	assert_non_null(strstr(e.buf, "threads-max"));
	l.threads_max = 0;
	l.nproc_soft = 4096;	/* the harness counts too */
	assert_int_equal(job_check_limits(&j, &l, &e), -EAGAIN);
	l.nproc_soft = 1000;
	assert_int_equal(job_check_limits(&j, &l, &e), -EAGAIN);
	assert_non_null(strstr(e.buf, "RLIMIT_NPROC is 1000"));
	assert_non_null(strstr(e.buf, "ulimit -u"));
	l.nproc_soft = 0;
	l.nofile_hard = 4096 + 64;	/* a pidfd a child, and the engine's own */
	assert_int_equal(job_check_limits(&j, &l, &e), 0);
	l.nofile_hard--;
	assert_int_equal(job_check_limits(&j, &l, &e), -EMFILE);
	assert_non_null(strstr(e.buf, "RLIMIT_NOFILE"));
	assert_non_null(strstr(e.buf, "ulimit -Hn"));
	/* --force lifts the memory estimate, never a kernel limit */
	j.force = true;
	assert_int_equal(job_check_limits(&j, &l, &e), -EMFILE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page_tables_scale_with_procs),
		cmocka_unit_test(test_plain_mappers_count),
		cmocka_unit_test(test_anon_parent_mapping),
		cmocka_unit_test(test_small_and_page_size),
		cmocka_unit_test(test_saturates),
		cmocka_unit_test(test_check_refuses_page_tables),
		cmocka_unit_test(test_check_fork_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
