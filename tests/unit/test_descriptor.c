// SPDX-License-Identifier: GPL-2.0
/* Kernel descriptors, campaign files, mirror discovery and package choice. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "vm/apt.h"
#include "vm/campaign.h"
#include "vm/descriptor.h"
#include "vm/fetch.h"
#include "test_util.h"

static char tmpdir[] = "/tmp/mlb-test-desc-XXXXXX";

static int setup(void **state)
{
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	return rm_rf(tmpdir);
}

static void write_file(const char *rel, const char *text)
{
	char path[512], dir[512], *s;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	for (s = strchr(dir + strlen(tmpdir) + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(dir, 0755);
		*s = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void expect_error(const char *text, int err, const char *needle)
{
	struct kernel_desc d;
	struct errmsg e = { "" };

	assert_int_equal(kdesc_parse_string(text, "t.ini", &d, &e), err);
	if (!strstr(e.buf, needle))
		fail_msg("message '%s' lacks '%s'", e.buf, needle);
}

static void test_parse_debian(void **state)
{
	struct kernel_desc d;
	struct errmsg e = { "" };

	assert_int_equal(kdesc_parse_string("[kernel]\nid = debian-6.1\nsource = debian\n"
					    "package = linux-image-6\\.1\\..*-cloud-amd64-unsigned\n"
					    "suite = bookworm\nexpected_design = mlock_count\n"
					    "append = mitigations=off\n",
					    "t.ini", &d, &e), 0);
	assert_string_equal(d.id, "debian-6.1");
	assert_ptr_equal(d.source, kernel_source_find("debian"));
	assert_string_equal(d.suite, "bookworm");
	assert_string_equal(d.expected_design, "mlock_count");
	assert_string_equal(d.append, "mitigations=off");
}

static void test_parse_errors(void **state)
{
	expect_error("[kernel]\nsource = native\n", -EINVAL, "missing key 'id'");
	expect_error("[kernel]\nid = x\n", -EINVAL, "missing key 'source'");
	expect_error("[kernel]\nid = x\nsource = rpm\n", -EINVAL, "unknown source 'rpm'");
	expect_error("[kernel]\nid = x\nsource = debian\nsuite = bookworm\n", -EINVAL,
		     "missing key 'package'");
	expect_error("[kernel]\nid = x\nsource = debian\npackage = p\n", -EINVAL,
		     "missing key 'suite'");
	expect_error("[kernel]\nid = x\nsource = local\n", -EINVAL, "missing key 'image'");
	expect_error("[kernel]\nid = x\nsource = native\nexpected_design = fast\n", -EINVAL,
		     "bad expected_design 'fast'");
	expect_error("[kernel]\nid = x\nsource = native\nimgae = /boot/x\n", -EINVAL,
		     "unknown key 'imgae'");
	expect_error("[kern]\nid = x\n", -EINVAL, "unknown section");
	expect_error("[kernel]\nid = a/b\nsource = native\n", -EINVAL, "bad id");
	expect_error("[kernel]\nid = x\nsource = native\nimage = /boot/vmlinuz\n", -EINVAL,
		     "native takes no image");
	expect_error("", -EINVAL, "no [kernel] section");
	expect_error("[kernel]\nthis is not ini\n", -EINVAL, "syntax error");
}

static void test_load_file(void **state)
{
	char path[512];
	struct kernel_desc d;
	struct errmsg e = { "" };

	write_file("k/mine.ini", "[kernel]\nid = mine\nsource = local\nimage = build/bzImage\n"
				 "modules = mods/6.13.0\nexpected_design = unknown\n");
	snprintf(path, sizeof(path), "%s/k/mine.ini", tmpdir);
	assert_int_equal(kdesc_load(path, &d, &e), 0);
	/* relative paths are relative to the descriptor */
	snprintf(path, sizeof(path), "%s/k/build/bzImage", tmpdir);
	assert_string_equal(d.image, path);
	snprintf(path, sizeof(path), "%s/k/mods/6.13.0", tmpdir);
	assert_string_equal(d.modules, path);

	write_file("k/other.ini", "[kernel]\nid = mine\nsource = native\n");
	snprintf(path, sizeof(path), "%s/k/other.ini", tmpdir);
	assert_int_equal(kdesc_load(path, &d, &e), -EINVAL);
	assert_non_null(strstr(e.buf, "does not match the file name"));
}

