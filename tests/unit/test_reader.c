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
	/* a samples.csv without the configuration's columns is not one of ours */
	assert_int_equal(result_folder_load(dir, false, &f, &e), -EINVAL);
	assert_non_null(strstr(e.buf, "samples.csv: no 'job' column"));
	fp = fopen(path, "w");
	fputs("config,job,workload,backing,lock,procs,plain,size,rep,warmup,teardown_ns,lat_max_ns\n" "0,,,,,2,0,4096,0,0,\"12\",7\n0,,,,,2,0,4096,1,0,x,7\n", fp);
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
	fputs("config,job,workload,backing,lock,procs,plain,size,rep,warmup,teardown_ns,lat_max_ns\n" "0,,,,,2,0,4096,0,1,99,1\n0,,,,,2,0,4096,1,0,\"12\",1\n"
	      "0,,,,,2,0,4096,2,0,14,1\n", fp);
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


/*
 * Hostile folders: a small valid folder (one configuration, procs=2, three
 * repetitions) in a temporary directory, then one file replaced.
 */
#define T_CONFIG "{\"id\": 0, \"job\": \"job0\", \"workload\": \"exit\", \"backing\": \"shmem\", " \
		 "\"lock\": \"mlock\", \"pin\": \"none\", \"procs\": 2, \"plain\": 0, \"size\": 4096}"
#define T_MANIFEST(configs) "{\"schema\": \"mlockbench-result\", \"schema_version\": 1, " \
			    "\"status\": \"complete\", \"kernel_id\": \"native\", " \
			    "\"configs\": [" configs "]}"
#define T_HDR "config,job,workload,backing,lock,procs,plain,size,rep,warmup,instrumented," \
	      "setup_ns,teardown_ns,lat_max_ns\n"
#define T_ROW(rep, teardown) "0,job0,exit,shmem,mlock,2,0,4096," rep ",0,0,10," teardown ",7\n"
#define T_SAMPLES T_HDR T_ROW("0", "100") T_ROW("1", "101") T_ROW("2", "102")
#define T_LAT "config,rep,child,latency_ns\n0,0,0,5\n0,0,1,6\n0,1,0,5\n"
#define T_METRICS "config,rep,collector,metric,value,unit\n0,0,vmstat,x,3,pages\n" \
		  "0,-1,vmstat,ok,1,bool\n0,1,vmstat,x,-2.5,pages\n"

