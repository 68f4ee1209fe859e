// SPDX-License-Identifier: GPL-2.0
/*
 * toy-clock: the teardown window by a clock of choice; an example of the
 * contract (options, declared metrics, a summary hook).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "engine/collector.h"

static const char *const clock_choices[] = { "monotonic", "boottime", NULL };
static const clockid_t clock_ids[] = { CLOCK_MONOTONIC, CLOCK_BOOTTIME };

static const struct ops_option toy_options[] = {
	{ "clock", clock_choices, "the clock that times the window" },
	{ NULL },
};

static const struct collector_metric toy_metrics[] = {
	{ "window_ns", "ns", METRIC_LOWER_BETTER, "toy" },
	{ "windows_per_s", "1/s", METRIC_HIGHER_BETTER, "toy" },
	{ NULL },
};

struct toy_clock {
	int clock;		/* index into clock_ids */
	uint64_t t0;
};

static uint64_t toy_now(const struct toy_clock *t)
{
	struct timespec ts;

	clock_gettime(clock_ids[t->clock], &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int toy_open(void **state, const struct ops_args *args, struct errmsg *e)
{
	struct toy_clock *t = calloc(1, sizeof(*t));

	if (!t)
		return errmsg_set(e, -ENOMEM, "out of memory");
	t->clock = args->choice[0];
	*state = t;
	return 0;
}

static int toy_teardown_begin(void *state, const struct rep_info *r, struct errmsg *e)
{
	struct toy_clock *t = state;

	t->t0 = toy_now(t);
	return 0;
}

static int toy_teardown_end(void *state, const struct rep_info *r, struct metric_sink *out,
			    struct errmsg *e)
{
	struct toy_clock *t = state;
	double ns = toy_now(t) - t->t0;

	return metric_emit(out, "toy-clock", "window_ns", ns, "ns") ?:
	       metric_emit(out, "toy-clock", "windows_per_s", ns > 0 ? 1e9 / ns : 0, "1/s");
}

static void toy_describe(void *state, json_t *o)
{
	struct toy_clock *t = state;

	json_object_set_new(o, "method", json_string(clock_choices[t->clock]));
}

static void toy_close(void *state)
{
	free(state);
}

static void toy_summary(FILE *f, const struct collector_view *v)
{
	bool seen;
	double ns = v->median(v, "window_ns", &seen);

	if (seen)
		fprintf(f, "  toy-clock (%s): teardown window %.3f ms\n", v->method,
			isfinite(ns) ? ns / 1e6 : 0);
}

const struct collector_ops toy_clock_collector = {
	.version = COLLECTOR_OPS_VERSION,
	.name = "toy-clock",
	.help = "the teardown window by CLOCK_MONOTONIC or CLOCK_BOOTTIME (a toy)",
	.options = toy_options,
	.metrics = toy_metrics,
	.perturbs = false,
	.open = toy_open,
	.teardown_begin = toy_teardown_begin,
	.teardown_end = toy_teardown_end,
	.describe = toy_describe,
	.close = toy_close,
	.summary = toy_summary,
};
