// SPDX-License-Identifier: GPL-2.0
/*
 * mmap_lock (`--probe mmap_lock`, or `--collect mmap_lock`): the munmap
 * RFC's symptom.  While the lockers tear down, locker 0 has a second thread
 * faulting on a mapping of its own, and a reader process reads locker 0's
 * /proc/PID/cmdline and /proc/PID/maps; each access is timed
 * (probes/mmap_lock_probe.h).  Per repetition, for each kind: accesses,
 * longest, p50 and p99 of those that began in the probed locker's own
 * teardown: release → its munmap returned (munmap), release → it was
 * reaped (exit; the fault thread dies at the exit's start, so it shows
 * the time until then only).
 *
 * A collector, not ops of its own: the rings come and go with the
 * repetition hooks, the metrics go through the sink declared like any
 * other (compare's directions and stars), and being a perturbing collector
 * its repetitions alternate with clean ones, are marked instrumented and
 * stay out of the timing statistics.  Only the thread needs the engine: a
 * process can start a thread in itself only (the in_locker hook).
 *
 * One locker, not each: the lockers are alike, each mm has its own lock,
 * and the probe's cost (two more busy tasks) stays the same whatever P.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "collectors/builtin.h"
#include "common/timeutil.h"
#include "engine/metric_sink.h"
#include "probes/mmap_lock_probe.h"

#define ML_LOCKER 0		/* the probed locker */
#define ML_RING_CAP (1u << 18)	/* 4 MiB a ring: 26 s of accesses at 10^4/s */
#define ML_START_MS 2000	/* for the probers' first access, before the release */
#define ML_STOP_MS 2000

struct ml_state {
	uint64_t interval_ns;
	struct mlp_ring *fault, *proc;	/* this repetition's, NULL between */
	pid_t reader;			/* 0: none running */
	uint64_t reps;			/* repetitions probed */
	uint64_t longest_ns[MLP_NKINDS];	/* over the run */
};

static const char *const interval_choices[] = { "100us", "10us", "1ms", "0", NULL };
static const uint64_t interval_ns[] = { 100000, 10000, 1000000, 0 };

static const struct ops_option ml_options[] = {
	{ "interval", interval_choices,
	  "pause after each access of the fault thread and of the reader (0: back to back)" },
	{ NULL },
};

/* Reap the reader, unmap the rings: after a repetition, or one that failed. */
static void ml_release(struct ml_state *s)
{
	if (s->reader > 0)
		mlp_reader_finish(s->proc, s->reader, ML_STOP_MS, NULL);
	s->reader = 0;
	mlp_ring_delete(s->fault);
	mlp_ring_delete(s->proc);
	s->fault = s->proc = NULL;
}

static void ml_close(void *state)
{
	struct ml_state *s = state;

	if (!s)
		return;
	ml_release(s);
	free(s);
}

static int ml_open(void **state, const struct ops_args *args, struct errmsg *e)
{
	struct ml_state *s = calloc(1, sizeof(*s));

	if (!s)
		return errmsg_set(e, -ENOMEM, "out of memory");
	s->interval_ns = interval_ns[args->choice[0]];
	*state = s;
	return 0;
}

/* Before the lockers fork: they inherit the fault ring. */
static int ml_setup_begin(void *state, const struct rep_info *r, struct errmsg *e)
{
	struct ml_state *s = state;
	int ret;

	(void)r;
	ml_release(s);		/* whatever a failed repetition left */
	ret = mlp_ring_new(ML_RING_CAP, &s->fault, e);
	return ret ? ret : mlp_ring_new(ML_RING_CAP, &s->proc, e);
}

static int ml_in_locker(void *state, unsigned int locker)
{
	struct ml_state *s = state;
	struct mlp_fault_thread *t;

	if (locker != ML_LOCKER)
		return 0;
	if (!s->fault)
		return -EINVAL;
	/* never stopped: it dies with the locker, which exits after its teardown */
	return mlp_fault_thread_start(s->fault, s->interval_ns, &t);
}

