// SPDX-License-Identifier: GPL-2.0
/*
 * perf: counters over the teardown window through perf_event_open.
 *
 * Default scope "system": every CPU counted (perf stat -a), whatever runs
 * there: the box should be quiet.  task-clock is n/a in this scope (a
 * CPU-wide clock counts idle time too); the lockers' CPU time is in
 * samples.csv (utime/stime).
 * "perf:inherit": one counter per event on the engine process, inherited
 * by every child forked after open(); enabling, disabling and reading the
 * parent covers the children.  open() must run in the process that forks
 * them, before it forks.  Measured on 6.18: an exiting task's counters stop
 * before its exit_mm (0.11 ms counted of ~25 ms spent unmapping 256 MiB at
 * exit), so this scope misses the exit teardown; it suits munmap/munlock.
 * Hardware events the PMU lacks are reported n/a, never an error.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "collectors/builtin.h"
#include "collectors/perf_counters.h"
#include "collectors/perf_ring.h"
#include "common/timeutil.h"

const struct perf_counter_def perf_counter_defs[PERF_NCOUNTERS] = {
	{ "task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, "ns" },
	{ "context-switches", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES, "count" },
	{ "cpu-migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS, "count" },
	{ "page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, "count" },
	{ "cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, "count" },
	{ "instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, "count" },
	{ "cache-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES, "count" },
};

struct counter {
	int *fds;		/* one (inherit) or one per CPU (system) */
	int nfds;
	int err;		/* open error: n/a */
	uint64_t v0, e0, r0;	/* at teardown_begin */
};

struct perf_counters {
	bool system;
	int ncpus;
	struct counter c[PERF_NCOUNTERS];
	uint64_t hooks_ns, windows;
	double min_running_ratio;
};

static void pc_close(void *state)
{
	struct perf_counters *p = state;
	int i, j;

	if (!p)
		return;
	for (i = 0; i < PERF_NCOUNTERS; i++) {
		for (j = 0; j < p->c[i].nfds; j++)
			close(p->c[i].fds[j]);
		free(p->c[i].fds);
	}
	free(p);
}

