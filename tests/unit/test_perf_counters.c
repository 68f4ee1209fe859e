// SPDX-License-Identifier: GPL-2.0
/*
 * perf collector: perf:inherit counts a child forked after open(), only
 * inside the window; the default (every CPU) sees a child's exit, which the
 * inherited counters miss; hardware events n/a exactly when the PMU refuses
 * them (this machine has none), never an error.
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "collectors/builtin.h"
#include "collectors/perf_counters.h"
#include "engine/metric_sink.h"

static const struct metric_row *row(const struct metric_sink *s, const char *m)
{
	size_t i;

	for (i = 0; i < s->nrows; i++)
		if (!strcmp(s->rows[i].metric, m))
			return &s->rows[i];
	return NULL;
}

/* Fault in @pages pages, then burn @ms of CPU time (not wall: the machine may be busy). */
static void burn(long ms, int pages)
{
	struct timespec a, b;
	char *p = mmap(NULL, pages * 4096L, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile unsigned long x = 0;
	int i;

	if (pages)
		madvise(p, pages * 4096L, MADV_NOHUGEPAGE);	/* one fault per page, THP or not */
	for (i = 0; i < pages; i++)
		p[i * 4096L] = 1;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	do {
		for (i = 0; i < 100000; i++)
			x += i;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
	} while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

static void test_window_and_na(void **unused)
{
	struct metric_sink sink;
	const struct collector_ops *ops;
	struct errmsg e = { "" };
	struct rep_info r = { .procs = 1 };
	const struct metric_row *m;
	int go[2], i, st;
	char c = 'g';
	void *state;
	pid_t pid;

	if (perf_counter_open(&perf_counter_defs[0], false, -1) < 0)
		skip();	/* no perf_event_open at all (paranoid setting, seccomp) */
	metric_sink_init(&sink);
	assert_int_equal(collector_spec_open("perf:inherit", &ops, &state, &e), 0);

	assert_int_equal(pipe(go), 0);
	pid = fork();
	if (pid == 0) {
		burn(200, 0);	/* before the window: must not count */
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		burn(40, 2000);
		_exit(0);
	}
	usleep(400000);
	assert_int_equal(ops->teardown_begin(state, &r, &e), 0);
	assert_int_equal(write(go[1], &c, 1), 1);
	waitpid(pid, &st, 0);
	assert_int_equal(ops->teardown_end(state, &r, &sink, &e), 0);

	m = row(&sink, "task-clock");
	assert_non_null(m);
	assert_true(m->available);
	/* the child's 40 ms in the window, not its 200 ms before it (slack for slow faults) */
	assert_true(m->value >= 35e6);
	assert_true(m->value < 190e6);
	assert_string_equal(m->unit, "ns");
	m = row(&sink, "page-faults");
	assert_true(m && m->available && m->value >= 2000);
	assert_non_null(row(&sink, "task-clock.enabled_ns"));
	assert_non_null(row(&sink, "task-clock.running_ns"));

	/* hardware: n/a exactly when the PMU refuses the event */
	for (i = 0; i < PERF_NCOUNTERS; i++) {
		const struct perf_counter_def *d = &perf_counter_defs[i];
		int fd;

		if (d->type != PERF_TYPE_HARDWARE)
			continue;
		fd = perf_counter_open(d, false, -1);
		m = row(&sink, d->name);
		assert_non_null(m);
		if (fd < 0) {
			assert_false(m->available);
		} else {
			close(fd);
			assert_true(m->available);
			assert_true(m->value > 0);
		}
	}
	ops->close(state);
	metric_sink_release(&sink);
}

/* A child that faults in @pages pages and exits at the release. */
static void exit_window(const struct collector_ops *ops, struct metric_sink *sink, int pages)
{
	struct errmsg e = { "" };
	struct rep_info r = { .procs = 1 };
	int go[2], st;
	void *state;
	char c = 'g';
	pid_t pid;

	struct ops_args args = { { 0 } };	/* scope=system */

	assert_int_equal(ops->open(&state, &args, &e), 0);
	assert_int_equal(pipe(go), 0);
	pid = fork();
	if (pid == 0) {
		char *p = mmap(NULL, pages * 4096L, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

		if (p == MAP_FAILED || read(go[0], &c, 1) != 1)
			_exit(1);
		_exit(0);	/* the teardown happens in exit */
	}
	usleep(200000);
	assert_int_equal(ops->teardown_begin(state, &r, &e), 0);
	assert_int_equal(write(go[1], &c, 1), 1);
	waitpid(pid, &st, 0);
	assert_int_equal(ops->teardown_end(state, &r, sink, &e), 0);
	ops->close(state);
	close(go[0]);
	close(go[1]);
}

static void test_system_scope(void **unused)
{
	struct metric_sink sink;
	const struct metric_row *m;

	if (perf_counter_open(&perf_counter_defs[1], true, 0) < 0)
		skip();
	metric_sink_init(&sink);
	exit_window(&perf_collector, &sink, 1);
	/* CPU-wide task-clock would count idle time: n/a, not a wrong number */
	m = row(&sink, "task-clock");
	assert_true(m && !m->available);
	/* the parent's wake-up and the child's exit switch at least once */
	m = row(&sink, "context-switches");
	assert_true(m && m->available && m->value >= 1);
	assert_non_null(row(&sink, "context-switches.enabled_ns"));
	metric_sink_release(&sink);
}

static void test_scale(void **unused)
{
	assert_true(perf_scale(100, 200, 100) == 200);
	assert_true(perf_scale(100, 200, 200) == 100);
	assert_true(perf_scale(100, 200, 0) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window_and_na),
		cmocka_unit_test(test_system_scope),
		cmocka_unit_test(test_scale),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
