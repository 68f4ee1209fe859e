// SPDX-License-Identifier: GPL-2.0
/*
 * The environment audit: fixture trees under tests/fixtures/audit/ (bare
 * metal, a QEMU guest, hostile values), the JSON round trip and its checks,
 * the gate's comparison, and one read of this machine (types and ranges).
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sysinfo/audit.h"

static const char *root(const char *name)
{
	static char buf[4096];
	const char *fx = getenv("MLB_FIXTURES");

	snprintf(buf, sizeof(buf), "%s/audit/%s", fx ? fx : "tests/fixtures", name);
	return buf;
}

static void gather(const char *name, struct sysaudit *a)
{
	struct errmsg e = { "" };

	if (sysaudit_gather(a, root(name), &e))
		fail_msg("%s", e.buf);
}

static void test_metal(void **state)
{
	struct sysaudit a;

	gather("metal", &a);
	assert_string_equal(a.cpufreq_governor, "performance");
	assert_string_equal(a.cpufreq_driver, "intel_pstate");
	assert_string_equal(a.thp_enabled, "always");
	assert_string_equal(a.thp_defrag, "madvise");
	assert_string_equal(a.thp_shmem_enabled, "never");
	assert_int_equal(a.swap_total_kib, 8388604);
	assert_int_equal(a.swap_devices, 2);
	assert_int_equal(a.numa_balancing, 1);
	assert_int_equal(a.randomize_va_space, 2);
	assert_string_equal(a.cmdline, "BOOT_IMAGE=/boot/vmlinuz-6.1.0-13-amd64 "
			    "root=UUID=0b7c4d9e-1f2a-4c3b-9d8e-7f6a5b4c3d2e ro quiet");
	/* the first CPU's flags decide; CPU 1 of the fixture says hypervisor */
	assert_string_equal(a.hypervisor_flag, "no");
	assert_string_equal(a.hypervisor_type, AUDIT_NA);
	assert_string_equal(a.dmi_sys_vendor, "Dell Inc.");
	assert_string_equal(a.dmi_product_name, "PowerEdge R650");
	assert_string_equal(a.boot_id, "3f1c2b7a-9d4e-4f60-8a1b-2c3d4e5f6a7b");
	assert_true(a.uptime_s == 86400.25);
	assert_true(a.load1 == 0.52 && a.load5 == 0.58 && a.load15 == 0.59);
}

static void test_vm(void **state)
{
	struct sysaudit a;

	gather("vm", &a);
	assert_string_equal(a.cpufreq_governor, AUDIT_NA);
	assert_string_equal(a.cpufreq_driver, AUDIT_NA);
	assert_string_equal(a.thp_enabled, "madvise");
	assert_int_equal(a.swap_total_kib, 0);
	assert_int_equal(a.swap_devices, 0);
	assert_int_equal(a.numa_balancing, -1);
	assert_string_equal(a.hypervisor_flag, "yes");
	assert_string_equal(a.dmi_sys_vendor, "QEMU");
	assert_string_equal(a.dmi_product_name, "Standard PC (i440FX + PIIX, 1996)");
	assert_true(a.uptime_s == 12.5);
	assert_true(a.load1 == 1.0 && a.load15 == 0.08);
}

static void assert_printable(const char *s, size_t size)
{
	size_t n = strnlen(s, size);

	assert_true(n > 0 && n < size);
	for (; *s; s++)
		assert_true(*s >= 0x20 && *s < 0x7f);
}

static void test_hostile(void **state)
{
	struct sysaudit a;
	size_t i;

	gather("hostile", &a);
	/* control bytes become '?', the rest is cut to the field */
	assert_int_equal(strlen(a.cpufreq_governor), sizeof(a.cpufreq_governor) - 1);
	assert_memory_equal(a.cpufreq_governor, "perf??[31mormancexx", 19);
	assert_string_equal(a.cpufreq_driver, AUDIT_NA);	/* a directory */
	assert_string_equal(a.thp_enabled, AUDIT_NA);		/* no choice */
	assert_string_equal(a.thp_defrag, AUDIT_NA);		/* two choices */
	assert_string_equal(a.thp_shmem_enabled, AUDIT_NA);	/* odd characters */
	assert_int_equal(a.swap_total_kib, -1);
	assert_int_equal(a.swap_devices, -1);
	assert_int_equal(a.numa_balancing, -1);
	assert_int_equal(a.randomize_va_space, -1);		/* 3: out of range */
	assert_int_equal(strlen(a.cmdline), sizeof(a.cmdline) - 1);
	assert_memory_equal(a.cmdline, "root=/dev/sda??quiet yyy", 24);
	assert_null(strstr(a.cmdline, "second"));
	assert_string_equal(a.hypervisor_flag, "no");		/* "hypervisorx" is not it */
	assert_string_equal(a.hypervisor_type, AUDIT_NA);	/* empty */
	assert_string_equal(a.dmi_sys_vendor, "QEMU??");
	assert_int_equal(strlen(a.dmi_product_name), sizeof(a.dmi_product_name) - 1);
	assert_string_equal(a.boot_id, AUDIT_NA);
	assert_true(isnan(a.uptime_s));
	assert_true(isnan(a.load1) && isnan(a.load5) && isnan(a.load15));
	for (i = 0; i < audit_nfields; i++)
		if (audit_fields[i].kind == AUDIT_STR)
			assert_printable((const char *)&a + audit_fields[i].offset,
					 audit_fields[i].size);
}