static void sleep_us(long us)
{
	struct timespec ts = { 0, us * 1000 };

	nanosleep(&ts, NULL);
}

/* Whether @pid has exited (not reaped: it is the engine's child to reap). */
static bool exited(pid_t pid)
{
	siginfo_t si = { 0 };

	return !waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT) && si.si_pid == pid;
}

/* Both probers have made an access: they run when the release comes. */
static int wait_started(struct ml_state *s, pid_t locker, struct errmsg *e)
{
	uint64_t deadline = now_ns() + ML_START_MS * 1000000ull;
	int status;

	while (!mlp_ring_written(s->proc) || !mlp_ring_written(s->fault)) {
		/* killed (a signal, --timeout): the engine says why */
		if (exited(locker))
			return errmsg_set(e, -ECHILD, "mmap_lock: locker %d died before the release",
					  ML_LOCKER);
		if (waitpid(s->reader, &status, WNOHANG) == s->reader) {
			s->reader = 0;
			return errmsg_set(e, -ECHILD, "mmap_lock: the reader of locker %d's /proc "
					  "files exited at once (status 0x%x)", ML_LOCKER, status);
		}
		if (now_ns() > deadline)
			return errmsg_set(e, -ETIMEDOUT, "mmap_lock: no %s access within %d ms of "
					  "the start", mlp_ring_written(s->proc) ? "fault" : "/proc",
					  ML_START_MS);
		sleep_us(100);
	}
	return 0;
}

static int ml_teardown_begin(void *state, const struct rep_info *r, struct errmsg *e)
{
	struct ml_state *s = state;
	int ret;

	if (!s->proc || !r->pids || r->procs <= ML_LOCKER)
		return errmsg_set(e, -EINVAL, "mmap_lock: no locker to probe");
	ret = mlp_reader_spawn(s->proc, r->pids[ML_LOCKER], s->interval_ns, &s->reader, e);
	return ret ? ret : wait_started(s, r->pids[ML_LOCKER], e);
}

static int emit_kind(struct ml_state *s, struct metric_sink *out, struct mlp_ring *ring,
		     enum mlp_kind k, uint64_t from, uint64_t to)
{
	static const char *const stat[] = { "max_ns", "p50_ns", "p99_ns" };
	const char *kind = mlp_kind_name(k);
	struct mlp_stats st;
	double v[3];
	char name[48];
	int i, ret;

	ret = mlp_ring_stats(ring, k, true, from, to, &st);
	if (ret)
		return ret;
	snprintf(name, sizeof(name), "%s.count", kind);
	ret = metric_emit(out, "mmap_lock", name, st.count, "count");
	v[0] = st.longest_ns;
	v[1] = st.p50_ns;
	v[2] = st.p99_ns;
	/* no access in the window (exit's fault thread): no stall to state */
	for (i = 0; i < 3 && !ret; i++) {
		snprintf(name, sizeof(name), "%s.%s", kind, stat[i]);
		ret = st.count ? metric_emit(out, "mmap_lock", name, v[i], "ns")
			       : metric_emit_na(out, "mmap_lock", name, "ns");
	}
	if (st.longest_ns > s->longest_ns[k])
		s->longest_ns[k] = st.longest_ns;
	return ret;
}

static int ml_teardown_end(void *state, const struct rep_info *r, struct metric_sink *out,
			   struct errmsg *e)
{
	struct ml_state *s = state;
	uint64_t from = r->release_ns, to;
	int ret;

	if (!s->proc || !r->end_ns)
		return errmsg_set(e, -EINVAL, "mmap_lock: teardown_end without a window");
	to = r->end_ns[ML_LOCKER] + 1;
	ret = mlp_reader_finish(s->proc, s->reader, ML_STOP_MS, e);
	s->reader = 0;
	if (!ret)
		ret = emit_kind(s, out, s->fault, MLP_FAULT, from, to);
	if (!ret)
		ret = emit_kind(s, out, s->proc, MLP_CMDLINE, from, to);
	if (!ret)
		ret = emit_kind(s, out, s->proc, MLP_MAPS, from, to);
	s->reps++;
	ml_release(s);
	return ret;
}

