// SPDX-License-Identifier: GPL-2.0
/*
 * smaps_rollup: the texts of 4.14, 5.10, 6.1 and 6.18 (tests/fixtures/smaps; 5.10,
 * 6.1 and 6.18 captured, the others reconstructed),
 * hostile texts, the summary and THP verdict, and real reads of a child
 * that mlocks 1M and of one that maps a thp-shmem-like memfd.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "sysinfo/smaps.h"

static const char *fx(const char *name)
{
	static char path[512];
	const char *root = getenv("MLB_FIXTURES");

	snprintf(path, sizeof(path), "%s/smaps/%s", root ? root : "tests/fixtures", name);
	return path;
}

static int read_fx(const char *name, struct smaps_rollup *r, struct errmsg *e)
{
	return smaps_rollup_read_path(fx(name), r, e);
}

#define KB(x) ((int64_t)(x) * 1024)

static void test_real_texts(void **unused)
{
	struct smaps_rollup r;
	struct errmsg e = { "" };

	assert_int_equal(read_fx("rollup-6.18.txt", &r, &e), 0);
	assert_true(r.bytes[SMAPS_RSS] >= KB(8192));
	assert_int_equal(r.bytes[SMAPS_LOCKED], KB(4096));
	assert_int_equal(r.bytes[SMAPS_ANON_HUGE], KB(4096));
	assert_int_equal(r.bytes[SMAPS_SHMEM_PMD], 0);
	assert_int_equal(r.bytes[SMAPS_PRIVATE_HUGETLB], 0);
	assert_true(r.bytes[SMAPS_PSS] > 0);

	/* captured in the debian-5.10 and debian-6.1 guests (same program) */
	assert_int_equal(read_fx("rollup-5.10-guest.txt", &r, &e), 0);
	assert_int_equal(r.bytes[SMAPS_RSS], KB(8960));
	assert_int_equal(r.bytes[SMAPS_ANON_HUGE], KB(4096));
	assert_int_equal(r.bytes[SMAPS_LOCKED], KB(4096));
	assert_int_equal(r.bytes[SMAPS_FILE_PMD], 0);
	assert_int_equal(read_fx("rollup-6.1-guest.txt", &r, &e), 0);
	assert_int_equal(r.bytes[SMAPS_PSS], KB(8956));	/* not Pss_Dirty */
	assert_int_equal(r.bytes[SMAPS_SHMEM_PMD], 0);

	assert_int_equal(read_fx("rollup-5.10.txt", &r, &e), 0);
	assert_int_equal(r.bytes[SMAPS_RSS], KB(67864));
	assert_int_equal(r.bytes[SMAPS_SHMEM_PMD], KB(65536));
	assert_int_equal(r.bytes[SMAPS_LOCKED], KB(65536));
	assert_true(smaps_huge_coverage(&r) > 0.96);

	assert_int_equal(read_fx("rollup-6.1.txt", &r, &e), 0);
	assert_int_equal(r.bytes[SMAPS_PSS], KB(66402));	/* not Pss_Dirty */
	assert_int_equal(smaps_huge_bytes(&r), 0);
	assert_true(smaps_huge_coverage(&r) == 0);

	/* 4.14: no FilePmdMapped line */
	assert_int_equal(read_fx("rollup-4.14.txt", &r, &e), 0);
	assert_int_equal(r.bytes[SMAPS_FILE_PMD], -1);
	assert_int_equal(r.bytes[SMAPS_SHMEM_PMD], 0);
	assert_int_equal(smaps_huge_bytes(&r), 0);

	assert_int_equal(read_fx("unknown-lines.txt", &r, &e), 0);
	assert_int_equal(r.bytes[SMAPS_LOCKED], KB(512));	/* no final newline */
	assert_int_equal(r.bytes[SMAPS_PSS], -1);
	assert_int_equal(smaps_huge_bytes(&r), -1);
	assert_true(smaps_huge_coverage(&r) < 0);
}

