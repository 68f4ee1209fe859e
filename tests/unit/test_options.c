// SPDX-License-Identifier: GPL-2.0
/* The option table: defaults, job_set, job_validate, job_check_limits, runner_expand. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_util.h"

#include "engine/runner.h"
#include "job/footprint.h"
#include "job/job.h"

#define MIB (1ull << 20)
#define GIB (1ull << 30)

static void set_ok(struct job *j, const char *key, const char *val)
{
	struct errmsg e = { "" };

	if (job_set(j, key, val, &e))
		fail_msg("%s=%s: %s", key, val ? val : "(null)", e.buf);
}

/* Fails with @err, names the option, and leaves the job as it was. */
static void set_bad(const char *key, const char *val, int err, const char *needle)
{
	struct errmsg e = { "" };
	struct job j, before;
	int ret;

	job_init(&j, "j");
	before = j;
	ret = job_set(&j, key, val, &e);
	if (ret != err)
		fail_msg("%s=%s: got %d (%s), want %d", key, val ? val : "(null)", ret, e.buf, err);
	if (strncmp(e.buf, key, strlen(key)) && err != -ENOENT)
		fail_msg("message '%s' does not name '%s'", e.buf, key);
	if (needle && !strstr(e.buf, needle))
		fail_msg("message '%s' lacks '%s'", e.buf, needle);
	assert_null(strchr(e.buf, '\n'));
	/* the echo still shows the old value */
	assert_memory_equal(&before.given, &j.given, sizeof(j.given));
}

static void test_defaults(void **state)
{
	struct job j;

	job_init(&j, "job0");
	assert_string_equal(j.name, "job0");
	assert_string_equal(j.workload, "exit");
	assert_int_equal(j.procs.n, 1);
	assert_true(j.procs.v[0] == 4);
	assert_int_equal(j.size.n, 1);
	assert_true(j.size.v[0] == 64 * MIB);
	assert_int_equal(j.plain.n, 1);
	assert_true(j.plain.v[0] == 0);
	assert_true(j.reps == 10);
	assert_true(j.warmup == 1);
	assert_string_equal(j.collect, "vmstat");
	assert_int_equal(j.backing, BACKING_SHMEM);
	assert_int_equal(j.lock, LOCK_MLOCK);
	assert_int_equal(j.pin, PIN_NONE);
	assert_true(j.membind == -1);
	assert_false(j.interleave);
	assert_false(j.force);
	assert_false(j.perf_record);
	assert_true(j.seed == 0);
	assert_true(j.timeout == 600);

	/* the echo of an untouched job is the defaults */
	assert_string_equal(opt_value(&j, "procs"), "4");
	assert_string_equal(opt_value(&j, "size"), "64M");
	assert_string_equal(opt_value(&j, "collect"), "vmstat");
	assert_string_equal(opt_value(&j, "backing"), "shmem");
	assert_string_equal(opt_value(&j, "interleave"), "0");
	assert_null(job_option_value(&j, opt_index("membind")));
	assert_null(job_option_value(&j, job_option_count()));
	assert_null(job_option_name(job_option_count()));
}

static void test_table(void **state)
{
	static const char *const want[] = {
		"workload", "procs", "size", "plain", "backing", "lock", "prot", "reps", "warmup",
		"pin", "membind", "interleave", "seed", "collect", "probe", "perf-record",
		"timeout", "force",
	};
	char help[8192];
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		opt_index(want[i]);
	assert_false(job_option_takes_arg(opt_index("force")));
	assert_false(job_option_takes_arg(opt_index("interleave")));
	assert_false(job_option_takes_arg(opt_index("perf-record")));
	assert_true(job_option_takes_arg(opt_index("procs")));
	assert_true(job_option_takes_arg(opt_index("membind")));
	job_options_help(help, sizeof(help));
	for (i = 0; i < job_option_count(); i++) {
		char opt[64];

		snprintf(opt, sizeof(opt), "--%s", job_option_name(i));
		if (!strstr(help, opt))
			fail_msg("--help lacks %s", opt);
	}
	assert_non_null(strstr(help, "[64M]"));
}

