// SPDX-License-Identifier: GPL-2.0
/* The manifest's "system" object (docs/RESULTS.md): written and read here. */
#include <stdio.h>

#include "result/manifest.h"

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

json_t *manifest_system_json(const struct sysinfo *si)
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

static void copy_str(char *dst, size_t len, const json_t *v)
{
	const char *s = json_string_value(v);

	snprintf(dst, len, "%s", s ? s : "");
}

void manifest_system_read(const json_t *sys, struct result_folder *f)
{
	const json_t *v = json_object_get(sys, "kernel");

	copy_str(f->release, sizeof(f->release), json_object_get(v, "release"));
	copy_str(f->kversion, sizeof(f->kversion), json_object_get(v, "version"));
	copy_str(f->kcmdline, sizeof(f->kcmdline), json_object_get(v, "cmdline"));
	copy_str(f->design, sizeof(f->design),
		 json_object_get(json_object_get(sys, "design"), "name"));
	copy_str(f->cpu, sizeof(f->cpu), json_object_get(sys, "cpu_model"));
	v = json_object_get(sys, "thp");
	snprintf(f->thp, sizeof(f->thp), "enabled=%s shmem_enabled=%s",
		 json_string_value(json_object_get(v, "enabled")) ?: "?",
		 json_string_value(json_object_get(v, "shmem_enabled")) ?: "?");
	v = json_object_get(sys, "topology");
	snprintf(f->topology, sizeof(f->topology),
		 "%lld package(s), %lld NUMA node(s), %lld cores, %lld PUs",
		 json_integer_value(json_object_get(v, "packages")),
		 json_integer_value(json_object_get(v, "numa_nodes")),
		 json_integer_value(json_object_get(v, "cores")),
		 json_integer_value(json_object_get(v, "pus")));
}