static void test_hostile(void **unused)
{
	static const struct { const char *name, *why; int err; } bad[] = {
		{ "hostile-huge.txt", "out of range", -EINVAL },
		{ "hostile-overflow.txt", "out of range", -EINVAL },
		{ "hostile-no-kb.txt", "not '<number> kB'", -EINVAL },
		{ "hostile-negative.txt", "not '<number> kB'", -EINVAL },
		{ "hostile-junk.txt", "not '<number> kB'", -EINVAL },
		{ "hostile-repeated.txt", "repeated", -EINVAL },
		{ "hostile-locked-over-rss.txt", "exceed Rss", -EINVAL },
		{ "hostile-no-rss.txt", "no Rss", -EINVAL },
		{ "hostile-long.txt", "longer than", -EFBIG },
	};
	struct smaps_rollup r;
	struct errmsg e;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		e.buf[0] = '\0';
		assert_int_equal(read_fx(bad[i].name, &r, &e), bad[i].err);
		if (!strstr(e.buf, bad[i].why))
			fail_msg("%s: '%s' lacks '%s'", bad[i].name, e.buf, bad[i].why);
	}
	/* the largest accepted value, and one above it */
	{
		char t[128];
		int n = snprintf(t, sizeof(t), "Rss: %lld kB\n", (long long)SMAPS_MAX_KB);

		assert_int_equal(smaps_rollup_parse(t, n, &r, &e), 0);
		assert_int_equal(r.bytes[SMAPS_RSS], SMAPS_MAX_KB * 1024);
		n = snprintf(t, sizeof(t), "Rss: %lld kB\n", (long long)SMAPS_MAX_KB + 1);
		assert_int_equal(smaps_rollup_parse(t, n, &r, &e), -EINVAL);
	}
	/* bounded by @len, not by a NUL: "Rss: 12" of "Rss: 123 kB" is malformed */
	assert_int_equal(smaps_rollup_parse("Rss: 123 kB\n", 7, &r, &e), -EINVAL);
	/* a long unknown line within the bound is ignored */
	{
		static char t[12000];
		int n;

		memset(t, 'a', sizeof(t));
		n = snprintf(t, 32, "Rss: 8 kB\nX:");
		t[n] = 'a';
		t[sizeof(t) - 1] = '\n';
		assert_int_equal(smaps_rollup_parse(t, sizeof(t), &r, &e), 0);
		assert_int_equal(r.bytes[SMAPS_RSS], KB(8));
	}
	assert_int_equal(smaps_rollup_read_path(fx("no-such-file"), &r, &e), -ENOENT);
	assert_int_equal(smaps_rollup_read(0, &r, &e), -EINVAL);
}

static struct smaps_rollup roll(int64_t rss_kb, int64_t locked_kb, int64_t anon_huge_kb,
				int64_t shmem_pmd_kb)
{
	struct smaps_rollup r;
	int i;

	for (i = 0; i < SMAPS_NFIELDS; i++)
		r.bytes[i] = -1;
	r.bytes[SMAPS_RSS] = KB(rss_kb);
	r.bytes[SMAPS_LOCKED] = KB(locked_kb);
	r.bytes[SMAPS_ANON_HUGE] = KB(anon_huge_kb);
	r.bytes[SMAPS_SHMEM_PMD] = KB(shmem_pmd_kb);
	return r;
}

static void test_summary_and_verdict(void **unused)
{
	struct smaps_rollup r[4] = {
		roll(1000, 400, 0, 500), roll(3000, 100, 0, 1500),
		roll(2000, 300, 0, 0), roll(4000, 200, 0, 2000),
	};
	struct smaps_summary s;
	enum thp_verdict v;
	char d[256];

	smaps_summarise(r, 4, &s);
	assert_int_equal(s.lockers, 4);
	assert_int_equal(s.f[SMAPS_RSS].n, 4);
	assert_int_equal(s.f[SMAPS_RSS].min, KB(1000));
	assert_int_equal(s.f[SMAPS_RSS].median, KB(2000));	/* lower median */
	assert_int_equal(s.f[SMAPS_RSS].max, KB(4000));
	assert_int_equal(s.f[SMAPS_LOCKED].median, KB(200));
	assert_int_equal(s.f[SMAPS_LOCKED].sum, KB(1000));
	assert_int_equal(s.f[SMAPS_PSS].n, 0);
	assert_int_equal(s.f[SMAPS_PSS].median, -1);
	assert_int_equal(s.f[SMAPS_PSS].sum, -1);
	assert_int_equal(s.coverage_n, 4);
	assert_true(s.coverage_min == 0);
	assert_true(s.coverage_median == 0.5);
	assert_true(s.coverage_max == 0.5);
	assert_int_equal(s.lockers_without_huge, 1);

	assert_true(smaps_thp_verdict(&s, true, false, &v, d, sizeof(d)));
	assert_int_equal(v, THP_PARTIAL);
	assert_false(smaps_thp_verdict(&s, true, true, &v, d, sizeof(d)));
	assert_non_null(strstr(d, "1 of 4"));
	assert_true(smaps_thp_verdict(&s, false, true, &v, d, sizeof(d)));
	assert_int_equal(v, THP_NOT_ASKED);

	r[0] = roll(1000, 400, 0, 0);
	r[1] = roll(3000, 100, 0, 0);
	r[3] = roll(4000, 100, 0, 0);
	smaps_summarise(r, 4, &s);
	assert_true(smaps_thp_verdict(&s, true, false, &v, d, sizeof(d)));
	assert_int_equal(v, THP_NONE);
	assert_non_null(strstr(d, "no huge pages in 4 of 4"));
	assert_false(smaps_thp_verdict(&s, true, true, &v, d, sizeof(d)));

	r[0] = roll(1000, 400, 10, 0);
	r[1] = roll(3000, 100, 0, 10);
	smaps_summarise(r, 2, &s);
	assert_true(smaps_thp_verdict(&s, true, true, &v, d, sizeof(d)));
	assert_int_equal(v, THP_GOT);

	/* the sum saturates */
	r[0].bytes[SMAPS_RSS] = r[1].bytes[SMAPS_RSS] = SMAPS_MAX_KB * 1024;
	smaps_summarise(r, 2, &s);
	assert_int_equal(s.f[SMAPS_RSS].sum, INT64_MAX);

	smaps_summarise(r, 0, &s);
	assert_int_equal(s.coverage_n, 0);
	assert_false(smaps_thp_verdict(&s, true, true, &v, d, sizeof(d)));
	assert_int_equal(v, THP_UNKNOWN);
}

