// SPDX-License-Identifier: GPL-2.0
/* The manifest's "system" object (docs/RESULTS.md). */
#include "sysinfo/sysinfo.h"

static json_t *limit_json(uint64_t v)
{
	return v == UINT64_MAX ? json_string("unlimited") : json_integer((json_int_t)v);
}

static json_t *design_json(const struct design_evidence *d)
{
	json_t *ev = json_array();
	size_t i;

	for (i = 0; i < d->n; i++)
		json_array_append_new(ev, json_string(d->sym[i]));
	return json_pack("{s:s, s:o}", "name", design_name(d->design), "evidence", ev);
}

static json_t *topo_json(const struct topo_summary *t)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:s}",
			 "packages", (json_int_t)t->packages,
			 "numa_nodes", (json_int_t)t->numa_nodes,
			 "cores", (json_int_t)t->cores, "pus", (json_int_t)t->pus,
			 "source", t->source);
}

json_t *sysinfo_to_json(const struct sysinfo *si)
{
	return json_pack("{s:{s:s, s:s, s:s, s:s}, s:o, s:s, s:o, s:{s:I, s:I},"
			 " s:{s:s, s:s}, s:{s:o, s:o, s:b}, s:{s:b, s:b, s:b}}",
			 "kernel", "release", si->release, "version", si->version,
			 "cmdline", si->cmdline, "machine", si->machine,
			 "design", design_json(&si->design),
			 "cpu_model", si->cpu_model,
			 "topology", topo_json(&si->topo),
			 "memory", "total_kib", (json_int_t)si->mem_total_kib,
			 "available_kib", (json_int_t)si->mem_available_kib,
			 "thp", "enabled", si->thp_enabled,
			 "shmem_enabled", si->thp_shmem_enabled,
			 "memlock", "soft", limit_json(si->memlock_soft),
			 "hard", limit_json(si->memlock_hard),
			 "cap_ipc_lock", si->cap_ipc_lock,
			 "collectors", "tracepoints", si->avail.tracepoints,
			 "kprobes", si->avail.kprobes, "pmu", si->avail.pmu);
}
