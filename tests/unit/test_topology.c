// SPDX-License-Identifier: GPL-2.0
/* Pinning plans and placement checks on synthetic hwloc topologies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <numa.h>
#include <numaif.h>
#include <hwloc.h>

#include "sysinfo/topology.h"

#define BIG "pack:2 numa:2 core:8 pu:2"

static struct topo *load(const char *spec)
{
	struct errmsg e = { "" };
	struct topo *t = NULL;

	if (topo_load(&t, spec, &e))
		fail_msg("topo_load(%s): %s", spec, e.buf);
	return t;
}

/*
 * Where an OS PU index sits in the synthetic topology, asked of hwloc
 * directly so the expectations do not reuse pin.c's walk.
 */
struct where {
	int pkg, node, core;
};

static struct where locate(const char *spec, int cpu)
{
	hwloc_topology_t h;
	hwloc_obj_t pu, n = NULL;
	struct where w = { -1, -1, -1 };

	hwloc_topology_init(&h);
	assert_int_equal(hwloc_topology_set_synthetic(h, spec), 0);
	assert_int_equal(hwloc_topology_load(h), 0);
	pu = hwloc_get_pu_obj_by_os_index(h, cpu);
	assert_non_null(pu);
	w.pkg = hwloc_get_ancestor_obj_by_type(h, HWLOC_OBJ_PACKAGE, pu)->logical_index;
	w.core = hwloc_get_ancestor_obj_by_type(h, HWLOC_OBJ_CORE, pu)->logical_index;
	while ((n = hwloc_get_next_obj_by_type(h, HWLOC_OBJ_NUMANODE, n)))
		if (hwloc_bitmap_isset(n->cpuset, cpu))
			w.node = n->os_index;
	hwloc_topology_destroy(h);
	return w;
}

static void test_summary(void **state)
{
	struct topo *t = load(BIG);
	struct topo_summary s;

	topo_summarize(t, &s);
	/* hwloc 2.9: "numa:2" under each package = 4 nodes in all */
	assert_int_equal(s.packages, 2);
	assert_int_equal(s.numa_nodes, 4);
	assert_int_equal(s.cores, 32);
	assert_int_equal(s.pus, 64);
	assert_string_equal(s.source, BIG);
	topo_free(t);
}

static void test_compact(void **state)
{
	struct topo *t = load(BIG);
	int cpu[4], i, j;
	struct where w[4];

	assert_int_equal(pin_plan(t, PIN_COMPACT, 4, cpu, NULL), 0);
	for (i = 0; i < 4; i++) {
		w[i] = locate(BIG, cpu[i]);
		assert_int_equal(w[i].pkg, 0);
		assert_int_equal(w[i].node, 0);
		for (j = 0; j < i; j++)
			assert_int_not_equal(w[i].core, w[j].core);
	}
	topo_free(t);
}

static void test_scatter(void **state)
{
	struct topo *t = load(BIG);
	bool pair[2][4] = { { false } };
	int cpu[4], i, j;
	struct where w;

	assert_int_equal(pin_plan(t, PIN_SCATTER, 4, cpu, NULL), 0);
	for (i = 0; i < 4; i++) {
		w = locate(BIG, cpu[i]);
		assert_int_equal(w.pkg, i % 2);		/* packages alternate */
		assert_false(pair[w.pkg][w.node]);
		pair[w.pkg][w.node] = true;
		for (j = 0; j < i; j++)
			assert_int_not_equal(cpu[i], cpu[j]);
	}
	topo_free(t);
}

/* NUMA nodes above packages: spread over nodes first, then packages. */
static void test_scatter_node_outer(void **state)
{
	const char *spec = "numa:2 pack:2 core:2 pu:1";
	bool pkg_seen[4] = { false };
	struct topo *t = load(spec);
	struct topo_summary s;
	struct where w;
	int cpu[4], i;

	topo_summarize(t, &s);
	assert_int_equal(s.numa_nodes, 2);
	assert_int_equal(s.packages, 4);
	assert_int_equal(pin_plan(t, PIN_SCATTER, 4, cpu, NULL), 0);
	for (i = 0; i < 4; i++) {
		w = locate(spec, cpu[i]);
		assert_int_equal(w.node, i % 2);
		assert_false(pkg_seen[w.pkg]);
		pkg_seen[w.pkg] = true;
	}
	topo_free(t);
}

/* 40 children on 32 cores: each core used once, then the plan starts over. */
static void test_wrap(void **state)
{
	enum pin_policy pol[] = { PIN_COMPACT, PIN_SCATTER };
	struct topo *t = load(BIG);
	int cpu[40], uses[64], i, k;

	for (k = 0; k < 2; k++) {
		memset(uses, 0, sizeof(uses));
		assert_int_equal(pin_plan(t, pol[k], 40, cpu, NULL), 0);
		for (i = 0; i < 40; i++) {
			assert_in_range(cpu[i], 0, 63);
			uses[cpu[i]]++;
		}
		for (i = 0; i < 32; i++)
			assert_int_equal(uses[cpu[i]], i < 8 ? 2 : 1);
		for (i = 32; i < 40; i++)
			assert_int_equal(cpu[i], cpu[i - 32]);
	}
	topo_free(t);
}

