// SPDX-License-Identifier: GPL-2.0
/* A kernel's files through its source's ops. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm/fetch.h"

int fetch_cache_dir(char *buf, size_t len)
{
	const char *env = getenv("MLOCKBENCH_CACHE");
	const char *home = getenv("HOME");

	if (env && *env)
		snprintf(buf, len, "%s", env);
	else if (home && *home)
		snprintf(buf, len, "%s/.cache/mlockbench", home);
	else
		return -ENOENT;
	return 0;
}

bool kernel_has_files(const struct kernel_desc *d)
{
	return d->source->cached != NULL;
}

int kernel_cached(const struct kernel_desc *d, struct kernel_files *kf, struct errmsg *e)
{
	memset(kf, 0, sizeof(*kf));
	if (!d->source->cached)
		return 0;
	return d->source->cached(d, kf, e);
}

int kernel_fetch(const struct kernel_desc *d, bool refresh, struct kernel_files *kf,
		 struct errmsg *e)
{
	memset(kf, 0, sizeof(*kf));
	if (d->source->fetch)
		return d->source->fetch(d, refresh, kf, e);
	return kernel_cached(d, kf, e);
}