static void put(const char *dir, const char *name, const char *text)
{
	char path[4200];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

/* The valid folder with @name holding @text; NULL: a fresh valid folder. */
static void hostile_folder(char *dir, const char *name, const char *text)
{
	strcpy(dir, "/tmp/mlb-hostile-XXXXXX");
	assert_non_null(mkdtemp(dir));
	put(dir, "manifest.json", T_MANIFEST(T_CONFIG));
	put(dir, "samples.csv", T_SAMPLES);
	put(dir, "latencies.csv", T_LAT);
	put(dir, "metrics.csv", T_METRICS);
	if (name)
		put(dir, name, text);
}

/* Loading the valid folder with @name replaced by @text fails naming @where. */
static void refused(const char *name, const char *text, const char *where)
{
	char dir[64], want[256];
	struct result_folder *f;
	struct errmsg e = { "" };

	hostile_folder(dir, name, text);
	snprintf(want, sizeof(want), "%s/%s", dir, where);
	if (result_folder_load(dir, false, &f, &e) != -EINVAL || !strstr(e.buf, want))
		fail_msg("%s: %s: expected an error at '%s', got '%s'", name, text, want, e.buf);
	assert_null(f);
	if (rm_rf(dir))
		fail_msg("cannot remove %s", dir);
}

static void test_hostile_valid(void **state)
{
	char dir[64];
	struct result_folder *f;
	struct errmsg e = { "" };
	const struct result_series *s;

	hostile_folder(dir, NULL, NULL);
	if (result_folder_load(dir, false, &f, &e))
		fail_msg("%s", e.buf);
	s = result_config_series(&f->configs[0], "teardown_ns");
	assert_int_equal(s->n, 3);
	assert_int_equal(f->configs[0].nlat, 3);
	s = result_config_series(&f->configs[0], "vmstat.x");
	assert_int_equal(s->n, 2);
	assert_true(s->v[1] == -2.5);	/* metrics may be negative (deltas) */
	result_folder_free(f);
	assert_int_equal(rm_rf(dir), 0);
}

/*
 * plain_teardown_ns: a primary series where it has values, n/a (empty)
 * with plain=0, absent in folders written before it; checked like any time.
 */
static void test_plain_teardown(void **state)
{
	const char *hdr = "config,job,workload,backing,lock,procs,plain,size,rep,warmup,"
			  "teardown_ns,plain_teardown_ns,lat_max_ns\n";
	char dir[64], text[1024];
	struct result_folder *f;
	struct errmsg e = { "" };
	const struct result_series *s;

	snprintf(text, sizeof(text), "%s0,job0,exit,shmem,mlock,2,0,4096,0,0,5,44,7\n"
		 "0,job0,exit,shmem,mlock,2,0,4096,1,0,6,46,7\n", hdr);
	hostile_folder(dir, "samples.csv", text);
	put(dir, "latencies.csv", "config,rep,child,latency_ns\n");
	put(dir, "metrics.csv", "config,rep,collector,metric,value,unit\n");
	if (result_folder_load(dir, false, &f, &e))
		fail_msg("%s", e.buf);
	s = result_config_series(&f->configs[0], "plain_teardown_ns");
	assert_non_null(s);
	assert_true(s->primary);
	assert_string_equal(s->unit, "ns");
	assert_int_equal(s->n, 2);
	assert_true(s->v[0] == 44 && s->v[1] == 46);
	result_folder_free(f);
	/* empty: no plain mappers, no series (and so no row anywhere) */
	snprintf(text, sizeof(text), "%s0,job0,exit,shmem,mlock,2,0,4096,0,0,5,,7\n", hdr);
	put(dir, "samples.csv", text);
	if (result_folder_load(dir, false, &f, &e))
		fail_msg("%s", e.buf);
	assert_null(result_config_series(&f->configs[0], "plain_teardown_ns"));
	result_folder_free(f);
	assert_int_equal(rm_rf(dir), 0);
	/* the old folders (no such column) still read: the valid folder has none */
	hostile_folder(dir, NULL, NULL);
	if (result_folder_load(dir, false, &f, &e))
		fail_msg("%s", e.buf);
	assert_null(result_config_series(&f->configs[0], "plain_teardown_ns"));
	result_folder_free(f);
	assert_int_equal(rm_rf(dir), 0);
	snprintf(text, sizeof(text), "%s0,job0,exit,shmem,mlock,2,0,4096,0,0,5,-3,7\n", hdr);
	refused("samples.csv", text, "samples.csv:2: plain_teardown_ns '-3'");
}

/* Defect 4: timing columns are finite non-negative integers in range. */
static void test_hostile_timings(void **state)
{
	static const char *const bad[] = {
		"inf", "nan", "-inf", "-5", "1e3", "12abc", " 12", "0x10", "", "1.5",
		"2000000000000000",	/* 2e15 ns: beyond 10^15 */
		"184467440737095516160",
		/* 400 digits */
		"1000000000000000000000000000000000000000000000000000000000000000000000000"
		"0000000000000000000000000000000000000000000000000000000000000000000000000"
		"0000000000000000000000000000000000000000000000000000000000000000000000000"
		"0000000000000000000000000000000000000000000000000000000000000000000000000"
		"0000000000000000000000000000000000000000000000000000000000000000000000000"
		"0000000000000000000000000",
	};
	char samples[1024];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(samples, sizeof(samples), T_HDR T_ROW("0", "100") "%s%s%s" T_ROW("2", "102"),
			 "0,job0,exit,shmem,mlock,2,0,4096,1,0,0,10,", bad[i], ",7\n");
		if (!*bad[i])
			continue;	/* empty is n/a, not an error */
		refused("samples.csv", samples, "samples.csv:3: teardown_ns");
	}
	/* a bad warm-up value is a bad file too, though it is not a statistic */
	refused("samples.csv", T_HDR "0,job0,exit,shmem,mlock,2,0,4096,0,1,0,10,inf,7\n",
		"samples.csv:2: teardown_ns");
	refused("samples.csv", T_HDR "0,job0,exit,shmem,mlock,2,0,4096,0,2,0,10,5,7\n",
		"samples.csv:2: warmup '2'");
	refused("samples.csv", T_HDR "0,job0,exit,shmem,mlock,2,0,4096,-1,0,0,10,5,7\n",
		"samples.csv:2: rep '-1'");
	refused("samples.csv", T_HDR "0,job0,exit,shmem,mlock,2,0,4096,0,0,nan,10,5,7\n",
		"samples.csv:2: instrumented");
	refused("samples.csv", T_HDR "0,job0,exit,shmem,mlock,2,0,4096,0,0,0,10,5,nan\n",
		"samples.csv:2: lat_max_ns 'nan'");
	/* a time that is no series is checked too (fuzz_results: lat_min_ns -1e9 passed) */
	refused("samples.csv", "config,job,workload,backing,lock,procs,plain,size,rep,warmup,"
		"instrumented,setup_ns,teardown_ns,lat_min_ns,lat_max_ns\n"
		"0,job0,exit,shmem,mlock,2,0,4096,0,0,0,10,5,-1000000000,7\n",
		"samples.csv:2: lat_min_ns '-1000000000'");
	/* a configuration or gated column missing: not one of our folders */
	refused("samples.csv", "config,job,workload,backing,lock,plain,size,rep,warmup,"
		"instrumented,setup_ns,teardown_ns,lat_max_ns\n"
		"0,job0,exit,shmem,mlock,0,4096,0,0,0,10,5,7\n", "samples.csv: no 'procs' column");
	refused("samples.csv", "config,job,workload,backing,lock,procs,plain,size,rep,warmup,"
		"instrumented,setup_ns,teardown_ns\n"
		"0,job0,exit,shmem,mlock,2,0,4096,0,0,0,10,5\n", "samples.csv: no 'lat_max_ns' column");
	refused("latencies.csv", "config,rep,child,latency_ns\n0,0,0,nan\n",
		"latencies.csv:2: latency_ns 'nan'");
	refused("latencies.csv", "config,rep,child,latency_ns\n0,0,0,5\n0,0,1,-3\n",
		"latencies.csv:3: latency_ns '-3'");
	refused("metrics.csv", "config,rep,collector,metric,value,unit\n0,0,vmstat,x,inf,pages\n",
		"metrics.csv:2: value 'inf'");
	refused("metrics.csv", "config,rep,collector,metric,value,unit\n0,0,vmstat,x,nan,pages\n",
		"metrics.csv:2: value 'nan'");
	refused("metrics.csv", "config,rep,collector,metric,value,unit\n0,0,vmstat,x,1e400,pages\n",
		"metrics.csv:2: value '1e400'");
	refused("metrics.csv", "config,rep,collector,metric,value,unit\n0,0,vmstat,x,3x,pages\n",
		"metrics.csv:2: value '3x'");
}

