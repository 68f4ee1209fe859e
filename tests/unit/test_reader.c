// SPDX-License-Identifier: GPL-2.0
/* The result-folder reader on the committed fixtures (tests/fixtures/results). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "result/reader.h"
#include "test_util.h"

static void test_sweep(void **state)
{
	struct result_folder *f;
	const struct result_series *s;
	struct errmsg e = { "" };
	size_t i;

	assert_int_equal(result_folder_load(fixture_path("sweep-rmap"), false, &f, &e), 0);
	assert_string_equal(f->label, "debian-5.10");
	assert_string_equal(f->release, "5.10.0-33-amd64");
	assert_string_equal(f->design, "rmap-walk");
	assert_string_equal(f->status, "complete");
	assert_int_equal(f->nconfigs, 5);
	assert_int_equal(f->configs[4].procs, 16);
	assert_int_equal(f->configs[4].size, 8 << 20);
	assert_string_equal(f->configs[4].workload, "exit");
	for (i = 0; i < f->nconfigs; i++) {
		/* 1 warm-up + 10 timed + 2 instrumented: 10 values */
		s = result_config_series(&f->configs[i], "teardown_ns");
		assert_non_null(s);
		assert_true(s->primary);
		assert_int_equal(s->n, 10);
		s = result_config_series(&f->configs[i], "utime_us");
		assert_non_null(s);
		assert_string_equal(s->unit, "us");
		assert_false(s->primary);
		/* locks rows only on the 2 instrumented reps: kept */
		s = result_config_series(&f->configs[i], "locks.i_mmap_rwsem.wait_ns");
		assert_non_null(s);
		assert_int_equal(s->n, 2);
		/* vmstat on every rep except the warm-up */
		s = result_config_series(&f->configs[i], "vmstat.delta_unevictable_pgs_mlocked");
		assert_non_null(s);
		assert_int_equal(s->n, 12);
		/* empty values are n/a, rep -1 is a summary: neither is a series */
		assert_null(result_config_series(&f->configs[i], "perf.cycles"));
		assert_null(result_config_series(&f->configs[i], "vmstat.fingerprint_ok"));
		/* latencies of the 10 timed reps only */
		assert_int_equal(f->configs[i].nlat, 10 * f->configs[i].procs);
	}
	result_folder_free(f);
}

static void test_label_native(void **state)
{
	struct result_folder *f;

	assert_int_equal(result_folder_load(fixture_path("aa-1"), false, &f, NULL), 0);
	assert_string_equal(f->label, "6.18.0-test-amd64");
	assert_int_equal(f->nconfigs, 2);
	result_folder_free(f);
}

static void test_unique_labels(void **state)
{
	struct result_folder *f[3];

	assert_int_equal(result_folder_load(fixture_path("aa-1"), false, &f[0], NULL), 0);
	assert_int_equal(result_folder_load(fixture_path("aa-2"), false, &f[1], NULL), 0);
	assert_int_equal(result_folder_load(fixture_path("sweep-rmap"), false, &f[2], NULL), 0);
	result_folders_unique_labels(f, 3);
	assert_string_equal(f[0]->label, "6.18.0-test-amd64 (aa-1)");
	assert_string_equal(f[1]->label, "6.18.0-test-amd64 (aa-2)");
	assert_string_equal(f[2]->label, "debian-5.10");
	result_folder_free(f[0]);
	result_folder_free(f[1]);
	result_folder_free(f[2]);
}

static void test_incomplete(void **state)
{
	struct result_folder *f;
	struct errmsg e = { "" };

	assert_int_equal(result_folder_load(fixture_path("incomplete"), false, &f, &e), -EINVAL);
	assert_null(f);
	assert_non_null(strstr(e.buf, "interrupted"));
	assert_int_equal(result_folder_load(fixture_path("incomplete"), true, &f, &e), 0);
	assert_string_equal(f->status, "interrupted");
	result_folder_free(f);
}

static void test_errors(void **state)
{
	char dir[] = "/tmp/mlb-reader-XXXXXX", path[4096];
	struct result_folder *f;
	struct errmsg e = { "" };
	FILE *fp;

	assert_int_equal(result_folder_load("/nonexistent/mlb", false, &f, &e), -ENOENT);
	assert_non_null(mkdtemp(dir));
	assert_int_equal(result_folder_load(dir, false, &f, &e), -ENOENT);
	assert_non_null(strstr(e.buf, "manifest.json"));
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	fp = fopen(path, "w");
	fputs("{\"schema\": \"mlockbench-result\", \"schema_version\": 2, \"status\": \"complete\"}",
	      fp);
	fclose(fp);
	assert_int_equal(result_folder_load(dir, false, &f, &e), -EINVAL);
	assert_non_null(strstr(e.buf, "schema_version"));
	fp = fopen(path, "w");
	fputs("{\"schema\": \"other\"}", fp);
	fclose(fp);
	assert_int_equal(result_folder_load(dir, false, &f, &e), -EINVAL);
	fp = fopen(path, "w");
	fputs("{\"schema\": \"mlockbench-result\", \"schema_version\": 1, \"status\": \"complete\"}",
	      fp);
	fclose(fp);
	/* no samples.csv */
	assert_int_equal(result_folder_load(dir, false, &f, &e), -ENOENT);
	snprintf(path, sizeof(path), "%s/samples.csv", dir);
	fp = fopen(path, "w");
	fputs("config,rep,warmup,teardown_ns\n0,0,0,\"12\"\n0,1,0,x\n", fp);
	fclose(fp);
	assert_int_equal(result_folder_load(dir, false, &f, &e), -EINVAL);
	assert_non_null(strstr(e.buf, ":2: config 0 is not in manifest.json"));
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	fp = fopen(path, "w");
	fputs("{\"schema\": \"mlockbench-result\", \"schema_version\": 1, \"status\": \"complete\", "
	      "\"configs\": [{\"id\": 0, \"procs\": 2, \"plain\": 0, \"size\": 4096}]}", fp);
	fclose(fp);
	snprintf(path, sizeof(path), "%s/samples.csv", dir);
	assert_int_equal(result_folder_load(dir, false, &f, &e), -EINVAL);
	assert_non_null(strstr(e.buf, ":3: teardown_ns 'x' is not an integer from 0 to"));
	fp = fopen(path, "w");
	fputs("config,rep,warmup,teardown_ns\n0,0,1,99\n0,1,0,\"12\"\n0,2,0,14\n", fp);
	fclose(fp);
	assert_int_equal(result_folder_load(dir, false, &f, &e), 0);
	assert_int_equal(f->nconfigs, 1);
	assert_int_equal(result_config_series(&f->configs[0], "teardown_ns")->n, 2);
	assert_true(result_config_series(&f->configs[0], "teardown_ns")->v[0] == 12);
	result_folder_free(f);
	unlink(path);
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sweep),
		cmocka_unit_test(test_label_native),
		cmocka_unit_test(test_unique_labels),
		cmocka_unit_test(test_incomplete),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
