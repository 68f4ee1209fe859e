// SPDX-License-Identifier: GPL-2.0
/*
 * Pinning plans over cores (one PU per core, the first in the core).
 *
 * compact: child i on core i % cores, cores in hwloc logical order, so
 * package 0 fills up before package 1.
 *
 * scatter: cores are grouped into cells, one per (package, NUMA node) pair.
 * Child k goes to package k % packages; the j-th child a package receives
 * goes to its cell j % cells-of-package; the m-th child a cell receives goes
 * to its core m % cores-of-cell.  With 2 packages of 2 nodes each, children
 * 0..3 land on (pkg0,node0), (pkg1,node2), (pkg0,node1), (pkg1,node3): each
 * on the first core of its cell, and child 4 on the second core of node 0.
 * When NUMA nodes hold several packages (node above package), the roles
 * swap: round-robin over nodes first, then over the packages within.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/parse.h"
#include "sysinfo/topo_internal.h"
#include "sysinfo/topology.h"

struct unit {
	int pu;			/* OS index of the core's first PU */
	unsigned int pkg;	/* outer level: package logical index (0 without packages) */
	unsigned int node;	/* inner level: NUMA node logical index */
	unsigned int cell;	/* index into the cell table */
};

struct cell {
	unsigned int pkg, node;
	unsigned int used;	/* children given to this cell so far */
};

static const char *const policy_names[] = {
	[PIN_NONE] = "none",
	[PIN_COMPACT] = "compact",
	[PIN_SCATTER] = "scatter",
};

const char *pin_policy_name(enum pin_policy p)
{
	if ((unsigned int)p >= sizeof(policy_names) / sizeof(policy_names[0]))
		return "?";
	return policy_names[p];
}

int pin_policy_parse(const char *s, enum pin_policy *out)
{
	int i, err = parse_name(s, policy_names, sizeof(policy_names) / sizeof(policy_names[0]),
				&i);

	if (!err)
		*out = i;
	return err;
}

static hwloc_obj_type_t unit_type(const struct topo *t)
{
	return hwloc_get_nbobjs_by_type(t->h, HWLOC_OBJ_CORE) > 0 ?
	       HWLOC_OBJ_CORE : HWLOC_OBJ_PU;
}

static unsigned int node_of(const struct topo *t, hwloc_obj_t o)
{
	hwloc_obj_t n = NULL;

	while ((n = hwloc_get_next_obj_by_type(t->h, HWLOC_OBJ_NUMANODE, n)))
		if (hwloc_bitmap_isincluded(o->cpuset, n->cpuset))
			return n->logical_index;
	return 0;
}

static unsigned int cell_of(struct cell *cells, unsigned int *ncells,
			    unsigned int pkg, unsigned int node)
{
	unsigned int i;

	for (i = 0; i < *ncells; i++)
		if (cells[i].pkg == pkg && cells[i].node == node)
			return i;
	cells[i] = (struct cell){ .pkg = pkg, .node = node };
	(*ncells)++;
	return i;
}

/* Does some NUMA node span several packages? */
static bool node_is_outer(const struct unit *u, unsigned int n)
{
	unsigned int i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (u[i].node == u[j].node && u[i].pkg != u[j].pkg)
				return true;
	return false;
}

/* Fill @u (one per core) and @cells; returns the number of cores. */
static unsigned int collect_units(const struct topo *t, struct unit *u,
				  struct cell *cells, unsigned int *ncells)
{
	hwloc_obj_type_t type = unit_type(t);
	unsigned int n = hwloc_get_nbobjs_by_type(t->h, type), i, tmp;
	bool swap;

	for (i = 0; i < n; i++) {
		hwloc_obj_t o = hwloc_get_obj_by_type(t->h, type, i);
		hwloc_obj_t pu = hwloc_get_obj_inside_cpuset_by_type(t->h, o->cpuset,
								      HWLOC_OBJ_PU, 0);
		hwloc_obj_t pkg = hwloc_get_ancestor_obj_by_type(t->h, HWLOC_OBJ_PACKAGE, o);

		u[i].pu = pu ? (int)pu->os_index : (int)o->os_index;
		u[i].pkg = pkg ? pkg->logical_index : 0;
		u[i].node = node_of(t, o);
	}
	swap = node_is_outer(u, n);
	*ncells = 0;
	for (i = 0; i < n; i++) {
		if (swap) {
			tmp = u[i].pkg;
			u[i].pkg = u[i].node;
			u[i].node = tmp;
		}
		u[i].cell = cell_of(cells, ncells, u[i].pkg, u[i].node);
	}
	return n;
}

