/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pinning and memory placement plans, computed on an hwloc topology: the
 * running machine's, or one loaded from XML or a synthetic description
 * ("pack:2 numa:2 core:8 pu:2") so big-machine plans can be tested here.
 * hwloc 2.9 reads "numa:N" as N NUMA nodes under each object of the level
 * above, so that example has 4 nodes in all; "pack:2 [numa] core:8 pu:2"
 * puts one node in each package instead.
 */
#ifndef MLB_TOPOLOGY_H
#define MLB_TOPOLOGY_H

#include <stdbool.h>

#include "common/errmsg.h"
#include "sysinfo/sysinfo.h"

enum pin_policy {
	PIN_NONE,
	PIN_COMPACT,	/* fill core after core, package after package */
	PIN_SCATTER,	/* spread round-robin over packages, then NUMA nodes, then cores */
};

const char *pin_policy_name(enum pin_policy p);
int pin_policy_parse(const char *s, enum pin_policy *out);

struct topo;

/* @spec: NULL = this machine; a path to an hwloc XML file; or a synthetic string. */
int topo_load(struct topo **out, const char *spec, struct errmsg *e);
void topo_free(struct topo *t);
void topo_summarize(const struct topo *t, struct topo_summary *out);

/*
 * Child i of @n gets cpu_out[i]: an OS PU index, or -1 for "not pinned"
 * (PIN_NONE).  With more children than cores the plan wraps around.
 */
int pin_plan(const struct topo *t, enum pin_policy p, unsigned int n,
	     int *cpu_out, struct errmsg *e);
/* In a child: bind the calling process to @cpu (no-op for -1). */
int pin_apply(const struct topo *t, int cpu, struct errmsg *e);

/* Memory placement: bind to one node, interleave over all, or nothing. */
struct placement {
	int membind;		/* NUMA node, or -1 */
	bool interleave;
};

/* Validate against the topology (the node exists, not both set). */
int placement_check(const struct topo *t, const struct placement *p,
		    struct errmsg *e);
/* In a child, before mapping: apply with libnuma. */
int placement_apply(const struct placement *p, struct errmsg *e);

#endif