/* Defect 10: configuration ids unique and in range. */
static void test_hostile_ids(void **state)
{
	refused("manifest.json", T_MANIFEST(T_CONFIG ", " T_CONFIG),
		"manifest.json: configs[0] and configs[1] both have id 0");
	refused("manifest.json", T_MANIFEST("{\"id\": 4294967296, \"procs\": 2, \"plain\": 0, "
					    "\"size\": 4096}"),
		"manifest.json: configs[0].id is out of range");
	refused("manifest.json", T_MANIFEST("{\"id\": -1, \"procs\": 2, \"plain\": 0, "
					    "\"size\": 4096}"),
		"manifest.json: configs[0].id is out of range");
	refused("manifest.json", T_MANIFEST("{\"id\": 0, \"procs\": 0, \"plain\": 0, "
					    "\"size\": 4096}"),
		"manifest.json: configs[0].procs");
	refused("manifest.json", T_MANIFEST("{\"id\": 0, \"procs\": \"2\", \"plain\": 0, "
					    "\"size\": 4096}"),
		"manifest.json: configs[0].procs is missing or not an integer");
	refused("samples.csv", T_HDR "4294967296,job0,exit,shmem,mlock,2,0,4096,0,0,0,10,5,7\n",
		"samples.csv:2: config '4294967296'");
	refused("samples.csv", T_SAMPLES T_ROW("1", "103"), "samples.csv:5: config 0 rep 1 again");
}