int perf_counter_open(const struct perf_counter_def *d, bool system, int cpu)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = d->type;
	a.config = d->config;
	a.disabled = 1;
	a.inherit = !system;
	a.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
	return system ? perf_open(&a, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC)
		      : perf_open(&a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

static int pc_open_scope(void **state, bool system, struct errmsg *e)
{
	struct perf_counters *p = calloc(1, sizeof(*p));
	int i, cpu, fd, usable = 0, first_err = 0;

	if (!p)
		return errmsg_set(e, -ENOMEM, "out of memory");
	p->system = system;
	p->ncpus = system ? sysconf(_SC_NPROCESSORS_CONF) : 1;
	p->min_running_ratio = 1;
	for (i = 0; i < PERF_NCOUNTERS; i++) {
		struct counter *c = &p->c[i];

		c->fds = calloc(p->ncpus, sizeof(int));
		if (!c->fds) {
			pc_close(p);
			return errmsg_set(e, -ENOMEM, "out of memory");
		}
		for (cpu = 0; cpu < p->ncpus; cpu++) {
			if (system && perf_counter_defs[i].type == PERF_TYPE_SOFTWARE &&
			    perf_counter_defs[i].config == PERF_COUNT_SW_TASK_CLOCK) {
				c->err = -EOPNOTSUPP;	/* counts idle time CPU-wide */
				break;
			}
			fd = perf_counter_open(&perf_counter_defs[i], system, cpu);
			if (fd == -ENODEV && system && c->nfds)
				continue;	/* offline CPU */
			if (fd < 0) {
				c->err = fd;
				break;
			}
			c->fds[c->nfds++] = fd;
		}
		if (c->err) {
			while (c->nfds)
				close(c->fds[--c->nfds]);
			if (!first_err && perf_counter_defs[i].type != PERF_TYPE_HARDWARE)
				first_err = c->err;
		} else {
			usable++;
		}
	}
	if (!usable) {
		pc_close(p);
		return errmsg_set(e, first_err ?: -EOPNOTSUPP,
				  "perf: no counter can be opened: %s",
				  strerror(-(first_err ?: -EOPNOTSUPP)));
	}
	*state = p;
	return 0;
}

static const char *const scope_choices[] = { "system", "inherit", NULL };

static const struct ops_option pc_options[] = {
	{ "scope", scope_choices,
	  "system: every CPU (perf stat -a); inherit: the engine and its children" },
	{ NULL },
};

static int pc_open(void **state, const struct ops_args *args, struct errmsg *e)
{
	return pc_open_scope(state, args->choice[0] == 0, e);
}

static int read_sum(const struct counter *c, uint64_t *v, uint64_t *en, uint64_t *run)
{
	int j, ret;

	*v = *en = *run = 0;
	for (j = 0; j < c->nfds; j++) {
		uint64_t a, b, d;
		double s;

		ret = perf_read_scaled(c->fds[j], &a, &b, &d, &s);
		if (ret)
			return ret;
		*v += a;
		*en += b;
		*run += d;
	}
	return 0;
}

static int pc_teardown_begin(void *state, const struct rep_info *r, struct errmsg *e)
{
	struct perf_counters *p = state;
	uint64_t t0 = now_ns();
	int i, j, ret;

	for (i = 0; i < PERF_NCOUNTERS; i++) {
		struct counter *c = &p->c[i];

		if (c->err)
			continue;
		ret = read_sum(c, &c->v0, &c->e0, &c->r0);
		if (ret)
			return errmsg_set(e, ret, "perf: read %s: %s", perf_counter_defs[i].name,
					  strerror(-ret));
	}
	for (i = 0; i < PERF_NCOUNTERS; i++)
		for (j = 0; j < p->c[i].nfds; j++)
			if (ioctl(p->c[i].fds[j], PERF_EVENT_IOC_ENABLE, 0))
				return errmsg_set(e, -errno, "perf: enable: %s", strerror(errno));
	p->hooks_ns += now_ns() - t0;
	return 0;
}

static int pc_teardown_end(void *state, const struct rep_info *r, struct metric_sink *out,
			   struct errmsg *e)
{
	struct perf_counters *p = state;
	uint64_t t0 = now_ns();
	char m[64];
	int i, j, ret = 0;

	for (i = 0; i < PERF_NCOUNTERS; i++)
		for (j = 0; j < p->c[i].nfds; j++)
			ioctl(p->c[i].fds[j], PERF_EVENT_IOC_DISABLE, 0);
	for (i = 0; i < PERF_NCOUNTERS && !ret; i++) {
		const struct perf_counter_def *d = &perf_counter_defs[i];
		struct counter *c = &p->c[i];
		uint64_t v, en, run;
		double scaled;

		if (c->err) {
			ret = metric_emit_na(out, "perf", d->name, d->unit);
			continue;
		}
		ret = read_sum(c, &v, &en, &run);
		if (ret)
			return errmsg_set(e, ret, "perf: read %s: %s", d->name, strerror(-ret));
		v -= c->v0;
		en -= c->e0;
		run -= c->r0;
		scaled = perf_scale(v, en, run);
		if (en && (double)run / en < p->min_running_ratio)
			p->min_running_ratio = (double)run / en;
		ret = metric_emit(out, "perf", d->name, scaled, d->unit);
		snprintf(m, sizeof(m), "%s.enabled_ns", d->name);
		ret = ret ?: metric_emit(out, "perf", m, en, "ns");
		snprintf(m, sizeof(m), "%s.running_ns", d->name);
		ret = ret ?: metric_emit(out, "perf", m, run, "ns");
	}
	p->windows++;
	p->hooks_ns += now_ns() - t0;
	return ret ? errmsg_set(e, ret, "perf: %s", strerror(-ret)) : 0;
}

double perf_scale(uint64_t value, uint64_t enabled, uint64_t running)
{
	if (!running)
		return 0;
	if (running < enabled)
		return (double)value * enabled / running;
	return value;
}

static void pc_describe(void *state, json_t *o)
{
	struct perf_counters *p = state;
	json_t *na = json_object(), *cost = json_object();
	int i;

	json_object_set_new(o, "method", json_string("perf_event_open"));
	json_object_set_new(o, "scope", json_string(p->system ?
		"system-wide: every CPU counted, whatever runs there" :
		"inherited: the engine process and every child it forks, counted per task; "
		"misses the exit teardown (counters detach before exit_mm)"));
	json_object_set_new(o, "window", json_string("teardown"));
	json_object_set_new(o, "scaling", json_string("value x enabled / running, both recorded"));
	for (i = 0; i < PERF_NCOUNTERS; i++)
		if (p->c[i].err)
			json_object_set_new(na, perf_counter_defs[i].name,
					    json_string(p->c[i].err == -EOPNOTSUPP && p->system ?
							"counts idle time system-wide; see utime/stime" :
							strerror(-p->c[i].err)));
	json_object_set_new(o, "unavailable", na);
	json_object_set_new(o, "min_running_ratio", json_real(p->min_running_ratio));
	json_object_set_new(cost, "hooks_ns", json_integer(p->hooks_ns));
	json_object_set_new(cost, "windows", json_integer(p->windows));
	json_object_set_new(o, "cost", cost);
}

#define PERF_HELP \
	"context-switches, cpu-migrations, page-faults, and cycles, instructions, " \
	"cache-misses where the PMU has them (else n/a) over the teardown window on every " \
	"CPU, scaled by enabled/running (task-clock n/a system-wide); perf:inherit counts " \
	"the engine and its children instead, with task-clock, but misses exit's teardown"

/* Work done in the window is a cost; instructions retired only describe it. */
static const struct collector_metric pc_metrics[] = {
	{ "*.enabled_ns", "ns", METRIC_INFO, "perf-scaling" },
	{ "*.running_ns", "ns", METRIC_INFO, "perf-scaling" },
	{ "instructions", "count", METRIC_INFO, "perf" },
	{ "task-clock", "ns", METRIC_LOWER_BETTER, "perf" },
	{ "context-switches", "count", METRIC_LOWER_BETTER, "perf" },
	{ "cpu-migrations", "count", METRIC_LOWER_BETTER, "perf" },
	{ "page-faults", "count", METRIC_LOWER_BETTER, "perf" },
	{ "cycles", "count", METRIC_LOWER_BETTER, "perf" },
	{ "cache-misses", "count", METRIC_LOWER_BETTER, "perf" },
	{ NULL },
};

/* One line: each counter's median, n/a where the PMU refused. */
static void pc_summary(FILE *f, const struct collector_view *v)
{
	bool seen, any = false;
	int i;

	for (i = 0; i < PERF_NCOUNTERS; i++) {
		const char *ev = perf_counter_defs[i].name;
		double m = v->median(v, ev, &seen);

		if (!seen)
			continue;
		if (!any)
			fprintf(f, "  perf (%s):", v->method);
		any = true;
		if (isfinite(m))
			fprintf(f, " %s %.0f", ev, m);
		else
			fprintf(f, " %s n/a", ev);
	}
	if (any)
		fputc('\n', f);
}

const struct collector_ops perf_collector = {
	.version = COLLECTOR_OPS_VERSION,
	.name = "perf",
	.help = PERF_HELP,
	.options = pc_options,
	.metrics = pc_metrics,
	.perturbs = true,
	.open = pc_open,
	.teardown_begin = pc_teardown_begin,
	.teardown_end = pc_teardown_end,
	.describe = pc_describe,
	.close = pc_close,
	.summary = pc_summary,
};