static void test_set_each(void **state)
{
	struct job j;

	job_init(&j, "j");
	set_ok(&j, "workload", "munlock");
	assert_string_equal(j.workload, "munlock");
	set_ok(&j, "workload", "munmap");
	assert_string_equal(j.workload, "munmap");
	set_ok(&j, "procs", "1,2,...,8");
	assert_int_equal(j.procs.n, 4);
	assert_true(j.procs.v[3] == 8);
	set_ok(&j, "size", "4M,16M");
	assert_int_equal(j.size.n, 2);
	assert_true(j.size.v[1] == 16 * MIB);
	set_ok(&j, "plain", "0,8");
	assert_int_equal(j.plain.n, 2);
	assert_true(j.plain.v[1] == 8);
	set_ok(&j, "backing", "anon-cow");
	assert_int_equal(j.backing, BACKING_ANON_COW);
	set_ok(&j, "backing", "thp-shmem");
	assert_int_equal(j.backing, BACKING_THP_SHMEM);
	set_ok(&j, "backing", "thp-anon");
	assert_int_equal(j.backing, BACKING_THP_ANON);
	set_ok(&j, "backing", "file:/var/tmp");
	assert_int_equal(j.backing, BACKING_FILE);
	assert_string_equal(j.backing_dir, "/var/tmp");
	assert_string_equal(backing_name(j.backing), "file");
	set_ok(&j, "backing", "shmem");
	assert_int_equal(j.backing, BACKING_SHMEM);
	set_ok(&j, "lock", "onfault");
	assert_int_equal(j.lock, LOCK_ONFAULT);
	set_ok(&j, "lock", "map-locked");
	assert_int_equal(j.lock, LOCK_MAP_LOCKED);
	set_ok(&j, "lock", "mlockall");
	assert_int_equal(j.lock, LOCK_MLOCKALL);
	assert_string_equal(lock_method_name(j.lock), "mlockall");
	set_ok(&j, "lock", "mlock");
	assert_int_equal(j.lock, LOCK_MLOCK);
	set_ok(&j, "reps", "100000");
	assert_true(j.reps == 100000);
	set_ok(&j, "warmup", "0");
	assert_true(j.warmup == 0);
	set_ok(&j, "pin", "compact");
	assert_int_equal(j.pin, PIN_COMPACT);
	set_ok(&j, "pin", "scatter");
	assert_int_equal(j.pin, PIN_SCATTER);
	set_ok(&j, "membind", "0");
	assert_true(j.membind == 0);
	set_ok(&j, "membind", "3");
	assert_true(j.membind == 3);
	set_ok(&j, "seed", "18446744073709551615");
	assert_true(j.seed == UINT64_MAX);
	set_ok(&j, "collect", "vmstat,perf");
	assert_string_equal(j.collect, "vmstat,perf");
	set_ok(&j, "timeout", "1");
	assert_true(j.timeout == 1);

	/* every value given is echoed as given */
	assert_string_equal(opt_value(&j, "procs"), "1,2,...,8");
	assert_string_equal(opt_value(&j, "size"), "4M,16M");
	assert_string_equal(opt_value(&j, "membind"), "3");
	assert_string_equal(opt_value(&j, "backing"), "shmem");
	assert_string_equal(opt_value(&j, "pin"), "scatter");
}

static void test_set_flags(void **state)
{
	static const char *const flags[] = { "interleave", "force", "perf-record" };
	size_t i;

	for (i = 0; i < 3; i++) {
		struct job j;
		bool *f;

		job_init(&j, "j");
		f = !strcmp(flags[i], "interleave") ? &j.interleave :
		    !strcmp(flags[i], "force") ? &j.force : &j.perf_record;
		set_ok(&j, flags[i], NULL);	/* a bare --flag */
		assert_true(*f);
		assert_string_equal(opt_value(&j, flags[i]), "1");
		set_ok(&j, flags[i], "0");
		assert_false(*f);
		set_ok(&j, flags[i], "yes");
		assert_true(*f);
		set_ok(&j, flags[i], "false");
		assert_false(*f);
		set_ok(&j, flags[i], "true");
		assert_true(*f);
		set_ok(&j, flags[i], "no");
		assert_false(*f);
		assert_string_equal(opt_value(&j, flags[i]), "no");
		set_bad(flags[i], "maybe", -EINVAL, "not a boolean");
	}
}

