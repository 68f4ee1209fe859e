// SPDX-License-Identifier: GPL-2.0
/* Memory placement: check against the topology, apply with libnuma. */
#include <errno.h>
#include <string.h>

#include <numa.h>
#include <numaif.h>

#include "sysinfo/topo_internal.h"
#include "sysinfo/topology.h"

int placement_check(const struct topo *t, const struct placement *p,
		    struct errmsg *e)
{
	if (p->membind >= 0 && p->interleave)
		return errmsg_set(e, -EINVAL, "membind and interleave exclude each other");
	if (p->membind < -1)
		return errmsg_set(e, -EINVAL, "numa node %d does not exist", p->membind);
	if (p->membind >= 0 &&
	    !hwloc_get_numanode_obj_by_os_index(t->h, (unsigned int)p->membind))
		return errmsg_set(e, -EINVAL, "numa node %d does not exist in topology %s",
				  p->membind, t->source);
	return 0;
}

/*
 * set_mempolicy() rather than numa_set_membind(): libnuma's setters print
 * their errors and return nothing.
 */
static int apply_policy(int mode, struct bitmask *nodes, struct errmsg *e)
{
	if (set_mempolicy(mode, nodes->maskp, nodes->size + 1))
		return errmsg_set(e, -errno, "set_mempolicy failed: %s", strerror(errno));
	return 0;
}

static int apply_membind(int node, struct errmsg *e)
{
	struct bitmask *bm;
	int ret;

	if (node > numa_max_node())
		return errmsg_set(e, -EINVAL, "numa node %d does not exist here (max %d)",
				  node, numa_max_node());
	bm = numa_allocate_nodemask();
	if (!bm)
		return errmsg_set(e, -ENOMEM, "out of memory");
	numa_bitmask_setbit(bm, node);
	ret = apply_policy(MPOL_BIND, bm, e);
	numa_bitmask_free(bm);
	return ret;
}

int placement_apply(const struct placement *p, struct errmsg *e)
{
	if (p->membind < 0 && !p->interleave)
		return 0;
	if (numa_available() < 0)
		return errmsg_set(e, -ENOSYS, "numa placement requested but numa is not "
				  "available here");
	if (p->membind >= 0 && p->interleave)
		return errmsg_set(e, -EINVAL, "membind and interleave exclude each other");
	if (p->membind >= 0)
		return apply_membind(p->membind, e);
	return apply_policy(MPOL_INTERLEAVE, numa_all_nodes_ptr, e);
}