/* The descriptors shipped in kernels/ parse and say what the project expects. */
static void test_shipped_descriptors(void **state)
{
	struct kernel_desc *v;
	struct errmsg e = { "" };
	size_t n, found = 0;

	unsetenv("MLOCKBENCH_KERNELS");
	assert_int_equal(kdesc_list(&v, &n, &e), 0);
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(v[i].id, "debian-5.10")) {
			assert_string_equal(v[i].expected_design, "rmap-walk");
			assert_string_equal(v[i].suite, "bullseye");
			found++;
		} else if (!strcmp(v[i].id, "debian-6.1")) {
			assert_string_equal(v[i].expected_design, "mlock_count");
			assert_string_equal(v[i].suite, "bookworm");
			found++;
		} else if (!strcmp(v[i].id, "debian-6.12")) {
			assert_string_equal(v[i].expected_design, "mlock_count");
			assert_string_equal(v[i].suite, "bookworm-backports");
			found++;
		} else if (!strcmp(v[i].id, "native")) {
			assert_string_equal(v[i].source->name, "native");
			found++;
		}
	}
	assert_int_equal(found, 4);
	free(v);
}

static void test_mirror(void **state)
{
	char root[512], buf[256];
	struct errmsg e = { "" };

	unsetenv("MLOCKBENCH_MIRROR");
	snprintf(root, sizeof(root), "%s/r1", tmpdir);
	write_file("r1/etc/apt/sources.list.d/debian.sources",
		   "Types: deb\n# http://old.example.invalid/x\n"
		   "URIs: http://apt.example.invalid/debian-security\nSuites: bookworm-security\n\n"
		   "Types: deb\nURIs: http://apt.example.invalid/debian/\nSuites: bookworm\n");
	assert_int_equal(fetch_find_mirror(root, buf, sizeof(buf), &e), 0);
	assert_string_equal(buf, "http://apt.example.invalid/debian");

	snprintf(root, sizeof(root), "%s/r2", tmpdir);
	write_file("r2/etc/apt/sources.list",
		   "# comment\ndeb-src http://src.example.invalid/debian bookworm main\n"
		   "deb [arch=amd64 signed-by=/k.gpg] http://list.example.invalid/debian bookworm main\n");
	assert_int_equal(fetch_find_mirror(root, buf, sizeof(buf), &e), 0);
	assert_string_equal(buf, "http://list.example.invalid/debian");

	snprintf(root, sizeof(root), "%s/r3", tmpdir);
	write_file("r3/etc/apt/sources.list", "# nothing\n");
	assert_int_equal(fetch_find_mirror(root, buf, sizeof(buf), &e), -ENOENT);
	assert_non_null(strstr(e.buf, "no Debian mirror"));

	setenv("MLOCKBENCH_MIRROR", "http://env.example.invalid/debian/", 1);
	assert_int_equal(fetch_find_mirror(root, buf, sizeof(buf), &e), 0);
	assert_string_equal(buf, "http://env.example.invalid/debian");
	unsetenv("MLOCKBENCH_MIRROR");
}

static void test_pick_newest(void **state)
{
	const char *names =
		"linux-image-6.1.0-9-cloud-amd64-unsigned - Linux 6.1 for x86-64 cloud\n"
		"linux-image-6.1.0-50-cloud-amd64-unsigned - Linux 6.1 for x86-64 cloud\n"
		"linux-image-6.1.0-50-cloud-amd64-unsigned-dbg - debug symbols\n"
		"linux-image-6.12.9-cloud-amd64-unsigned - newer series\n"
		"linux-image-6.1.0-10-cloud-amd64-unsigned - Linux\n";
	struct errmsg e = { "" };
	char out[256];

	assert_int_equal(fetch_pick_newest(names, "linux-image-6\\.1\\..*-cloud-amd64-unsigned",
					   out, sizeof(out), &e), 0);
	assert_string_equal(out, "linux-image-6.1.0-50-cloud-amd64-unsigned");
	assert_int_equal(fetch_pick_newest(names, "linux-image-5\\.10\\..*", out, sizeof(out), &e),
			 -ENOENT);
	assert_int_equal(fetch_pick_newest(names, "linux-image-(", out, sizeof(out), &e),
			 -EINVAL);
}

