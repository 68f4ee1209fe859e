// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "engine/workload.h"

extern const struct workload_ops exit_workload, munmap_workload, munlock_workload;

const struct workload_ops *const workload_table[] = {
	&exit_workload,
	&munmap_workload,
	&munlock_workload,
	NULL,
};

const struct workload_ops *workload_find(const char *name)
{
	const struct workload_ops *const *w;

	for (w = workload_table; *w; w++)
		if (!strcmp((*w)->name, name))
			return *w;
	return NULL;
}