static void test_set_bad(void **state)
{
	set_bad("nope", "1", -ENOENT, "unknown option 'nope'");
	set_bad("workload", "nope", -EINVAL, "unknown workload 'nope'");
	set_bad("workload", NULL, -EINVAL, "needs a value");
	set_bad("procs", NULL, -EINVAL, "needs a value");
	set_bad("procs", "0", -ERANGE, "1..4096");
	set_bad("procs", "5000", -ERANGE, "5000");
	set_bad("procs", "two", -EINVAL, "two");
	set_bad("size", "0", -ERANGE, "4K..1T");
	set_bad("size", "1P", -ERANGE, "1P");
	set_bad("size", "4Q", -EINVAL, NULL);
	set_bad("plain", "4097", -ERANGE, NULL);
	set_bad("backing", "nope", -EINVAL, "unknown backing 'nope'");
	set_bad("backing", "file", -EINVAL, "unknown backing");
	set_bad("backing", "file:", -EINVAL, "file:DIR");
	set_bad("lock", "nope", -EINVAL, "unknown lock method 'nope'");
	set_bad("lock", "MLOCK", -EINVAL, NULL);
	set_bad("pin", "nope", -EINVAL, "unknown pin policy");
	set_bad("reps", "0", -ERANGE, NULL);
	set_bad("reps", "100001", -ERANGE, NULL);
	set_bad("warmup", "1001", -ERANGE, NULL);
	set_bad("membind", "-1", -EINVAL, NULL);
	set_bad("membind", "4096", -ERANGE, NULL);
	set_bad("timeout", "0", -ERANGE, NULL);
	set_bad("seed", "x", -EINVAL, NULL);
}

static void test_set_collect_too_long(void **state)
{
	char big[400];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	set_bad("collect", big, -EINVAL, "too long");
}

/* --probe: probes only (collectors marked so), their options checked; not identity */
static void test_set_probe(void **state)
{
	struct job j;

	job_init(&j, "t");
	assert_string_equal(j.probe, "none");
	assert_false(job_option_identity(opt_index("probe")));
	set_ok(&j, "probe", "mmap_lock");
	assert_string_equal(j.probe, "mmap_lock");
	set_ok(&j, "probe", "mmap_lock:interval=10us");
	set_ok(&j, "probe", "none");
	set_bad("probe", "vmstat", -EINVAL, "unknown probe 'vmstat' (none, mmap_lock)");
	set_bad("probe", "mmap_lock,nope", -EINVAL, "unknown probe 'nope'");
	set_bad("probe", "mmap_lock:interval=5us", -EINVAL, "interval=100us|10us|1ms|0");
}

static void validate_bad(struct job *j, int err, const char *needle)
{
	struct errmsg e = { "" };
	int ret = job_validate(j, &e);

	if (ret != err)
		fail_msg("got %d (%s), want %d", ret, e.buf, err);
	assert_non_null(strstr(e.buf, needle));
	assert_non_null(strstr(e.buf, j->name));
}

static void test_validate(void **state)
{
	struct errmsg e = { "" };
	char dir[] = "/tmp/mlb-test-options-XXXXXX", file[128];
	struct job j;
	FILE *f;

	job_init(&j, "v");
	assert_int_equal(job_validate(&j, &e), 0);

	set_ok(&j, "lock", "map-locked");
	assert_int_equal(job_validate(&j, &e), 0);	/* shmem: fine */
	set_ok(&j, "backing", "anon-cow");
	validate_bad(&j, -EINVAL, "map-locked");
	set_ok(&j, "backing", "thp-anon");
	validate_bad(&j, -EINVAL, "map-locked");
	set_ok(&j, "lock", "mlock");
	assert_int_equal(job_validate(&j, &e), 0);

	job_init(&j, "v");
	set_ok(&j, "membind", "0");
	assert_int_equal(job_validate(&j, &e), 0);
	set_ok(&j, "interleave", NULL);
	validate_bad(&j, -EINVAL, "membind and interleave");
	set_ok(&j, "membind", "0");
	set_ok(&j, "interleave", "0");
	assert_int_equal(job_validate(&j, &e), 0);

	assert_non_null(mkdtemp(dir));
	job_init(&j, "v");
	snprintf(file, sizeof(file), "file:%s", dir);
	set_ok(&j, "backing", file);
	assert_int_equal(job_validate(&j, &e), 0);
	snprintf(file, sizeof(file), "file:%s/missing", dir);
	set_ok(&j, "backing", file);
	validate_bad(&j, -ENOENT, "does not exist");
	/* a regular file is not a directory */
	snprintf(file, sizeof(file), "%s/plain", dir);
	f = fopen(file, "w");
	assert_non_null(f);
	fclose(f);
	snprintf(j.backing_dir, sizeof(j.backing_dir), "%s", file);
	validate_bad(&j, -ENOENT, "does not exist");
	unlink(file);
	assert_int_equal(rmdir(dir), 0);
}