static void test_offline_no_cache(void **state)
{
	struct kernel_desc d;
	struct kernel_files kf;
	struct errmsg e = { "" };
	char cache[512];

	snprintf(cache, sizeof(cache), "%s/emptycache", tmpdir);
	setenv("MLOCKBENCH_CACHE", cache, 1);
	assert_int_equal(kdesc_parse_string("[kernel]\nid = x\nsource = debian\n"
					    "package = linux-image-none\nsuite = bookworm\n",
					    "t.ini", &d, &e), 0);
	assert_int_equal(kernel_cached(&d, &kf, &e), -ENOENT);
	assert_non_null(strstr(e.buf, "linux-image-none"));
	unsetenv("MLOCKBENCH_CACHE");
}

static const char campaign_ok[] =
	"[campaign]\nname = c1\nkernels = debian-5.10, debian-6.1 native\ncompare = design\n"
	"smp = 4\nmemory = 2G\nnuma = 2\ntimeout = 300\n\n"
	"[global]\nreps = 3\n\n[exit-sweep]\nworkload = exit\nprocs = 1,2,4\n\n"
	"[munmap]\nworkload = munmap\n";

static void test_campaign_parse(void **state)
{
	struct campaign c;
	struct errmsg e = { "" };

	assert_int_equal(campaign_parse_string(campaign_ok, "c.ini", &c, &e), 0);
	assert_string_equal(c.name, "c1");
	assert_int_equal(c.nkernels, 3);
	assert_string_equal(c.kernels[0], "debian-5.10");
	assert_string_equal(c.kernels[2], "native");
	assert_int_equal(c.compare, COMPARE_DESIGN);
	assert_int_equal(c.smp, 4);
	assert_int_equal(c.mem_mb, 2048);
	assert_int_equal(c.numa, 2);
	assert_int_equal(c.timeout_s, 300);
	assert_int_equal(c.njobs, 2);
	/* the file itself, [campaign] lines blanked: line numbers stay the file's */
	assert_string_equal(c.job_text, "; [campaign]: read by the host\n\n\n\n\n\n\n\n\n"
					"[global]\nreps = 3\n\n[exit-sweep]\nworkload = exit\n"
					"procs = 1,2,4\n\n[munmap]\nworkload = munmap\n");
	assert_int_equal(campaign_select(&c, "native,debian-6.1", &e), 0);
	assert_int_equal(c.nkernels, 2);
	assert_string_equal(c.kernels[0], "native");
	assert_int_equal(c.nall, 3);
	assert_string_equal(c.all_kernels[0], "debian-5.10");
	assert_int_equal(campaign_select(&c, "debian-4.19", &e), -EINVAL);
	assert_non_null(strstr(e.buf, "not in campaign"));
	campaign_release(&c);
}

static void expect_campaign_error(const char *text, const char *needle)
{
	struct campaign c;
	struct errmsg e = { "" };
	int err = campaign_parse_string(text, "c.ini", &c, &e);

	assert_true(err < 0);
	if (!strstr(e.buf, needle))
		fail_msg("message '%s' lacks '%s'", e.buf, needle);
}

