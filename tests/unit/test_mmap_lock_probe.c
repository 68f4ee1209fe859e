// SPDX-License-Identifier: GPL-2.0
/*
 * mmap_lock probe: the ring's bookkeeping (overwrite, totals, percentiles,
 * windows), and a live run: a child mlocks 256M (MLB_PROBE_MB to change),
 * starts the fault thread, then munmaps the area (or not) while a reader
 * process reads its /proc files.  Only structural things are asserted;
 * the stalls are printed as figures.
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

#include "common/timeutil.h"
#include "probes/mmap_lock_probe.h"

static void test_ring_bookkeeping(void **unused)
{
	struct mlp_ring *r;
	struct mlp_stats s;
	uint64_t st[16], du[16], i, sum = 0;
	struct errmsg e = { "" };

	assert_int_equal(mlp_ring_new(0, &r, &e), -EINVAL);
	assert_int_equal(mlp_ring_new(MLP_RING_MAX + 1ull, &r, &e), -EINVAL);
	assert_int_equal(mlp_ring_new(8, &r, &e), 0);

	/* 20 faults of 1..20 ns at t = 100, 200, ...; the slowest first */
	mlp_ring_record(r, MLP_FAULT, 50, 1000, 0);
	for (i = 1; i <= 19; i++)
		mlp_ring_record(r, MLP_FAULT, 100 * i, i, i == 19 ? -EIO : 0);
	mlp_ring_record(r, MLP_CMDLINE, 5000, 7, 0);
	mlp_ring_record(r, MLP_MAPS, 5100, 9, 0);

	assert_int_equal(mlp_ring_stats(r, MLP_FAULT, false, 0, 0, &s), 0);
	assert_int_equal(s.count, 20);
	assert_int_equal(s.errors, 1);
	assert_int_equal(s.longest_ns, 1000);		/* overwritten, still the longest */
	assert_int_equal(s.longest_start_ns, 50);
	assert_int_equal(s.overwritten, 22 - 8);
	assert_int_equal(s.kept, 6);			/* faults 14..19 */
	assert_int_equal(s.p50_ns, 16);			/* nearest rank 3 of 6 */
	assert_int_equal(s.p99_ns, 19);
	assert_true(s.longest_ns >= s.p99_ns && s.p99_ns >= s.p50_ns);
	for (i = 0; i < MLP_HIST_BUCKETS; i++)
		sum += s.hist[i];
	assert_int_equal(sum, 20);
	assert_int_equal(s.hist[0], 1);			/* 1 ns */
	assert_int_equal(s.hist[1], 2);			/* 2, 3 */
	assert_int_equal(s.hist[9], 1);			/* 1000 in [512, 1024) */

	assert_int_equal(mlp_ring_samples(r, MLP_FAULT, st, du, 16), 6);
	assert_int_equal(st[0], 1400);
	assert_int_equal(du[5], 19);
	assert_int_equal(mlp_ring_samples(r, MLP_FAULT, st, du, 2), 2);

	/* a window over the kept samples */
	assert_int_equal(mlp_ring_stats(r, MLP_FAULT, true, 1500, 1800, &s), 0);
	assert_int_equal(s.count, 3);
	assert_int_equal(s.longest_ns, 17);
	assert_int_equal(s.longest_start_ns, 1700);
	assert_int_equal(s.p50_ns, 16);

	assert_int_equal(mlp_ring_stats(r, MLP_MAPS, false, 0, 0, &s), 0);
	assert_int_equal(s.count, 1);
	assert_int_equal(s.p99_ns, 9);
	assert_int_equal(mlp_ring_stats(r, MLP_NKINDS, false, 0, 0, &s), -EINVAL);

	mlp_ring_inflight(r, 777);
	assert_int_equal(mlp_ring_stats(r, MLP_CMDLINE, false, 0, 0, &s), 0);
	assert_int_equal(s.unfinished_start_ns, 777);
	assert_false(mlp_ring_stopping(r));
	mlp_ring_stop(r);
	assert_true(mlp_ring_stopping(r));
	mlp_ring_delete(r);
}

struct live {
	uint64_t t_go, t_done;		/* the munmap, as the child timed it */
	uint64_t munmap_ns;
};

/*
 * The target: mlock @mb MiB, start the fault thread, 'r'; on 'g' munmap
 * (when @do_munmap) and report the times on @res; on 's' or EOF stop the thread.
 */
