// SPDX-License-Identifier: GPL-2.0
/* The manifest's "system" object, and gathering it on this machine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include <cmocka.h>

#include "result/manifest.h"
#include "sysinfo/sysinfo.h"

static void fill(struct sysinfo *si)
{
	memset(si, 0, sizeof(*si));
	strcpy(si->release, "6.1.0-50-cloud-amd64");
	strcpy(si->version, "#1 SMP PREEMPT_DYNAMIC Debian 6.1.176-1");
	strcpy(si->machine, "x86_64");
	strcpy(si->cmdline, "console=ttyS0 quiet");
	strcpy(si->cpu_model, "Test CPU");
	si->design.design = DESIGN_MLOCK_COUNT;
	si->design.n = 2;
	strcpy(si->design.sym[0], "mlock_folio");
	strcpy(si->design.sym[1], "munlock_page");
	si->topo = (struct topo_summary){ 2, 4, 32, 64, "pack:2 numa:2 core:8 pu:2" };
	si->mem_total_kib = 24000000;
	si->mem_available_kib = 20000000;
	strcpy(si->thp_enabled, "madvise");
	strcpy(si->thp_shmem_enabled, "never");
	si->memlock_soft = 8388608;
	si->memlock_hard = UINT64_MAX;
	si->cap_ipc_lock = true;
	si->avail.tracepoints = true;
	si->avail.pmu = false;
}

static const char *str_at(json_t *root, const char *obj, const char *key)
{
	json_t *v = json_object_get(obj ? json_object_get(root, obj) : root, key);

	assert_true(json_is_string(v));
	return json_string_value(v);
}

static json_int_t int_at(json_t *root, const char *obj, const char *key)
{
	json_t *v = json_object_get(json_object_get(root, obj), key);

	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

static void test_json_shape(void **state)
{
	struct sysinfo si;
	json_t *j, *ev;

	fill(&si);
	j = manifest_system_json(&si);
	assert_non_null(j);
	assert_string_equal(str_at(j, "kernel", "release"), "6.1.0-50-cloud-amd64");
	assert_string_equal(str_at(j, "kernel", "machine"), "x86_64");
	assert_string_equal(str_at(j, "kernel", "cmdline"), "console=ttyS0 quiet");
	assert_string_equal(str_at(j, "design", "name"), "mlock_count");
	ev = json_object_get(json_object_get(j, "design"), "evidence");
	assert_int_equal(json_array_size(ev), 2);
	assert_string_equal(json_string_value(json_array_get(ev, 1)), "munlock_page");
	assert_string_equal(str_at(j, NULL, "cpu_model"), "Test CPU");
	assert_int_equal(int_at(j, "topology", "numa_nodes"), 4);
	assert_int_equal(int_at(j, "topology", "pus"), 64);
	assert_string_equal(str_at(j, "topology", "source"), "pack:2 numa:2 core:8 pu:2");
	assert_int_equal(int_at(j, "memory", "total_kib"), 24000000);
	assert_string_equal(str_at(j, "thp", "shmem_enabled"), "never");
	assert_int_equal(int_at(j, "memlock", "soft"), 8388608);
	assert_string_equal(str_at(j, "memlock", "hard"), "unlimited");
	assert_true(json_is_true(json_object_get(json_object_get(j, "memlock"),
						 "cap_ipc_lock")));
	assert_true(json_is_true(json_object_get(json_object_get(j, "collectors"),
						 "tracepoints")));
	assert_true(json_is_false(json_object_get(json_object_get(j, "collectors"),
						  "kprobes")));
	assert_int_equal(json_object_size(j), 8);
	json_decref(j);
}

static void test_gather_here(void **state)
{
	struct design_evidence d;
	struct errmsg e = { "" };
	struct sysinfo si;
	struct utsname u;
	size_t i;

	assert_int_equal(sysinfo_gather(&si, NULL, &e), 0);
	assert_int_equal(uname(&u), 0);
	assert_string_equal(si.release, u.release);
	assert_string_equal(si.machine, u.machine);
	assert_string_equal(si.topo.source, "this machine");
	assert_true(si.topo.pus >= 1 && si.topo.cores >= 1);
	assert_true(si.mem_total_kib > 0);
	assert_true(si.mem_available_kib <= si.mem_total_kib);
	assert_true(si.memlock_soft <= si.memlock_hard);
	assert_int_equal(design_detect(&d, &e), 0);
	assert_int_equal(si.design.design, d.design);
	assert_int_equal(si.design.n, d.n);
	for (i = 0; i < d.n; i++)
		assert_string_equal(si.design.sym[i], d.sym[i]);
}

static void test_gather_bad_topology(void **state)
{
	struct errmsg e = { "" };
	struct sysinfo si;

	assert_int_not_equal(sysinfo_gather(&si, "pack:x", &e), 0);
	assert_non_null(strstr(e.buf, "topology"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_shape),
		cmocka_unit_test(test_gather_here),
		cmocka_unit_test(test_gather_bad_topology),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