static void test_campaign_errors(void **state)
{
	expect_campaign_error("[campaign]\nkernels = native\n[j]\nworkload = exit\n",
			      "needs a name");
	expect_campaign_error("[campaign]\nname = x\n[j]\nworkload = exit\n", "needs kernels");
	expect_campaign_error("[campaign]\nname = x\nkernels = native\n", "no job section");
	expect_campaign_error("[campaign]\nname = x\nkernels = native\n[global]\nreps = 2\n",
			      "no job section");
	expect_campaign_error("[campaign]\nname = x\nkernels = native\ncolour = red\n[j]\nprocs = 1\n",
			      "unknown key 'colour'");
	expect_campaign_error("[campaign]\nname = x\nkernels = a b\ncompare = speed\n[j]\nprocs = 1\n",
			      "compare 'speed'");
	expect_campaign_error("[campaign]\nname = x\nkernels = a\ncompare = design\n[j]\nprocs = 1\n",
			      "at least two kernels");
	expect_campaign_error("[campaign]\nname = x\nkernels = a\nsmp = 2\nnuma = 3\n[j]\nprocs = 1\n",
			      "exceeds smp");
	expect_campaign_error("[campaign]\nname = x\nkernels = a a\n[j]\nprocs = 1\n",
			      "listed twice");
	expect_campaign_error("[campaign]\nname = ../x\nkernels = a\n[j]\nprocs = 1\n",
			      "bad campaign name");
	expect_campaign_error("[campaign]\nname = x\nkernels = a\nmemory = 1M\n[j]\nprocs = 1\n",
			      "outside");
}

/*
 * The job sections are read on the host by the job-file code, FILE:LINE of
 * the campaign file and -EINVAL (exit 2), before any kernel is fetched.
 */
static void test_campaign_job_errors(void **state)
{
	static const char head[] = "[campaign]\nname = x\nkernels = native\n\n";
	char text[512];

	snprintf(text, sizeof(text), "%s[j]\nworkload = exit\nprocz = 4\n", head);
	expect_campaign_error(text, "c.ini:7: unknown option 'procz'");
	snprintf(text, sizeof(text), "%s[global]\nreps = many\n[j]\nworkload = exit\n", head);
	expect_campaign_error(text, "c.ini:6: reps");
	snprintf(text, sizeof(text), "%s[j]\nworkload = teleport\n", head);
	expect_campaign_error(text, "c.ini:6: workload");
	snprintf(text, sizeof(text), "%s[j]\nbacking = anon-cow\nlock = map-locked\n", head);
	expect_campaign_error(text, "map-locked needs a file backing");
	/* a job section after [campaign] again: still the file's line */
	snprintf(text, sizeof(text), "%s[j]\nworkload = exit\n[campaign]\nsmp = 1\n[k]\nsize = 4Q\n",
		 head);
	expect_campaign_error(text, "c.ini:10: size");
	snprintf(text, sizeof(text), "%s[j]\nworkload = exit\nthis is not ini\n", head);
	expect_campaign_error(text, "c.ini:7:");
}

static void test_campaign_job_error_status(void **state)
{
	struct campaign c;
	struct errmsg e = { "" };

	assert_int_equal(campaign_parse_string("[campaign]\nname = x\nkernels = native\n"
					       "[j]\nprocz = 4\n", "c.ini", &c, &e), -EINVAL);
}

/* The shipped default campaign is valid and compares the two designs. */
static void test_default_campaign(void **state)
{
	struct campaign c;
	struct errmsg e = { "" };

	assert_int_equal(campaign_load(MLB_SOURCE_DIR "/kernels/campaigns/default.ini", &c, &e), 0);
	assert_int_equal(c.compare, COMPARE_DESIGN);
	assert_true(c.nkernels >= 2);
	assert_non_null(strstr(c.job_text, "workload = exit"));
	campaign_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_debian),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_shipped_descriptors),
		cmocka_unit_test(test_mirror),
		cmocka_unit_test(test_pick_newest),
		cmocka_unit_test(test_offline_no_cache),
		cmocka_unit_test(test_campaign_parse),
		cmocka_unit_test(test_campaign_errors),
		cmocka_unit_test(test_campaign_job_errors),
		cmocka_unit_test(test_campaign_job_error_status),
		cmocka_unit_test(test_default_campaign),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
