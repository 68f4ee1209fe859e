// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/workload.h"
#include "job/footprint.h"
#include "job/job.h"
#include "job/lock_range.h"

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

/* A workload's own options only with it; its lock methods only. */
static int validate_workload(const struct job *j, const struct workload_ops *w,
			     struct errmsg *e)
{
	size_t i;

	for (i = 0; i < job_option_count(); i++) {
		const char *name = job_option_name(i);
		const struct workload_ops *owner = workload_owning_option(name);

		if (owner && j->given[i] && !workload_takes_option(w, name))
			return errmsg_set(e, -EINVAL,
					  "job '%s': --%s is an option of --workload %s, not %s",
					  j->name, name, owner->name, w->name);
	}
	if (w->locks && !(w->locks & (1u << j->lock)) && !(w->locks & (w->locks - 1)))
		return errmsg_set(e, -EINVAL,
				  "job '%s': --workload %s locks with %s only, not --lock %s (leave --lock out)",
				  j->name, w->name, lock_method_name(__builtin_ctz(w->locks)),
				  lock_method_name(j->lock));
	if (w->locks && !(w->locks & (1u << j->lock)))
		return errmsg_set(e, -EINVAL, "job '%s': --workload %s does not take --lock %s",
				  j->name, w->name, lock_method_name(j->lock));
	return w->validate ? w->validate(j, NULL, e) : 0;
}

int job_validate(const struct job *j, struct errmsg *e)
{
	const struct workload_ops *w = workload_find(j->workload);
	struct stat st;
	int ret;

	if (!w)
		return errmsg_set(e, -EINVAL, "job '%s': unknown workload '%s'", j->name,
				  j->workload);
	ret = validate_workload(j, w, e);
	if (!ret)
		ret = lock_range_validate(j, e);
	if (ret)
		return ret;

	if (j->lock == LOCK_MAP_LOCKED && backing_is_anon(j->backing))
		return errmsg_set(e, -EINVAL,
				  "job '%s': lock map-locked needs a file backing (anon memory is inherited, not mapped, by the lockers)",
				  j->name);
	/* the anon area is PROT_READ in every child already (backing.c): ro would change nothing */
	if (backing_is_anon(j->backing) && (j->prot.n != 1 || j->prot.v[0] != PROT_MODE_RW))
		return errmsg_set(e, -EINVAL,
				  "job '%s': prot ro needs a file backing (shmem, file:DIR, thp-shmem): the lockers of %s map the inherited area read-only whatever --prot says",
				  j->name, backing_name(j->backing));
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

/* "9.0 GiB": an estimate, rounded (format_size is exact) */
static void approx_size(uint64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double v = bytes / 1024.0;
	int i = 0;

	while (v >= 1024 && i < 5) {
		v /= 1024;
		i++;
	}
	snprintf(buf, len, "%.1f %s", v, units[i]);
}

static int check_footprint(const struct job *j, const struct job_limits *l, struct errmsg *e)
{
	uint64_t procs = u64_list_max(&j->procs), plain = u64_list_max(&j->plain);
	uint64_t size = u64_list_max(&j->size);
	char size_s[32], total_s[32], pt_s[32], child_s[32], have_s[32];
	struct footprint f;

	/* every term grows with each sweep: the largest values are the worst case */
	footprint_estimate(procs, plain, size, j->backing, l->page_size, &f);
	if (j->force || f.total <= l->mem_available / 10 * 8)
		return 0;
	format_size(size, size_s, sizeof(size_s));
	approx_size(f.total, total_s, sizeof(total_s));
	approx_size(f.page_tables, pt_s, sizeof(pt_s));
	approx_size(f.children, child_s, sizeof(child_s));
	format_size(l->mem_available & ~((1ull << 20) - 1), have_s, sizeof(have_s));
	return errmsg_set(e, -E2BIG,
			  "job '%s' would mlock %s and needs about %s with %s of page tables and %s for its %llu children, more than 80%% of MemAvailable (%s); use a smaller --size, fewer --procs or --plain, or --force",
			  j->name, size_s, total_s, pt_s, child_s,
			  (unsigned long long)(procs + plain), have_s);
}

/*
 * Every child exists at once, beside the threads already running, and the
 * engine holds a pidfd for each (plus JOB_SPARE_FDS of its own).
 */
static int check_fork_count(const struct job *j, const struct job_limits *l, struct errmsg *e)
{
	uint64_t children = u64_list_max(&j->procs) + u64_list_max(&j->plain);
	const struct {
		uint64_t limit, used;
		const char *name, *fix;
		int err;
	} caps[] = {
		{ l->pid_max, l->threads_now + 1, "kernel.pid_max", "sysctl kernel.pid_max", -EAGAIN },
		{ l->threads_max, l->threads_now + 1, "kernel.threads-max",
		  "sysctl kernel.threads-max", -EAGAIN },
		{ l->nproc_soft, 1, "RLIMIT_NPROC", "ulimit -u", -EAGAIN },
		{ l->nofile_hard, JOB_SPARE_FDS, "RLIMIT_NOFILE's hard limit", "ulimit -Hn",
		  -EMFILE },
	};
	size_t i;

	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		if (caps[i].limit && children + caps[i].used > caps[i].limit)
			return errmsg_set(e, caps[i].err,
					  "job '%s' needs %llu children at once but %s is %llu (%llu in use); run fewer --procs or --plain, or raise it (%s)",
					  j->name, (unsigned long long)children, caps[i].name,
					  (unsigned long long)caps[i].limit,
					  (unsigned long long)caps[i].used, caps[i].fix);
	return 0;
}

int job_check_limits(const struct job *j, const struct job_limits *l, struct errmsg *e)
{
	const struct workload_ops *w = workload_find(j->workload);
	uint64_t need = u64_list_max(&j->size);
	char need_s[32], have_s[32];
	int ret;

	ret = check_footprint(j, l, e);
	if (!ret)
		ret = check_fork_count(j, l, e);
	if (!ret && w && w->validate)
		ret = w->validate(j, l, e);
	if (ret)
		return ret;
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