static void target(int ctl, int res, size_t mb, bool do_munmap, struct mlp_ring *fr)
{
	struct mlp_fault_thread *t;
	size_t len = mb << 20;
	struct live l = { 0 };
	char c = 'r';
	char *a;

	a = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
		 -1, 0);
	if (a == MAP_FAILED || mlock(a, len))
		_exit(2);
	if (mlp_fault_thread_start(fr, 100000, &t))
		_exit(3);
	if (write(res, &c, 1) != 1 || read(ctl, &c, 1) != 1)
		_exit(4);
	l.t_go = now_ns();
	if (do_munmap && munmap(a, len))
		_exit(5);
	l.t_done = now_ns();
	l.munmap_ns = l.t_done - l.t_go;
	if (write(res, &l, sizeof(l)) != sizeof(l))
		_exit(4);
	/* 's' (the reader holds a copy of the pipe too: EOF comes late) */
	while (read(ctl, &c, 1) > 0 && c != 's')
		;
	_exit(mlp_fault_thread_stop(t) ? 6 : 0);
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000l };

	nanosleep(&ts, NULL);
}

static void print_kind(const char *label, struct mlp_ring *r, enum mlp_kind k,
		       const struct live *l)
{
	struct mlp_stats all, before, during;

	assert_int_equal(mlp_ring_stats(r, k, false, 0, 0, &all), 0);
	assert_int_equal(mlp_ring_stats(r, k, true, 0, l->t_go, &before), 0);
	/* an access that began up to 1 ms before the munmap can wait on it too */
	assert_int_equal(mlp_ring_stats(r, k, true, l->t_go - 1000000, l->t_done + 1, &during), 0);
	printf("# %s %-7s n=%llu kept=%llu over=%llu p50=%lluns p99=%lluns longest=%lluns "
	       "| before: n=%llu longest=%lluns | during munmap: n=%llu longest=%lluns\n",
	       label, mlp_kind_name(k), (unsigned long long)all.count,
	       (unsigned long long)all.kept, (unsigned long long)all.overwritten,
	       (unsigned long long)all.p50_ns, (unsigned long long)all.p99_ns,
	       (unsigned long long)all.longest_ns, (unsigned long long)before.count,
	       (unsigned long long)before.longest_ns, (unsigned long long)during.count,
	       (unsigned long long)during.longest_ns);
	/* structure only: samples taken, order of the statistics, overflow counted */
	assert_true(all.count > 0);
	assert_true(all.kept > 0);
	assert_true(all.longest_ns >= all.p99_ns);
	assert_true(all.p99_ns >= all.p50_ns);
	assert_true(during.longest_ns <= all.longest_ns);
}

static void live_run(bool do_munmap, size_t reader_cap)
{
	const char *env = getenv("MLB_PROBE_MB");
	size_t mb = env ? strtoul(env, NULL, 10) : 256;
	struct mlp_ring *fr, *rr;
	struct errmsg e = { "" };
	int ctl[2], res[2], status;
	uint64_t t0, total, reader_total;
	struct mlp_stats a, b;
	struct live l;
	pid_t child, reader;
	char c;

	assert_int_equal(mlp_ring_new(4096, &fr, &e), 0);
	assert_int_equal(mlp_ring_new(reader_cap, &rr, &e), 0);
	assert_int_equal(pipe(ctl), 0);
	assert_int_equal(pipe(res), 0);
	child = fork();
	assert_true(child >= 0);
	if (!child) {
		close(ctl[1]);
		close(res[0]);
		target(ctl[0], res[1], mb, do_munmap, fr);
	}
	close(ctl[0]);
	close(res[1]);
	if (read(res[0], &c, 1) != 1) {
		waitpid(child, &status, 0);
		fail_msg("target could not mlock %zu MiB (status 0x%x)", mb, status);
	}
	assert_int_equal(mlp_reader_spawn(rr, child, 50000, &reader, &e), 0);
	sleep_ms(100);				/* a baseline */
	assert_int_equal(write(ctl[1], "g", 1), 1);
	assert_int_equal(read(res[0], &l, sizeof(l)), sizeof(l));
	sleep_ms(50);

	t0 = now_ns();
	assert_int_equal(write(ctl[1], "s", 1), 1);	/* the target stops its thread, exits */
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(mlp_reader_finish(rr, reader, 2000, &e), 0);
	total = now_ns() - t0;
	assert_true(total < 5000000000ull);	/* all stopped and reaped, generously */
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);	/* nothing left */
	close(res[0]);
	close(ctl[1]);

	printf("# %s %zu MiB mlocked: munmap took %llu us\n",
	       do_munmap ? "munmap" : "no-munmap", mb, (unsigned long long)l.munmap_ns / 1000);
	print_kind(do_munmap ? "munmap" : "no-munmap", fr, MLP_FAULT, &l);
	print_kind(do_munmap ? "munmap" : "no-munmap", rr, MLP_CMDLINE, &l);
	print_kind(do_munmap ? "munmap" : "no-munmap", rr, MLP_MAPS, &l);

	/* the reader's ring says how much it overwrote (a small one must have) */
	assert_int_equal(mlp_ring_stats(rr, MLP_CMDLINE, false, 0, 0, &a), 0);
	assert_int_equal(mlp_ring_stats(rr, MLP_MAPS, false, 0, 0, &b), 0);
	reader_total = a.count + b.count;
	if (reader_cap <= 64)
		assert_true(reader_total > reader_cap);
	assert_int_equal(a.overwritten, reader_total > reader_cap ? reader_total - reader_cap : 0);
	assert_int_equal(a.kept + b.kept, reader_total > reader_cap ? reader_cap : reader_total);
	assert_int_equal(a.unfinished_start_ns, 0);
	assert_int_equal(mlp_ring_stats(fr, MLP_FAULT, false, 0, 0, &a), 0);
	assert_int_equal(a.unfinished_start_ns, 0);	/* the thread was joined */
	mlp_ring_delete(fr);
	mlp_ring_delete(rr);
}