static void test_missing_root(void **state)
{
	struct sysaudit a;
	struct errmsg e = { "" };
	char *longroot;
	size_t i;

	assert_int_equal(sysaudit_gather(&a, root("no-such-tree"), &e), 0);
	for (i = 0; i < audit_nfields; i++)
		assert_false(sysaudit_field_known(&a, &audit_fields[i]));
	longroot = malloc(5000);
	assert_non_null(longroot);
	memset(longroot, 'a', 4999);
	longroot[4999] = '\0';
	assert_int_equal(sysaudit_gather(&a, longroot, &e), -ENAMETOOLONG);
	free(longroot);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wx");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static const char *proc_path(const char *tree, const char *name)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s/proc%s%s", tree, *name ? "/" : "", name);
	return buf;
}

/*
 * Not regular files, numbers out of range, a line too long to trust: a FIFO
 * must not hang the gatherer and a device is not read.  The tree is removed
 * before anything is asserted.
 */
static void test_special_files(void **state)
{
	static const char *const names[] = { "cmdline", "uptime", "loadavg", "cpuinfo" };
	char tree[] = "/tmp/mlb-audit-XXXXXX", *big;
	struct errmsg e = { "" };
	struct sysaudit a;
	size_t len = 70000, i;
	int err;

	assert_non_null(mkdtemp(tree));
	assert_int_equal(mkdir(proc_path(tree, ""), 0700), 0);
	assert_int_equal(symlink("/dev/urandom", proc_path(tree, "cmdline")), 0);
	assert_int_equal(mkfifo(proc_path(tree, "uptime"), 0600), 0);
	write_file(proc_path(tree, "loadavg"), "0.10 2000000 0.20 1/1 1\n");
	big = malloc(len + 32);
	assert_non_null(big);
	strcpy(big, "flags\t: hypervisor ");
	memset(big + strlen(big), 'z', len);
	strcpy(big + len, "\n");
	write_file(proc_path(tree, "cpuinfo"), big);
	free(big);
	err = sysaudit_gather(&a, tree, &e);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(proc_path(tree, names[i]));
	rmdir(proc_path(tree, ""));
	assert_int_equal(rmdir(tree), 0);
	assert_int_equal(err, 0);
	assert_string_equal(a.cmdline, AUDIT_NA);
	assert_true(isnan(a.uptime_s));
	assert_true(isnan(a.load1) && isnan(a.load5));
	assert_string_equal(a.hypervisor_flag, AUDIT_NA);
}

static void test_json_round_trip(void **state)
{
	const char *trees[] = { "metal", "vm", "hostile" };
	struct sysaudit a, b;
	struct errmsg e = { "" };
	size_t i, k;

	for (k = 0; k < 3; k++) {
		json_t *o;

		gather(trees[k], &a);
		o = sysaudit_to_json(&a);
		assert_non_null(o);
		assert_int_equal(json_object_size(o), audit_nfields);
		if (sysaudit_from_json(o, &b, &e))
			fail_msg("%s: %s", trees[k], e.buf);
		for (i = 0; i < audit_nfields; i++) {
			const struct audit_field *f = &audit_fields[i];
			char va[1100], vb[1100];

			sysaudit_field_format(&a, f, va, sizeof(va));
			sysaudit_field_format(&b, f, vb, sizeof(vb));
			assert_string_equal(va, vb);
			if (f->kind != AUDIT_STR && !sysaudit_field_known(&a, f))
				assert_true(json_is_null(json_object_get(o, f->name)));
		}
		assert_int_equal(sysaudit_compare(&a, &b, NULL, 0), 0);
		assert_true(a.uptime_s == b.uptime_s || (isnan(a.uptime_s) && isnan(b.uptime_s)));
		json_decref(o);
	}
}

static void expect_bad(const char *text, const char *key)
{
	struct errmsg e = { "" };
	struct sysaudit a;
	json_t *o = json_loads(text, 0, NULL);

	assert_non_null(o);
	assert_int_equal(sysaudit_from_json(o, &a, &e), -EINVAL);
	if (!strstr(e.buf, key))
		fail_msg("message \"%s\" does not name %s", e.buf, key);
	json_decref(o);
}