/*
 * A child that maps @len bytes (a memfd when @shmem, else anon), faults
 * and optionally mlocks them, says so on a pipe and waits to be killed.
 */
static pid_t child_start(size_t len, bool shmem, bool lock)
{
	int p[2];
	pid_t pid;
	char c;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		int fd = shmem ? memfd_create("mlb-smaps", 0) : -1;
		char *a;

		if (shmem && (fd < 0 || ftruncate(fd, len)))
			_exit(1);
		a = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 shmem ? MAP_SHARED : MAP_PRIVATE | MAP_ANONYMOUS, fd, 0);
		if (a == MAP_FAILED)
			_exit(1);
		if (shmem)
			madvise(a, len, MADV_HUGEPAGE);
		memset(a, 1, len);
		if (lock && mlock(a, len))
			_exit(2);
		c = 'r';
		if (write(p[1], &c, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1) {
		waitpid(pid, NULL, 0);
		fail_msg("child could not map/lock (RLIMIT_MEMLOCK?)");
	}
	close(p[0]);
	return pid;
}

static void child_stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void test_real_child(void **unused)
{
	struct smaps_rollup r;
	struct errmsg e = { "" };
	pid_t pid = child_start(1 << 20, false, true);
	int ret = smaps_rollup_read(pid, &r, &e);

	child_stop(pid);
	if (ret == -ENOENT)
		skip();	/* a kernel before 4.14 */
	assert_int_equal(ret, 0);
	assert_true(r.bytes[SMAPS_LOCKED] >= 1 << 20);
	assert_true(r.bytes[SMAPS_RSS] >= r.bytes[SMAPS_LOCKED]);
	/* the process is gone now */
	assert_int_equal(smaps_rollup_read(pid, &r, &e), -ENOENT);
}

/* Where shmem THP is off (this machine), a thp-shmem backing gets none: refused. */
static void test_real_thp_shmem_off(void **unused)
{
	char buf[256] = "";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/shmem_enabled", "r");
	struct smaps_rollup r;
	struct smaps_summary s;
	struct errmsg e = { "" };
	enum thp_verdict v;
	char d[256];
	pid_t pid;
	int ret;

	if (!f)
		skip();
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	if (!strstr(buf, "[never]") && !strstr(buf, "[deny]"))
		skip();
	pid = child_start(8 << 20, true, true);
	ret = smaps_rollup_read(pid, &r, &e);
	child_stop(pid);
	assert_int_equal(ret, 0);
	assert_int_equal(r.bytes[SMAPS_SHMEM_PMD], 0);
	assert_true(r.bytes[SMAPS_LOCKED] >= 8 << 20);
	smaps_summarise(&r, 1, &s);
	assert_false(smaps_thp_verdict(&s, true, true, &v, d, sizeof(d)));
	assert_int_equal(v, THP_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_texts),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_summary_and_verdict),
		cmocka_unit_test(test_real_child),
		cmocka_unit_test(test_real_thp_shmem_off),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
