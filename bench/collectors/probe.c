// SPDX-License-Identifier: GPL-2.0
/* What the collectors can use on this kernel: tracepoints, kprobes, PMU. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/perf_event.h>

#include "collectors/tracefs.h"
#include "engine/collector.h"
#include "sysinfo/kallsyms.h"

/* Slow paths a kprobe collector attaches to (one is enough to be useful). */
static const char *const slowpaths[] = {
	"rwsem_down_read_slowpath",
	"native_queued_spin_lock_slowpath",
	"queued_spin_lock_slowpath",
	"__pv_queued_spin_lock_slowpath",
	NULL,
};

static bool exists_under(const char *dir, const char *rel, int mode)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return !access(path, mode);
}

static bool have_tracepoints(const char *dir)
{
	return exists_under(dir, "events/lock/contention_begin", F_OK) &&
	       exists_under(dir, "events/lock/contention_end", F_OK);
}

static bool have_kprobes(const char *dir)
{
	bool found = false;

	if (!exists_under(dir, "kprobe_events", W_OK))
		return false;
	return !ksym_file_has_any("/proc/kallsyms", slowpaths, &found) && found;
}

/* Hardware cycles of the calling thread; VMs often have no PMU (ENOENT). */
static bool have_pmu(void)
{
	struct perf_event_attr attr;
	long fd;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_HARDWARE;
	attr.config = PERF_COUNT_HW_CPU_CYCLES;
	attr.disabled = 1;
	attr.exclude_kernel = 0;
	fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
	if (fd < 0) {
		attr.exclude_kernel = 1;	/* perf_event_paranoid may forbid kernel */
		attr.exclude_hv = 1;
		fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
	}
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

int collectors_probe(struct collector_avail *out)
{
	memset(out, 0, sizeof(*out));
	out->pmu = have_pmu();
	if (tracefs_find(out->tracefs, sizeof(out->tracefs), true,
			 &out->tracefs_mounted_now, NULL)) {
		out->tracefs[0] = '\0';
		return 0;
	}
	out->tracepoints = have_tracepoints(out->tracefs);
	out->kprobes = have_kprobes(out->tracefs);
	return 0;
}