static void test_json_checks(void **state)
{
	struct errmsg e = { "" };
	struct sysaudit a;
	json_t *o;

	expect_bad("{\"thp_enabled\": 3}", "thp_enabled");
	expect_bad("{\"cpufreq_governor\": \"a\\u0001b\"}", "cpufreq_governor");
	expect_bad("{\"cpufreq_governor\": \"0123456789012345678901234567890123\"}",
		   "cpufreq_governor");
	expect_bad("{\"randomize_va_space\": 3}", "randomize_va_space");
	expect_bad("{\"swap_devices\": -2}", "swap_devices");
	expect_bad("{\"numa_balancing\": 1.5}", "numa_balancing");
	expect_bad("{\"uptime_s\": -1}", "uptime_s");
	expect_bad("{\"load1\": \"high\"}", "load1");
	expect_bad("[]", "audit");
	/* an older manifest: missing keys are unknown, others ignored */
	o = json_loads("{\"thp_enabled\": \"never\", \"future_knob\": 1, \"uptime_s\": null}", 0,
		       NULL);
	assert_int_equal(sysaudit_from_json(o, &a, &e), 0);
	assert_string_equal(a.thp_enabled, "never");
	assert_string_equal(a.cmdline, AUDIT_NA);
	assert_true(isnan(a.uptime_s));
	json_decref(o);
}

static void test_compare(void **state)
{
	struct sysaudit metal, vm, b;
	struct sysaudit_mismatch mm[32];
	size_t n, i;

	gather("metal", &metal);
	gather("vm", &vm);
	/* a reboot of the same machine into another kernel: nothing gated differs */
	b = metal;
	snprintf(b.boot_id, sizeof(b.boot_id), "00000000-0000-4000-8000-000000000000");
	b.uptime_s = 30;
	b.load1 = 3;
	snprintf(b.cmdline, sizeof(b.cmdline), "BOOT_IMAGE=/boot/vmlinuz-5.10.0-26-amd64  "
		 "root=UUID=0b7c4d9e-1f2a-4c3b-9d8e-7f6a5b4c3d2e ro initrd=/x quiet");
	assert_int_equal(sysaudit_compare(&metal, &b, mm, 32), 0);
	/* one gated knob */
	b.randomize_va_space = 0;
	assert_int_equal(sysaudit_compare(&metal, &b, mm, 32), 1);
	assert_string_equal(mm[0].field, "randomize_va_space");
	assert_string_equal(mm[0].a, "2");
	assert_string_equal(mm[0].b, "0");
	snprintf(b.cmdline, sizeof(b.cmdline), "root=UUID=0b7c4d9e-1f2a-4c3b-9d8e-7f6a5b4c3d2e "
		 "ro quiet mitigations=off");
	assert_int_equal(sysaudit_compare(&metal, &b, mm, 32), 2);
	assert_string_equal(mm[0].field, "randomize_va_space");
	assert_string_equal(mm[1].field, "cmdline");
	/* a token must not match its prefix */
	snprintf(b.cmdline, sizeof(b.cmdline), "root=UUID=0b7c4d9e-1f2a-4c3b-9d8e-7f6a5b4c3d2e "
		 "ro quie");
	b.randomize_va_space = 2;
	assert_int_equal(sysaudit_compare(&metal, &b, mm, 32), 1);
	/* metal vs a guest: everything known on both sides that differs, in table order */
	n = sysaudit_compare(&metal, &vm, mm, 32);
	{
		static const char *const want[] = {
			"thp_enabled", "swap_total_kib", "swap_devices", "cmdline",
			"hypervisor_flag", "dmi_sys_vendor",
		};

		assert_int_equal(n, sizeof(want) / sizeof(want[0]));
		for (i = 0; i < n; i++)
			assert_string_equal(mm[i].field, want[i]);
	}
	/* the count is complete even when only the first is wanted */
	assert_int_equal(sysaudit_compare(&metal, &vm, mm, 1), n);
	assert_string_equal(mm[0].field, "thp_enabled");
	assert_string_equal(mm[0].a, "always");
	assert_string_equal(mm[0].b, "madvise");
}

/* This machine: whatever is there, of the right type and in range. */
static void test_this_machine(void **state)
{
	struct errmsg e = { "" };
	struct sysaudit a;
	size_t i;

	assert_int_equal(sysaudit_gather(&a, NULL, &e), 0);
	for (i = 0; i < audit_nfields; i++) {
		const struct audit_field *f = &audit_fields[i];
		const void *p = (const char *)&a + f->offset;

		if (f->kind == AUDIT_STR)
			assert_printable(p, f->size);
		else if (f->kind == AUDIT_INT)
			assert_true(*(const long long *)p >= -1 &&
				    *(const long long *)p <= (long long)f->max);
		else if (sysaudit_field_known(&a, f))
			assert_true(*(const double *)p >= 0 && *(const double *)p <= f->max);
	}
	/* procfs is always there on Linux */
	assert_true(a.uptime_s > 0);
	assert_false(isnan(a.load1));
	assert_int_equal(strlen(a.boot_id), 36);
	assert_true(a.randomize_va_space >= 0);
	assert_true(a.swap_total_kib >= 0);
	assert_true(!strcmp(a.hypervisor_flag, "yes") || !strcmp(a.hypervisor_flag, "no") ||
		    !strcmp(a.hypervisor_flag, AUDIT_NA));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_metal),
		cmocka_unit_test(test_vm),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_missing_root),
		cmocka_unit_test(test_special_files),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_json_checks),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_this_machine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
