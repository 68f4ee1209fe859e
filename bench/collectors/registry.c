// SPDX-License-Identifier: GPL-2.0
/*
 * The collectors.  `--collect` names them; a name may carry one option
 * after a colon (locks:kprobe), which selects a variant below.
 */
#include <string.h>

#include "collectors/builtin.h"

const struct collector_ops *const collector_table[] = {
	&vmstat_collector,
	&perf_collector,
	&locks_collector,
	&perf_record_collector,
	NULL,
};

static const struct {
	const char *spec;
	const struct collector_ops *ops;
} variants[] = {
	{ "perf:system", &perf_collector },
	{ "perf:inherit", &perf_inherit_collector },
	{ "locks:auto", &locks_collector },
	{ "locks:tracepoint", &locks_tracepoint_collector },
	{ "locks:kprobe", &locks_kprobe_collector },
	{ "locks:profile", &locks_profile_collector },
};

const struct collector_ops *collector_find(const char *name)
{
	size_t i;

	if (!strchr(name, ':')) {
		for (i = 0; collector_table[i]; i++)
			if (!strcmp(collector_table[i]->name, name))
				return collector_table[i];
		return NULL;
	}
	for (i = 0; i < sizeof(variants) / sizeof(variants[0]); i++)
		if (!strcmp(variants[i].spec, name))
			return variants[i].ops;
	return NULL;
}
