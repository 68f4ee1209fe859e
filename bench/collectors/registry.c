// SPDX-License-Identifier: GPL-2.0
/*
 * The collectors.  `--collect` names them; options follow the name after
 * colons (locks:method=kprobe, or locks:kprobe), as each collector declares.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "engine/collector.h"

/* The registry: a new collector is one line here (and its own file). */
#define COLLECTORS(X)			\
	X(vmstat_collector)		\
	X(perf_collector)		\
	X(locks_collector)		\
	X(perf_record_collector)	\
	X(mmap_lock_collector)		\
	/* a new line goes above: each ends in a backslash */

#define DECLARE(ops) extern const struct collector_ops ops;
#define ENTRY(ops) &ops,
COLLECTORS(DECLARE)

const struct collector_ops *const collector_table[] = {
	COLLECTORS(ENTRY)
	NULL,
};

/* Rows the engine writes for any perturbing collector. */
static const struct collector_metric engine_metrics[] = {
	{ "overhead.teardown_ratio", "ratio", METRIC_INFO, "overhead" },
	{ NULL },
};

const struct collector_ops *collector_find(const char *name)
{
	size_t i;

	for (i = 0; collector_table[i]; i++)
		if (!strcmp(collector_table[i]->name, name))
			return collector_table[i];
	return NULL;
}

int collector_spec_parse(const char *spec, const struct collector_ops **ops,
			 struct ops_args *args, struct errmsg *e)
{
	size_t len = strcspn(spec, ":");
	char name[64], owner[96];

	snprintf(name, sizeof(name), "%.*s", (int)len, spec);
	*ops = collector_find(name);
	if (!*ops)
		return errmsg_set(e, -EINVAL, "unknown collector '%s'", name);
	if ((*ops)->version != COLLECTOR_OPS_VERSION)
		return errmsg_set(e, -EINVAL, "collector '%s' is of ops version %u, not %u", name,
				  (*ops)->version, COLLECTOR_OPS_VERSION);
	snprintf(owner, sizeof(owner), "collector '%s'", name);
	return ops_args_parse((*ops)->options, owner, spec[len] ? spec + len + 1 : "", args, e);
}

static void probe_names(char *buf, size_t len)
{
	size_t i, off = snprintf(buf, len, "none");

	for (i = 0; collector_table[i] && off < len; i++)
		if (collector_table[i]->probe)
			off += snprintf(buf + off, len - off, ", %s", collector_table[i]->name);
}

int probe_list_check(const char *list, struct errmsg *e)
{
	char buf[256], names[128], *tok, *save = NULL;
	const struct collector_ops *ops;
	struct ops_args args;
	int ret;

	snprintf(buf, sizeof(buf), "%s", list);
	probe_names(names, sizeof(names));
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "none"))
			continue;
		ret = collector_spec_parse(tok, &ops, &args, e);
		if (!ops || !ops->probe)
			return errmsg_set(e, -EINVAL, "unknown probe '%.*s' (%s)",
					  (int)strcspn(tok, ":"), tok, names);
		if (ret)
			return ret;	/* its options: the parser's message */
	}
	return 0;
}

int collector_spec_open(const char *spec, const struct collector_ops **ops, void **state,
			struct errmsg *e)
{
	struct ops_args args;
	int ret = collector_spec_parse(spec, ops, &args, e);

	*state = NULL;
	return ret ? ret : (*ops)->open(state, &args, e);
}

static const struct collector_metric *metric_in(const struct collector_metric *m,
						const char *metric)
{
	for (; m && m->pattern; m++)
		if (!fnmatch(m->pattern, metric, 0))
			return m;
	return NULL;
}

const struct collector_metric *collector_metric_find(const char *collector,
						     const char *metric)
{
	const struct collector_ops *o = collector_find(collector);
	const struct collector_metric *m = o ? metric_in(o->metrics, metric) : NULL;

	return m ? m : o ? metric_in(engine_metrics, metric) : NULL;
}

enum metric_direction collector_metric_direction(const char *qualified)
{
	const char *dot = strchr(qualified, '.');
	const struct collector_metric *m;
	char name[64];

	if (!dot || dot - qualified >= (long)sizeof(name))
		return METRIC_INFO;
	snprintf(name, sizeof(name), "%.*s", (int)(dot - qualified), qualified);
	m = collector_metric_find(name, dot + 1);
	return m ? m->direction : METRIC_INFO;
}