/* The @j-th (mod count) cell of package @pkg; the package has at least one. */
static unsigned int nth_cell(const struct cell *cells, unsigned int ncells,
			     unsigned int pkg, unsigned int j)
{
	unsigned int i, k = 0, mine = 0;

	for (i = 0; i < ncells; i++)
		mine += cells[i].pkg == pkg;
	j %= mine;
	for (i = 0; i < ncells; i++)
		if (cells[i].pkg == pkg && k++ == j)
			return i;
	return 0;
}

static int nth_unit(const struct unit *u, unsigned int n, unsigned int cell,
		    unsigned int m)
{
	unsigned int i, k = 0, mine = 0;

	for (i = 0; i < n; i++)
		mine += u[i].cell == cell;
	m %= mine;
	for (i = 0; i < n; i++)
		if (u[i].cell == cell && k++ == m)
			return u[i].pu;
	return -1;
}

/* Packages that hold cores, in order of first appearance. */
static unsigned int list_packages(const struct unit *u, unsigned int n, unsigned int *pkgs)
{
	unsigned int i, j, np = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < np && pkgs[j] != u[i].pkg; j++)
			;
		if (j == np)
			pkgs[np++] = u[i].pkg;
	}
	return np;
}

static void plan_scatter(const struct unit *u, unsigned int n, struct cell *cells,
			 unsigned int ncells, unsigned int children, int *cpu_out,
			 unsigned int *scratch)
{
	unsigned int *pkgs = scratch, *pkg_used = scratch + n;
	unsigned int np = list_packages(u, n, pkgs), k, p, c;

	memset(pkg_used, 0, n * sizeof(*pkg_used));
	for (k = 0; k < children; k++) {
		p = k % np;
		c = nth_cell(cells, ncells, pkgs[p], pkg_used[p]++);
		cpu_out[k] = nth_unit(u, n, c, cells[c].used++);
	}
}

int pin_plan(const struct topo *t, enum pin_policy p, unsigned int n,
	     int *cpu_out, struct errmsg *e)
{
	unsigned int ncores = hwloc_get_nbobjs_by_type(t->h, unit_type(t)), ncells, i;
	struct unit *u;
	struct cell *cells;
	unsigned int *scratch;

	if (p == PIN_NONE) {
		for (i = 0; i < n; i++)
			cpu_out[i] = -1;
		return 0;
	}
	if (!ncores)
		return errmsg_set(e, -EINVAL, "topology %s has no cores", t->source);
	u = calloc(ncores, sizeof(*u));
	cells = calloc(ncores, sizeof(*cells));
	scratch = calloc(2 * ncores, sizeof(*scratch));
	if (!u || !cells || !scratch) {
		free(u);
		free(cells);
		free(scratch);
		return errmsg_set(e, -ENOMEM, "out of memory");
	}
	ncores = collect_units(t, u, cells, &ncells);
	if (p == PIN_COMPACT)
		for (i = 0; i < n; i++)
			cpu_out[i] = u[i % ncores].pu;
	else
		plan_scatter(u, ncores, cells, ncells, n, cpu_out, scratch);
	free(u);
	free(cells);
	free(scratch);
	return 0;
}

int pin_apply(const struct topo *t, int cpu, struct errmsg *e)
{
	hwloc_bitmap_t set;
	int ret = 0;

	if (cpu < 0)
		return 0;
	if (!hwloc_topology_is_thissystem(t->h))
		return errmsg_set(e, -EINVAL, "cannot pin: topology %s is not this machine's",
				  t->source);
	if (!hwloc_get_pu_obj_by_os_index(t->h, cpu))
		return errmsg_set(e, -EINVAL, "cannot pin: cpu %d is not in this machine", cpu);
	set = hwloc_bitmap_alloc();
	if (!set)
		return errmsg_set(e, -ENOMEM, "out of memory");
	hwloc_bitmap_only(set, cpu);
	if (hwloc_set_cpubind(t->h, set, HWLOC_CPUBIND_PROCESS))
		ret = errmsg_set(e, -errno, "cannot pin to cpu %d: %s", cpu, strerror(errno));
	hwloc_bitmap_free(set);
	return ret;
}