static void test_live_munmap(void **unused)
{
	live_run(true, 1 << 16);
}

static void test_live_no_munmap(void **unused)
{
	live_run(false, 1 << 16);
}

/* A reader ring of 64 samples overflows within the run: counted. */
static void test_live_overflow(void **unused)
{
	live_run(true, 64);
}

static void test_reader_bad_target(void **unused)
{
	struct mlp_ring *r;
	struct errmsg e = { "" };
	pid_t gone, reader;

	assert_int_equal(mlp_ring_new(8, &r, &e), 0);
	assert_int_equal(mlp_reader_spawn(r, 0, 0, &reader, &e), -EINVAL);
	gone = fork();
	if (!gone)
		_exit(0);
	waitpid(gone, NULL, 0);
	assert_int_equal(mlp_reader_spawn(r, gone, 0, &reader, &e), 0);
	assert_int_equal(mlp_reader_finish(r, reader, 2000, &e), -ECHILD);
	assert_non_null(strstr(e.buf, "could not be opened"));
	mlp_ring_delete(r);
}

/*
 * A locker that calls mlockall(MCL_CURRENT | MCL_FUTURE) after starting the
 * probe (munlockall-reserve does): the fault area gets VM_LOCKED, where
 * MADV_DONTNEED fails; the thread must unlock it and keep faulting.
 */
static void test_fault_thread_under_mlockall(void **unused)
{
	struct mlp_ring *r;
	struct errmsg e = { "" };
	struct mlp_stats s;
	uint64_t t_locked;
	int status, p[2];
	pid_t pid;

	assert_int_equal(mlp_ring_new(1 << 16, &r, &e), 0);
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		struct mlp_fault_thread *t;
		uint64_t now;

		close(p[0]);
		if (mlp_fault_thread_start(r, 10000, &t))
			_exit(2);
		sleep_ms(20);
		if (mlockall(MCL_CURRENT | MCL_FUTURE))
			_exit(3);
		now = now_ns();
		if (write(p[1], &now, sizeof(now)) != sizeof(now))
			_exit(4);
		sleep_ms(100);
		_exit(mlp_fault_thread_stop(t) ? 5 : 0);
	}
	close(p[1]);
	assert_int_equal(read(p[0], &t_locked, sizeof(t_locked)), sizeof(t_locked));
	close(p[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* more than one lap of the area after mlockall: its DONTNEED worked */
	assert_int_equal(mlp_ring_stats(r, MLP_FAULT, true, t_locked, UINT64_MAX, &s), 0);
	assert_true(s.count > 2 * MLP_FAULT_PAGES);
	mlp_ring_delete(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring_bookkeeping),
		cmocka_unit_test(test_reader_bad_target),
		cmocka_unit_test(test_fault_thread_under_mlockall),
		cmocka_unit_test(test_live_no_munmap),
		cmocka_unit_test(test_live_munmap),
		cmocka_unit_test(test_live_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