/* A workload's own job options only with it; a workload's only lock method implied. */
static void test_workload_options(void **state)
{
	struct errmsg e = { "" };
	char buf[64];
	struct job j;
	size_t i, ri = 0, li = 0;
	FILE *f;
	struct job *jobs;
	size_t n;
	static const char ini[] = "[global]\nworkload = munlockall-reserve\nreserve = 1G\n\n"
				  "[r]\n\n[x]\nworkload = exit\n";

	for (i = 0; i < job_option_count(); i++) {
		if (!strcmp(job_option_name(i), "reserve"))
			ri = i;
		if (!strcmp(job_option_name(i), "lock"))
			li = i;
	}
	assert_true(ri && li);
	job_init(&j, "w");
	assert_null(job_option_value(&j, ri));	/* not exit's: not echoed */
	assert_int_equal(job_option_format(&j, ri, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "none");
	set_ok(&j, "reserve", "1G");
	validate_bad(&j, -EINVAL, "--reserve is an option of --workload munlockall-reserve, not exit");
	job_init(&j, "w");
	set_ok(&j, "vmas", "4");
	set_ok(&j, "workload", "munlockall-reserve");
	validate_bad(&j, -EINVAL, "--vmas is an option of --workload vmas, not munlockall-reserve");

	job_init(&j, "w");
	set_ok(&j, "workload", "munlockall-reserve");
	assert_int_equal(j.lock, LOCK_MLOCKALL);
	assert_string_equal(job_option_value(&j, li), "mlockall");
	assert_string_equal(job_option_value(&j, ri), "64G");	/* its default, in effect */
	assert_int_equal(job_option_format(&j, ri, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "68719476736");
	assert_int_equal(job_validate(&j, &e), 0);
	set_ok(&j, "lock", "mlock");
	validate_bad(&j, -EINVAL, "locks with mlockall only, not --lock mlock");
	set_ok(&j, "lock", "mlockall");
	assert_int_equal(job_validate(&j, &e), 0);
	/* a given --lock is kept whatever the workload: validate says no */
	job_init(&j, "w");
	set_ok(&j, "lock", "onfault");
	set_ok(&j, "workload", "munlockall-reserve");
	assert_int_equal(j.lock, LOCK_ONFAULT);
	validate_bad(&j, -EINVAL, "not --lock onfault");
	set_ok(&j, "reserve", "1M");
	set_ok(&j, "lock", "mlockall");
	validate_bad(&j, -EINVAL, "--reserve must be at least 64M");
	set_bad("reserve", "1G,2G", -EINVAL, "one size");
	set_bad("vmas", "0", -ERANGE, "vmas");

	/* the reservation counts in full against RLIMIT_MEMLOCK (mlockall) */
	{
		struct job_limits l = { .mem_available = 64ull << 30, .memlock_soft = 2ull << 30,
					.page_size = 4096 };

		job_init(&j, "m");
		set_ok(&j, "workload", "munlockall-reserve");
		set_ok(&j, "size", "4M");
		set_ok(&j, "reserve", "1G");
		assert_int_equal(job_check_limits(&j, &l, &e), 0);
		set_ok(&j, "reserve", "4G");
		assert_int_equal(job_check_limits(&j, &l, &e), -EPERM);
		assert_non_null(strstr(e.buf, "mlockall over --reserve needs 4164M"));
		l.cap_ipc_lock = true;
		assert_int_equal(job_check_limits(&j, &l, &e), 0);
	}
	/* a section's own workload drops what [global]'s implied */
	f = fmemopen((void *)ini, strlen(ini), "r");
	assert_non_null(f);
	job_init(&j, "base");
	assert_int_equal(jobfile_load_stream(f, "t.ini", &j, &jobs, &n, &e), 0);
	fclose(f);
	assert_int_equal(n, 2);
	assert_int_equal(jobs[0].lock, LOCK_MLOCKALL);
	assert_int_equal(jobs[0].reserve, 1ull << 30);
	assert_int_equal(jobs[1].lock, LOCK_MLOCK);
	validate_bad(&jobs[1], -EINVAL, "--reserve is an option of --workload munlockall-reserve");
	free(jobs);
}

static struct job_limits limits(uint64_t avail, uint64_t memlock, bool cap)
{
	return (struct job_limits){ .mem_available = avail, .memlock_soft = memlock,
				    .cap_ipc_lock = cap };
}

static void test_limits_80(void **state)
{
	struct job_limits l = limits(10 * GIB, UINT64_MAX, true);
	struct errmsg e = { "" };
	struct job j;

	struct footprint f;

	job_init(&j, "big");
	set_ok(&j, "size", "8G");
	/* 80% of MemAvailable holds the mlocked memory with its page tables and children */
	footprint_estimate(4, 0, 8 * GIB, BACKING_SHMEM, 0, &f);
	l.mem_available = (f.total + 7) / 8 * 10;	/* exactly enough */
	assert_int_equal(job_check_limits(&j, &l, &e), 0);
	l.mem_available -= 10;
	assert_int_equal(job_check_limits(&j, &l, &e), -E2BIG);
	l.mem_available = 10 * GIB;
	assert_int_equal(job_check_limits(&j, &l, &e), -E2BIG);	/* 8G alone is 80% */
	set_ok(&j, "size", "8388612K");	/* 80% + 4K */
	assert_int_equal(job_check_limits(&j, &l, &e), -E2BIG);
	assert_non_null(strstr(e.buf, "80%"));
	assert_non_null(strstr(e.buf, "--force"));
	assert_non_null(strstr(e.buf, "big"));
	assert_non_null(strstr(e.buf, "10G"));	/* MemAvailable, shown */
	/* the largest value of a sweep counts */
	set_ok(&j, "size", "4M,9G,16M");
	e.buf[0] = 0;
	assert_int_equal(job_check_limits(&j, &l, &e), -E2BIG);
	assert_non_null(strstr(e.buf, "9G"));
	set_ok(&j, "force", NULL);
	assert_int_equal(job_check_limits(&j, &l, &e), 0);
	/* force does not lift RLIMIT_MEMLOCK */
	l = limits(10 * GIB, 64 << 10, false);
	assert_int_equal(job_check_limits(&j, &l, &e), -EPERM);
}

static void test_limits_memlock(void **state)
{
	struct job_limits l = limits(16 * GIB, 64 << 10, false);
	struct errmsg e = { "" };
	struct job j;

	job_init(&j, "small");	/* 64M */
	assert_int_equal(job_check_limits(&j, &l, &e), -EPERM);
	assert_non_null(strstr(e.buf, "RLIMIT_MEMLOCK is 64K"));
	assert_non_null(strstr(e.buf, "64M"));
	assert_non_null(strstr(e.buf, "CAP_IPC_LOCK"));
	assert_non_null(strstr(e.buf, "ulimit -l"));
	assert_null(strchr(e.buf, '\n'));

	l.cap_ipc_lock = true;
	assert_int_equal(job_check_limits(&j, &l, &e), 0);
	l = limits(16 * GIB, UINT64_MAX, false);
	assert_int_equal(job_check_limits(&j, &l, &e), 0);
	l = limits(16 * GIB, 64 * MIB, false);	/* exactly enough */
	assert_int_equal(job_check_limits(&j, &l, &e), 0);

	/* mlockall also locks the harness itself: 64M of slack */
	set_ok(&j, "lock", "mlockall");
	assert_int_equal(job_check_limits(&j, &l, &e), -EPERM);
	assert_non_null(strstr(e.buf, "128M"));
	l.memlock_soft = 128 * MIB;
	assert_int_equal(job_check_limits(&j, &l, &e), 0);
	l.memlock_soft = 96 * MIB;
	l.cap_ipc_lock = true;
	assert_int_equal(job_check_limits(&j, &l, &e), 0);
}

static void test_expand(void **state)
{
	struct errmsg e = { "" };
	struct config *c;
	struct job j[2];
	size_t n, i;

	job_init(&j[0], "a");
	set_ok(&j[0], "procs", "1,2,4");
	set_ok(&j[0], "plain", "0,3");
	set_ok(&j[0], "size", "4M,8M");
	job_init(&j[1], "b");
	set_ok(&j[1], "workload", "munmap");
	set_ok(&j[1], "procs", "5,6");
	assert_int_equal(runner_expand(j, 2, &c, &n, &e), 0);
	assert_int_equal(n, 3 * 2 * 2 + 2);
	for (i = 0; i < n; i++) {
		assert_int_equal(c[i].id, i);
		assert_ptr_equal(c[i].job, &j[i < 12 ? 0 : 1]);
		assert_non_null(c[i].wl);
		assert_string_equal(c[i].wl->name, i < 12 ? "exit" : "munmap");
	}
	/* procs varies fastest, then plain, then size: sweep order */
	for (i = 0; i < 12; i++) {
		assert_true(c[i].procs == j[0].procs.v[i % 3]);
		assert_true(c[i].plain == j[0].plain.v[i / 3 % 2]);
		assert_true(c[i].size == j[0].size.v[i / 6]);
	}
	assert_true(c[12].procs == 5 && c[13].procs == 6);
	assert_true(c[12].plain == 0 && c[12].size == 64 * MIB);
	free(c);
}

/* --prot: a sweep of rw/ro, identity, one configuration per value, file backings only. */
static void test_prot(void **state)
{
	struct errmsg e = { "" };
	struct config *c;
	char buf[64];
	struct job j;
	size_t n, i;

	job_init(&j, "p");
	assert_int_equal(j.prot.n, 1);
	assert_true(j.prot.v[0] == PROT_MODE_RW);
	assert_string_equal(opt_value(&j, "prot"), "rw");
	assert_true(job_option_identity(opt_index("prot")));
	set_ok(&j, "prot", "ro");
	assert_true(j.prot.n == 1 && j.prot.v[0] == PROT_MODE_RO);
	set_ok(&j, "prot", "rw,ro");
	assert_int_equal(job_option_format(&j, opt_index("prot"), buf, sizeof(buf)), 0);
	assert_string_equal(buf, "rw,ro");
	set_bad("prot", "rx", -EINVAL, "unknown protection 'rx'");
	set_bad("prot", "rw,rw", -EINVAL, "twice");
	set_bad("prot", "rw,", -EINVAL, "empty");
	set_bad("prot", "", -EINVAL, "empty");
	set_bad("prot", "rw,...,ro", -EINVAL, "unknown");

	set_ok(&j, "procs", "1,2");
	assert_int_equal(runner_expand(&j, 1, &c, &n, &e), 0);
	assert_int_equal(n, 4);
	for (i = 0; i < n; i++) {
		assert_true(c[i].procs == 1 + i % 2);
		assert_int_equal(c[i].prot, i < 2 ? PROT_MODE_RW : PROT_MODE_RO);
	}
	free(c);

	/* the anon area is read-only in every child already: ro would measure nothing new */
	assert_int_equal(job_validate(&j, &e), 0);
	set_ok(&j, "backing", "anon-cow");
	validate_bad(&j, -EINVAL, "prot ro needs a file backing");
	set_ok(&j, "prot", "rw");
	assert_int_equal(job_validate(&j, &e), 0);
	set_ok(&j, "backing", "thp-shmem");
	set_ok(&j, "prot", "ro");
	assert_int_equal(job_validate(&j, &e), 0);
}

static void test_expand_limit(void **state)
{
	struct errmsg e = { "" };
	struct config *c = NULL;
	struct job j[2];
	size_t n = 0;

	job_init(&j[0], "a");
	set_ok(&j[0], "procs", "1,2,3,...,64");
	set_ok(&j[0], "plain", "0,1,2,...,63");
	assert_int_equal(runner_expand(j, 1, &c, &n, &e), 0);
	assert_int_equal(n, 4096);
	assert_int_equal(c[4095].id, 4095);
	free(c);

	c = NULL;
	job_init(&j[1], "b");
	set_ok(&j[1], "procs", "2");
	assert_int_equal(runner_expand(j, 2, &c, &n, &e), -E2BIG);
	assert_null(c);
	assert_non_null(strstr(e.buf, "4097"));
	assert_non_null(strstr(e.buf, "4096"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_set_each),
		cmocka_unit_test(test_set_flags),
		cmocka_unit_test(test_set_bad),
		cmocka_unit_test(test_set_collect_too_long),
		cmocka_unit_test(test_set_probe),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_workload_options),
		cmocka_unit_test(test_limits_80),
		cmocka_unit_test(test_limits_memlock),
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_expand_limit),
		cmocka_unit_test(test_prot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