/* Defect 9: each row against its configuration in the manifest. */
static void test_hostile_mixed_runs(void **state)
{
	/* the reproducer: the old manifest says procs=2, the rows are procs=64 */
	refused("samples.csv", T_HDR "0,job0,exit,shmem,mlock,64,0,4096,0,0,0,10,2000,7\n",
		"samples.csv:2: config 0 has procs=64 here but 2 in manifest.json");
	refused("samples.csv", T_HDR T_ROW("0", "1") "0,job0,exit,shmem,mlock,2,0,8192,1,0,0,10,5,7\n",
		"samples.csv:3: config 0 has size=8192");
	refused("samples.csv", T_HDR "0,job0,munmap,shmem,mlock,2,0,4096,0,0,0,10,5,7\n",
		"samples.csv:2: config 0 has workload=munmap");
	refused("samples.csv", T_SAMPLES "1,job0,exit,shmem,mlock,2,0,4096,0,0,0,10,5,7\n",
		"samples.csv:5: config 1 is not in manifest.json");
	refused("latencies.csv", "config,rep,child,latency_ns\n0,0,0,5\n0,0,2,6\n",
		"latencies.csv:3: child 2 of config 0, which has procs=2");
	refused("latencies.csv", "config,rep,child,latency_ns\n3,0,0,5\n",
		"latencies.csv:2: config 3 is not in manifest.json");
	refused("latencies.csv", "config,rep,child,latency_ns\n0,9,0,5\n",
		"latencies.csv:2: config 0 rep 9 is not in samples.csv");
	refused("metrics.csv", "config,rep,collector,metric,value,unit\n0,9,vmstat,x,1,pages\n",
		"metrics.csv:2: config 0 rep 9 is not in samples.csv");
	refused("metrics.csv", "config,rep,collector,metric,value,unit\n5,-1,vmstat,x,1,pages\n",
		"metrics.csv:2: config 5 is not in manifest.json");
}

/* Minor defect: a folder gated against itself, or a copy of it, is one run. */
static void test_same_run(void **state)
{
	char dir[64], cmd[4300];
	struct result_folder *a = fixture_load("aa-1"), *b = fixture_load("aa-2"), *c;
	struct errmsg e = { "" };

	assert_true(result_folder_same_run(a, a));
	assert_false(result_folder_same_run(a, b));
	strcpy(dir, "/tmp/mlb-copy-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "cp '%s'/* '%s'/", fixture_path("aa-1"), dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(result_folder_load(dir, false, &c, &e), 0);
	assert_true(result_folder_same_run(a, c));
	result_folder_free(a);
	result_folder_free(b);
	result_folder_free(c);
	assert_int_equal(rm_rf(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sweep),
		cmocka_unit_test(test_label_native),
		cmocka_unit_test(test_unique_labels),
		cmocka_unit_test(test_incomplete),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_hostile_valid),
		cmocka_unit_test(test_plain_teardown),
		cmocka_unit_test(test_hostile_timings),
		cmocka_unit_test(test_hostile_ids),
		cmocka_unit_test(test_hostile_mixed_runs),
		cmocka_unit_test(test_same_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
