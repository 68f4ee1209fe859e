/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Collectors measure around the set-up and teardown windows of one
 * repetition.  Each is one file under collectors/ filling a
 * struct collector_ops, listed in collectors/registry.c.
 *
 * Contract: hooks never print and never exit; they return 0 or -errno and
 * explain in @e.  close() restores every tracefs/sysfs knob the collector
 * changed.  Timing-critical work happens before teardown_begin() returns
 * or after teardown_end() is called, never in between.
 */
#ifndef MLB_COLLECTOR_H
#define MLB_COLLECTOR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <jansson.h>

#include "common/errmsg.h"
#include "sysinfo/collector_avail.h"
#include "engine/locked_pages.h"
#include "engine/ops_options.h"

struct metric_sink;

/* What a collector may know about the repetition being measured. */
struct rep_info {
	unsigned int config;		/* index into the manifest's configs */
	int rep;			/* repetition number */
	const char *workload;		/* "exit", "munmap", "munlock", ... */
	struct locked_pages locked;	/* what the lockers lock, as the workload says; 0s: the area */
	uint64_t procs;			/* lockers */
	uint64_t plain;			/* non-locking mappers */
	uint64_t size;			/* bytes per locker */
	long page_size;
	const pid_t *pids;		/* lockers' pids, @procs of them */
	const char *outdir;		/* result folder (for side files such as perf.data) */
	/* teardown_end only: the window, CLOCK_MONOTONIC ns (now_ns()) */
	uint64_t release_ns;		/* the release broadcast */
	const uint64_t *end_ns;		/* per locker: its call returned / it was reaped */
};

/* Which way a change of a metric is good: compare's sign and stars. */
enum metric_direction {
	METRIC_INFO,		/* informational (counts, shares): never starred */
	METRIC_LOWER_BETTER,
	METRIC_HIGHER_BETTER,
};

/* One metric (or a family: the name is an fnmatch(3) pattern) a collector emits. */
struct collector_metric {
	const char *pattern;		/* "teardown.delta_*", "*.wait_ns" */
	const char *unit;		/* as emitted: "ns", "count", "pages", "ratio" */
	enum metric_direction direction;
	/* rows that belong together, for the reporters: "lock-wait" = per-class waits */
	const char *group;
};

/* What a summary hook may ask about one configuration of a finished run. */
struct collector_view {
	/* Median over the repetitions; NAN when n/a; *seen: any row at all. */
	double (*median)(const struct collector_view *v, const char *metric, bool *seen);
	/* Largest over the repetitions (a longest stall of the run), same rules. */
	double (*max)(const struct collector_view *v, const char *metric, bool *seen);
	const char *method;		/* describe()'s "method", "?" when unknown */
	const void *ctx;		/* the caller's */
};

/* The hooks around one repetition, in the order the engine calls them. */
enum collector_hook {
	COLLECTOR_SETUP_BEGIN,
	COLLECTOR_SETUP_END,
	COLLECTOR_TEARDOWN_BEGIN,
	COLLECTOR_TEARDOWN_END,
};

#define COLLECTOR_OPS_VERSION 3

struct collector_ops {
	unsigned int version;		/* COLLECTOR_OPS_VERSION */
	const char *name;
	const char *help;
	/* `--collect name:opt=val:...`; NULL-name terminated, NULL for none */
	const struct ops_option *options;
	/* NULL-pattern terminated; a metric not listed is informational */
	const struct collector_metric *metrics;
	/*
	 * True when running the collector changes the teardown time (tracing,
	 * sampling): the engine then alternates clean and instrumented
	 * repetitions and reports the overhead ratio.
	 */
	bool perturbs;
	/* NULL-terminated workloads it can measure ("exit", "munmap"); NULL: any */
	const char *const *workloads;
	/*
	 * True for a probe: `--probe NAME` names it as well as `--collect NAME`
	 * (it times what else the teardown delays, not the teardown).
	 */
	bool probe;

	/* Once per run: probe, allocate *state, and prepare, as @args ask. */
	int (*open)(void **state, const struct ops_args *args, struct errmsg *e);
	/* Around one repetition's set-up (fork → all ready). Optional. */
	int (*setup_begin)(void *state, const struct rep_info *r, struct errmsg *e);
	int (*setup_end)(void *state, const struct rep_info *r, struct errmsg *e);
	/*
	 * In locker @locker's own process, after its set-up and before it says
	 * ready (for what only the process itself can do: start a thread).
	 * @state is the locker's copy, forked after setup_begin; memory that
	 * must reach the harness is MAP_SHARED, made there.  Optional.
	 */
	int (*in_locker)(void *state, unsigned int locker);
	/* Right before the release broadcast / after the last locker is done. */
	int (*teardown_begin)(void *state, const struct rep_info *r, struct errmsg *e);
	int (*teardown_end)(void *state, const struct rep_info *r,
			    struct metric_sink *out, struct errmsg *e);
	/* After all repetitions of a configuration: summaries, checks. Optional. */
	int (*config_end)(void *state, const struct rep_info *r,
			  struct metric_sink *out, struct errmsg *e);
	/* Method used, settings, own cost: into the manifest's "collectors". */
	void (*describe)(void *state, json_t *obj);
	/* Restore everything and free @state. Must be safe after a failed open. */
	void (*close)(void *state);
	/* The run summary's lines for one configuration (indented two). Optional. */
	void (*summary)(FILE *f, const struct collector_view *v);
};

/* Emit one metric row (see docs/RESULTS.md, metrics.csv). */
int metric_emit(struct metric_sink *s, const char *collector, const char *metric,
		double value, const char *unit);
/* The metric does not exist here (e.g. no PMU): written empty, shown as n/a. */
int metric_emit_na(struct metric_sink *s, const char *collector, const char *metric,
		   const char *unit);
/* A pass/fail check recorded in the manifest ("checks"), never hidden. */
int check_emit(struct metric_sink *s, const char *collector, const char *name,
	       bool ok, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The registry (collectors/registry.c). */
const struct collector_ops *collector_find(const char *name);
/* NULL-terminated table of every collector. */
extern const struct collector_ops *const collector_table[];
/*
 * A `--collect` item, "name" or "name:opt=val:..." (a bare value picks the
 * option it belongs to: locks:kprobe).  -EINVAL naming the bad part.
 */
int collector_spec_parse(const char *spec, const struct collector_ops **ops,
			 struct ops_args *args, struct errmsg *e);
/*
 * A `--probe` list: "none", or items each a collector spec whose ops are a
 * probe (mmap_lock).  -EINVAL naming the bad item and the probes there are.
 */
int probe_list_check(const char *list, struct errmsg *e);
/* Parse @spec and open the collector it names. */
int collector_spec_open(const char *spec, const struct collector_ops **ops, void **state,
			struct errmsg *e);
/*
 * The declaration of @collector's @metric (the engine's own rows such as
 * overhead.teardown_ratio included); NULL when nobody declares it.
 */
const struct collector_metric *collector_metric_find(const char *collector,
						     const char *metric);
/* Direction of "collector.metric" as metrics.csv names it in a result. */
enum metric_direction collector_metric_direction(const char *qualified);

/* Mounts tracefs when it is missing (and sets tracefs_mounted_now). */
int collectors_probe(struct collector_avail *out);

#endif
