// SPDX-License-Identifier: GPL-2.0
/*
 * Loading a topology: this machine, an hwloc XML file, or a synthetic string.
 *
 * Synthetic strings use hwloc 2.x syntax.  A "numa:N" level (hwloc 2.9)
 * becomes N Group objects per parent, each with one NUMA node as memory
 * child, so "pack:2 numa:2 core:8 pu:2" is 2 packages, 4 NUMA nodes in all,
 * 32 cores, 64 PUs.  "[numa]" after a level attaches one node per object of
 * that level instead: "pack:2 [numa] core:8 pu:2" has 2 nodes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysinfo/topo_internal.h"
#include "sysinfo/topology.h"

static int set_source(struct topo *t, const char *spec, struct errmsg *e)
{
	if (!spec)
		return 0;
	if (access(spec, F_OK) == 0) {
		if (hwloc_topology_set_xml(t->h, spec))
			return errmsg_set(e, -EINVAL, "cannot use '%s' as hwloc xml", spec);
		return 0;
	}
	if (hwloc_topology_set_synthetic(t->h, spec))
		return errmsg_set(e, -EINVAL,
				  "'%s' is neither a file nor an hwloc synthetic topology "
				  "(e.g. \"pack:2 numa:2 core:8 pu:2\")", spec);
	return 0;
}

int topo_load(struct topo **out, const char *spec, struct errmsg *e)
{
	struct topo *t = calloc(1, sizeof(*t));
	int ret;

	if (!t)
		return errmsg_set(e, -ENOMEM, "out of memory");
	if (hwloc_topology_init(&t->h)) {
		free(t);
		return errmsg_set(e, -ENOMEM, "hwloc_topology_init failed");
	}
	snprintf(t->source, sizeof(t->source), "%s", spec ? spec : "this machine");
	ret = set_source(t, spec, e);
	errno = 0;
	if (!ret && hwloc_topology_load(t->h))
		ret = errmsg_set(e, errno ? -errno : -EINVAL,
				 "cannot load topology from %s", t->source);
	if (ret) {
		topo_free(t);
		return ret;
	}
	*out = t;
	return 0;
}

void topo_free(struct topo *t)
{
	if (!t)
		return;
	hwloc_topology_destroy(t->h);
	free(t);
}

static unsigned int count(const struct topo *t, hwloc_obj_type_t type)
{
	int n = hwloc_get_nbobjs_by_type(t->h, type);

	return n > 0 ? n : 0;
}

void topo_summarize(const struct topo *t, struct topo_summary *out)
{
	memset(out, 0, sizeof(*out));
	/* A topology without a package level (a synthetic "core:4") is one package. */
	out->packages = count(t, HWLOC_OBJ_PACKAGE) ? : 1;
	out->numa_nodes = count(t, HWLOC_OBJ_NUMANODE) ? : 1;
	out->cores = count(t, HWLOC_OBJ_CORE);
	out->pus = count(t, HWLOC_OBJ_PU);
	/* Some platforms report PUs without cores: count each PU as a core. */
	if (!out->cores)
		out->cores = out->pus;
	snprintf(out->source, sizeof(out->source), "%s", t->source);
}