static void ml_describe(void *state, json_t *o)
{
	struct ml_state *s = state;
	json_t *longest = json_object();
	int k;

	json_object_set_new(o, "method", json_string("fault thread in locker 0 and a reader "
						      "of its /proc/PID/cmdline and maps, "
						      "each access timed"));
	json_object_set_new(o, "probed_locker", json_integer(ML_LOCKER));
	json_object_set_new(o, "interval_ns", json_integer(s->interval_ns));
	json_object_set_new(o, "ring_samples", json_integer(ML_RING_CAP));
	json_object_set_new(o, "reps_probed", json_integer(s->reps));
	for (k = 0; k < MLP_NKINDS; k++)
		json_object_set_new(longest, mlp_kind_name(k), json_integer(s->longest_ns[k]));
	json_object_set_new(o, "longest_ns", longest);
}

static void ml_summary(FILE *f, const struct collector_view *v)
{
	char name[48];
	bool seen;
	int k;

	v->max(v, "fault.count", &seen);
	if (!seen)
		return;
	fprintf(f, "  mmap_lock probe (locker %d), over its teardown, per probed repetition:\n",
		ML_LOCKER);
	fprintf(f, "    %-8s %12s %18s %9s %9s %9s\n", "access", "longest(us)",
		"median longest", "p99(us)", "p50(us)", "accesses");
	for (k = 0; k < MLP_NKINDS; k++) {
		const char *kind = mlp_kind_name(k);
		double m[5];

		snprintf(name, sizeof(name), "%s.max_ns", kind);
		m[0] = v->max(v, name, &seen);
		m[1] = v->median(v, name, &seen);
		snprintf(name, sizeof(name), "%s.p99_ns", kind);
		m[2] = v->median(v, name, &seen);
		snprintf(name, sizeof(name), "%s.p50_ns", kind);
		m[3] = v->median(v, name, &seen);
		snprintf(name, sizeof(name), "%s.count", kind);
		m[4] = v->median(v, name, &seen);
		if (!isfinite(m[0])) {
			fprintf(f, "    %-8s %12s  (no access in the window)\n", kind, "n/a");
			continue;
		}
		fprintf(f, "    %-8s %12.1f %18.1f %9.1f %9.1f %9.0f\n", kind, m[0] / 1e3,
			m[1] / 1e3, m[2] / 1e3, m[3] / 1e3, isfinite(m[4]) ? m[4] : 0);
	}
}

static const struct collector_metric ml_metrics[] = {
	{ "*.max_ns", "ns", METRIC_LOWER_BETTER, "mmap-lock-stall" },
	{ "*.p99_ns", "ns", METRIC_LOWER_BETTER, "mmap-lock-stall" },
	{ "*.p50_ns", "ns", METRIC_LOWER_BETTER, "mmap-lock-stall" },
	{ "*.count", "count", METRIC_INFO, "mmap-lock-count" },
	{ NULL },
};

static const char *const ml_workloads[] = { "munmap", "exit", NULL };

const struct collector_ops mmap_lock_collector = {
	.version = COLLECTOR_OPS_VERSION,
	.name = "mmap_lock",
	.options = ml_options,
	.metrics = ml_metrics,
	.help = "probe (--probe mmap_lock): while locker 0 tears down, time each page fault "
		"of a second thread of it and each read of its /proc/PID/cmdline and maps "
		"by another process; longest, p50, p99 per kind (munmap, exit)",
	.perturbs = true,
	.workloads = ml_workloads,
	.probe = true,
	.open = ml_open,
	.setup_begin = ml_setup_begin,
	.in_locker = ml_in_locker,
	.teardown_begin = ml_teardown_begin,
	.teardown_end = ml_teardown_end,
	.describe = ml_describe,
	.close = ml_close,
	.summary = ml_summary,
};