static void test_single_core(void **state)
{
	struct topo *t = load("core:1 pu:1");
	struct topo_summary s;
	int cpu[3], i;

	topo_summarize(t, &s);
	assert_int_equal(s.cores, 1);
	assert_int_equal(s.pus, 1);
	assert_int_equal(pin_plan(t, PIN_SCATTER, 3, cpu, NULL), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(cpu[i], 0);
	assert_int_equal(pin_plan(t, PIN_COMPACT, 3, cpu, NULL), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(cpu[i], 0);
	assert_int_equal(pin_plan(t, PIN_NONE, 3, cpu, NULL), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(cpu[i], -1);
	topo_free(t);
}

static void test_placement(void **state)
{
	struct topo *t = load(BIG);
	struct placement p = { .membind = 3, .interleave = false };
	struct errmsg e = { "" };

	assert_int_equal(placement_check(t, &p, &e), 0);
	p.membind = 4;
	assert_int_not_equal(placement_check(t, &p, &e), 0);
	assert_non_null(strstr(e.buf, "node 4"));
	p.membind = 0;
	p.interleave = true;
	assert_int_not_equal(placement_check(t, &p, &e), 0);
	p.membind = -1;
	assert_int_equal(placement_check(t, &p, &e), 0);
	topo_free(t);
}

static void test_bad_spec(void **state)
{
	struct errmsg e = { "" };
	struct topo *t = NULL;

	assert_int_not_equal(topo_load(&t, "pack:two", &e), 0);
	assert_null(t);
	assert_non_null(strstr(e.buf, "pack:two"));
}

static void test_xml_roundtrip(void **state)
{
	char dir[] = "/tmp/mlb-topo-XXXXXX", path[64];
	struct topo_summary a, b;
	hwloc_topology_t h;
	struct topo *t;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/big.xml", dir);
	hwloc_topology_init(&h);
	assert_int_equal(hwloc_topology_set_synthetic(h, BIG), 0);
	assert_int_equal(hwloc_topology_load(h), 0);
	assert_int_equal(hwloc_topology_export_xml(h, path, 0), 0);
	hwloc_topology_destroy(h);

	t = load(BIG);
	topo_summarize(t, &a);
	topo_free(t);
	t = load(path);
	topo_summarize(t, &b);
	topo_free(t);
	unlink(path);
	rmdir(dir);
	assert_int_equal(a.packages, b.packages);
	assert_int_equal(a.numa_nodes, b.numa_nodes);
	assert_int_equal(a.cores, b.cores);
	assert_int_equal(a.pus, b.pus);
	assert_string_equal(b.source, path);
}

static void test_policy_names(void **state)
{
	enum pin_policy p;

	assert_int_equal(pin_policy_parse("scatter", &p), 0);
	assert_int_equal(p, PIN_SCATTER);
	assert_string_equal(pin_policy_name(PIN_COMPACT), "compact");
	assert_int_not_equal(pin_policy_parse("spread", &p), 0);
}

/* Pinning is refused on a topology that is not this machine's. */
static void test_apply_synthetic(void **state)
{
	struct topo *t = load(BIG);
	struct errmsg e = { "" };

	assert_int_equal(pin_apply(t, -1, &e), 0);
	assert_int_not_equal(pin_apply(t, 0, &e), 0);
	topo_free(t);
}

/* In a child, so the test runner itself stays unpinned. */
static int pin_child(void)
{
	struct topo *t = NULL;
	cpu_set_t set;
	int cpu[1];

	if (topo_load(&t, NULL, NULL) || pin_plan(t, PIN_COMPACT, 1, cpu, NULL))
		return 10;
	if (pin_apply(t, cpu[0], NULL))
		return 11;
	if (sched_getaffinity(0, sizeof(set), &set))
		return 12;
	if (CPU_COUNT(&set) != 1 || !CPU_ISSET(cpu[0], &set))
		return 13;
	topo_free(t);
	return 0;
}

static void test_apply_here(void **state)
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (!pid)
		_exit(pin_child());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static int place_child(void)
{
	struct placement p = { .membind = 0, .interleave = false };
	struct placement bad = { .membind = 1000, .interleave = false };
	int mode = -1;

	if (placement_apply(&bad, NULL) == 0)
		return 20;
	if (placement_apply(&p, NULL))
		return 21;
	if (get_mempolicy(&mode, NULL, 0, NULL, 0) || mode != MPOL_BIND)
		return 22;
	return 0;
}

/* Node 0 exists on every NUMA-capable machine. */
static void test_placement_here(void **state)
{
	pid_t pid;
	int status;

	if (numa_available() < 0)
		skip();
	pid = fork();
	assert_true(pid >= 0);
	if (!pid)
		_exit(place_child());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_compact),
		cmocka_unit_test(test_scatter),
		cmocka_unit_test(test_scatter_node_outer),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_single_core),
		cmocka_unit_test(test_placement),
		cmocka_unit_test(test_bad_spec),
		cmocka_unit_test(test_xml_roundtrip),
		cmocka_unit_test(test_policy_names),
		cmocka_unit_test(test_apply_synthetic),
		cmocka_unit_test(test_apply_here),
		cmocka_unit_test(test_placement_here),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
