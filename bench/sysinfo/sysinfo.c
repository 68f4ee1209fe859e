// SPDX-License-Identifier: GPL-2.0
/* Gathering what machine and kernel a result comes from. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>

#include "sysinfo/sysinfo.h"
#include "sysinfo/topology.h"

#define CAP_IPC_LOCK_BIT 14

static void copy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src);
}

/* First line of @path without its newline; false when unreadable. */
static bool read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, len, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

/* Value after "@key:" (or "@key\t:") in a "key: value" file such as /proc/cpuinfo. */
static bool read_field(const char *path, const char *key, char *buf, size_t len)
{
	size_t klen = strlen(key);
	char line[1024], *v;
	bool found = false;
	FILE *f = fopen(path, "re");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) || !strchr(" \t:", line[klen]))
			continue;
		v = strchr(line + klen, ':');
		if (!v)
			continue;
		v += strspn(v + 1, " \t") + 1;
		v[strcspn(v, "\n")] = '\0';
		copy(buf, len, v);
		found = true;
	}
	fclose(f);
	return found;
}

/* The bracketed choice of a sysfs multiple-choice knob: "always [madvise] never". */
static void read_choice(const char *path, char *buf, size_t len)
{
	char line[256], *l, *r;

	copy(buf, len, "unavailable");
	if (!read_line(path, line, sizeof(line)))
		return;
	l = strchr(line, '[');
	r = l ? strchr(l, ']') : NULL;
	if (!r)
		return;
	*r = '\0';
	copy(buf, len, l + 1);
}

static uint64_t meminfo_kib(const char *key)
{
	char v[64];

	return read_field("/proc/meminfo", key, v, sizeof(v)) ? strtoull(v, NULL, 10) : 0;
}

static bool has_cap_ipc_lock(void)
{
	char v[64];

	if (!read_field("/proc/self/status", "CapEff", v, sizeof(v)))
		return false;
	return (strtoull(v, NULL, 16) >> CAP_IPC_LOCK_BIT) & 1;
}

static uint64_t rlim_bytes(rlim_t r)
{
	return r == RLIM_INFINITY ? UINT64_MAX : (uint64_t)r;
}

static int gather_kernel(struct sysinfo *si, struct errmsg *e)
{
	struct utsname u;

	if (uname(&u))
		return errmsg_set(e, -errno, "uname failed: %s", strerror(errno));
	copy(si->release, sizeof(si->release), u.release);
	copy(si->version, sizeof(si->version), u.version);
	copy(si->machine, sizeof(si->machine), u.machine);
	if (!read_line("/proc/cmdline", si->cmdline, sizeof(si->cmdline)))
		copy(si->cmdline, sizeof(si->cmdline), "unavailable");
	return 0;
}

static void gather_memory(struct sysinfo *si)
{
	struct rlimit rl;

	si->mem_total_kib = meminfo_kib("MemTotal");
	si->mem_available_kib = meminfo_kib("MemAvailable");
	read_choice("/sys/kernel/mm/transparent_hugepage/enabled",
		    si->thp_enabled, sizeof(si->thp_enabled));
	read_choice("/sys/kernel/mm/transparent_hugepage/shmem_enabled",
		    si->thp_shmem_enabled, sizeof(si->thp_shmem_enabled));
	si->memlock_soft = si->memlock_hard = 0;
	if (!getrlimit(RLIMIT_MEMLOCK, &rl)) {
		si->memlock_soft = rlim_bytes(rl.rlim_cur);
		si->memlock_hard = rlim_bytes(rl.rlim_max);
	}
	si->cap_ipc_lock = has_cap_ipc_lock();
}

static int gather_topology(struct sysinfo *si, const char *topology, struct errmsg *e)
{
	struct topo *t;
	int ret = topo_load(&t, topology, e);

	if (ret)
		return errmsg_prefix(e, ret, "topology");
	topo_summarize(t, &si->topo);
	topo_free(t);
	return 0;
}

int sysinfo_gather(struct sysinfo *si, const char *topology, struct errmsg *e)
{
	int ret;

	memset(si, 0, sizeof(*si));
	ret = gather_topology(si, topology, e);
	if (ret)
		return ret;
	ret = gather_kernel(si, e);
	if (ret)
		return ret;
	if (!read_field("/proc/cpuinfo", "model name", si->cpu_model, sizeof(si->cpu_model)))
		copy(si->cpu_model, sizeof(si->cpu_model), "unknown");
	/* No kallsyms (CONFIG_KALLSYMS=n): the design is honestly unknown. */
	if (design_detect(&si->design, NULL))
		si->design.design = DESIGN_UNKNOWN;
	gather_memory(si);
	return 0;
}
