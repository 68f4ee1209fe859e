// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "engine/workload.h"

/* The registry: a new workload is one line here (and its own file). */
#define WORKLOADS(X)		\
	X(exit_workload)	\
	X(munmap_workload)	\
	X(munlock_workload)	\
	X(exec_workload)	\
	X(munlockall_reserve_workload)	\
	X(vmas_workload)	\
	/* a new line goes above: each ends in a backslash */

#define DECLARE(ops) extern const struct workload_ops ops;
#define ENTRY(ops) &ops,
WORKLOADS(DECLARE)

const struct workload_ops *const workload_table[] = {
	WORKLOADS(ENTRY)
	NULL,
};

/* By name; a spec's options (after ':') are not part of it. */
const struct workload_ops *workload_find(const char *name)
{
	const struct workload_ops *const *w;
	size_t len = strcspn(name, ":");

	for (w = workload_table; *w; w++)
		if (strlen((*w)->name) == len && !strncmp((*w)->name, name, len))
			return *w;
	return NULL;
}

int workload_spec_parse(const char *spec, const struct workload_ops **wp,
			struct ops_args *args, struct errmsg *e)
{
	size_t len = strcspn(spec, ":");
	const struct workload_ops *w;
	char name[64], owner[96], names[256];

	snprintf(name, sizeof(name), "%.*s", (int)len, spec);
	w = *wp = workload_find(name);
	if (!w) {
		workload_names(names, sizeof(names), ", ");
		return errmsg_set(e, -EINVAL, "unknown workload '%s' (%s)", name, names);
	}
	if (w->version != WORKLOAD_OPS_VERSION)
		return errmsg_set(e, -EINVAL, "workload '%s' is of ops version %u, not %u", name,
				  w->version, WORKLOAD_OPS_VERSION);
	snprintf(owner, sizeof(owner), "workload '%s'", name);
	if (spec[len] && !spec[len + 1])
		return errmsg_set(e, -EINVAL, "%s: empty option", owner);
	return ops_args_parse(w->options, owner, spec[len] ? spec + len + 1 : "", args, e);
}

int workload_spec_check(const char *spec, struct errmsg *e)
{
	const struct workload_ops *w;
	struct ops_args args;

	return workload_spec_parse(spec, &w, &args, e);
}

void workload_names(char *buf, size_t len, const char *sep)
{
	const struct workload_ops *const *w;
	size_t off = 0;

	buf[0] = 0;
	for (w = workload_table; *w && off < len; w++)
		off += snprintf(buf + off, len - off, "%s%s", w == workload_table ? "" : sep,
				(*w)->name);
}

bool workload_takes_option(const struct workload_ops *w, const char *opt)
{
	const char *const *o;

	for (o = w->job_options; o && *o; o++)
		if (!strcmp(*o, opt))
			return true;
	return false;
}

const struct workload_ops *workload_owning_option(const char *opt)
{
	const struct workload_ops *const *w;

	for (w = workload_table; *w; w++)
		if (workload_takes_option(*w, opt))
			return *w;
	return NULL;
}

void workload_locked_pages(const struct workload_ops *w, const struct job *j, uint64_t size,
			   uint64_t page, struct locked_pages *out)
{
	*out = (struct locked_pages){ .shared = size / (page ? page : 4096) };
	if (w->pages)
		w->pages(j, size, page ? page : 4096, out);
	if (j->lock == LOCK_MLOCKALL)
		out->own_too = true;
}
