// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "job/job.h"

uint64_t u64_list_max(const struct u64_list *l)
{
	uint64_t m = 0;
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i] > m)
			m = l->v[i];
	return m;
}

static bool backing_is_anon(enum backing_kind b)
{
	return b == BACKING_ANON_COW || b == BACKING_THP_ANON;
}

int job_validate(const struct job *j, struct errmsg *e)
{
	struct stat st;

	if (j->lock == LOCK_MAP_LOCKED && backing_is_anon(j->backing))
		return errmsg_set(e, -EINVAL,
				  "job '%s': lock map-locked needs a file backing (anon memory is inherited, not mapped, by the lockers)",
				  j->name);
	if (j->membind >= 0 && j->interleave)
		return errmsg_set(e, -EINVAL, "job '%s': membind and interleave exclude each other",
				  j->name);
	if (j->backing == BACKING_FILE) {
		if (stat(j->backing_dir, &st) || !S_ISDIR(st.st_mode))
			return errmsg_set(e, -ENOENT, "job '%s': backing directory '%s' does not exist",
					  j->name, j->backing_dir);
		if (access(j->backing_dir, W_OK | X_OK))
			return errmsg_set(e, -EACCES, "job '%s': backing directory '%s' is not writable",
					  j->name, j->backing_dir);
	}
	return 0;
}

int job_check_limits(const struct job *j, const struct job_limits *l, struct errmsg *e)
{
	uint64_t need = u64_list_max(&j->size);
	char need_s[32], have_s[32];

	format_size(need, need_s, sizeof(need_s));
	if (!j->force && need > l->mem_available / 10 * 8) {
		format_size(l->mem_available & ~((1ull << 20) - 1), have_s, sizeof(have_s));
		return errmsg_set(e, -E2BIG,
				  "job '%s' would mlock %s, more than 80%% of MemAvailable (%s); use a smaller --size or --force",
				  j->name, need_s, have_s);
	}
	/* mlockall also locks the stack, libc and the harness: leave slack */
	if (j->lock == LOCK_MLOCKALL)
		need += 64ull << 20;
	if (!l->cap_ipc_lock && l->memlock_soft != UINT64_MAX && need > l->memlock_soft) {
		format_size(l->memlock_soft, have_s, sizeof(have_s));
		format_size(need, need_s, sizeof(need_s));
		return errmsg_set(e, -EPERM,
				  "RLIMIT_MEMLOCK is %s but each locker needs %s: run as root or with CAP_IPC_LOCK, or raise it (ulimit -l unlimited, or memlock in /etc/security/limits.conf)",
				  have_s, need_s);
	}
	return 0;
}
