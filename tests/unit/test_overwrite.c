// SPDX-License-Identifier: GPL-2.0
/*
 * --overwrite never mixes two runs in one folder: whatever step of the
 * replacement fails (a file that cannot be written, a kill between two
 * renames: simulated by failing the k-th step, for every k), the folder
 * never shows the old run's manifest beside the new run's samples, nor
 * the new manifest beside the old samples.
 */
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
#include <jansson.h>

#include "common/atomic_file.h"
#include "engine/collector.h"
#include "engine/engine.h"
#include "result/writer.h"
#include "test_util.h"

static char dir[] = "/tmp/mlb-test-overwrite-XXXXXX";
static char out[4200];

static int setup(void **state)
{
	if (!mkdtemp(dir))
		return -1;
	snprintf(out, sizeof(out), "%s/res", dir);
	return 0;
}

static int teardown(void **state)
{
	return rm_rf(dir);
}

struct fixture {
	struct job job;
	struct config old_cfg, new_cfg;
};

static void make_fixture(struct fixture *f)
{
	struct errmsg e = { "" };

	job_init(&f->job, "jobA");
	assert_int_equal(job_set(&f->job, "workload", "exit", &e), 0);
	/* the same id, another number of processes: what compare would mix up */
	f->old_cfg = (struct config){ .id = 0, .job = &f->job, .wl = workload_find("exit"),
				      .procs = 2, .size = 4 << 20 };
	f->new_cfg = (struct config){ .id = 0, .job = &f->job, .wl = workload_find("exit"),
				      .procs = 6, .size = 4 << 20 };
	assert_non_null(f->old_cfg.wl);
}

static int write_run(const struct config *c, const char *label, bool force, struct errmsg *e)
{
	static const uint64_t lat[6] = { 10, 20, 30, 40, 50, 60 };
	struct rep_result r = { .setup_ns = 1, .teardown_ns = 2, .lat_ns = (uint64_t *)lat };
	struct result_writer w;
	int ret;

	ret = result_writer_open(&w, out, force, e);
	if (!ret) {
		json_object_set_new(w.manifest, "kernel_id", json_string(label));
		ret = result_writer_add_config(&w, c);
	}
	if (!ret)
		ret = result_writer_add_rep(&w, c, 0, false, NULL, &r);
	if (!ret)
		ret = result_writer_flush(&w, "running", e);
	if (!ret)
		ret = result_writer_add_rep(&w, c, 1, false, NULL, &r);
	if (!ret)
		ret = result_writer_flush(&w, "complete", e);
	result_writer_release(&w);
	return ret;
}

static char *slurp(const char *name)
{
	char path[4300];
	FILE *f;
	char *buf;
	long len;

	snprintf(path, sizeof(path), "%s/%s", out, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = calloc(1, len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, len, f), len);
	fclose(f);
	return buf;
}

/* The procs column of every samples.csv row: 2 (old run), 6 (new) or 0 (mixed or none). */
static int samples_procs(const char *csv)
{
	int procs = 0, p;
	const char *l;

	for (l = strchr(csv, '\n'); l && l[1]; l = strchr(l + 1, '\n')) {
		if (sscanf(l + 1, "%*[^,],%*[^,],%*[^,],%*[^,],%*[^,],%d,", &p) != 1)
			fail_msg("bad samples.csv row: %.60s", l + 1);
		if (procs && p != procs)
			return 0;
		procs = p;
	}
	return procs;
}

/* The folder as a reader finds it holds one run, whatever it is. */
static void one_run_only(int step)
{
	char *m = slurp("manifest.json"), *samples = slurp("samples.csv");
	const char *label = NULL, *status = NULL;
	json_t *j = NULL;
	int procs;

	if (m) {
		j = json_loads(m, 0, NULL);
		assert_non_null(j);
		label = json_string_value(json_object_get(j, "kernel_id"));
		status = json_string_value(json_object_get(j, "status"));
	}
	if (samples) {
		procs = samples_procs(samples);
		if (!procs)
			fail_msg("step %d: samples.csv mixes two runs", step);
		if (label && !strcmp(label, "old") && procs != 2)
			fail_msg("step %d: the old manifest (%s) is beside the new run's samples",
				 step, status);
		if (procs == 2 && !(label && !strcmp(label, "old")))
			fail_msg("step %d: the old samples are beside a new manifest", step);
		if (procs == 6 && !m)
			fail_msg("step %d: the new samples without a manifest", step);
	}
	json_decref(j);
	free(m);
	free(samples);
}

static int fail_at, steps;

static int fail_kth_step(const char *step, const char *name)
{
	(void)step;
	(void)name;
	return ++steps == fail_at ? -ENOSPC : 0;
}

static void test_every_step_fails(void **state)
{
	struct errmsg e = { "" };
	struct fixture f;
	char *samples;
	int ret;

	make_fixture(&f);
	for (fail_at = 1;; fail_at++) {
		rm_rf(out);
		assert_int_equal(write_run(&f.old_cfg, "old", false, &e), 0);
		one_run_only(0);
		steps = 0;
		atomic_file_fault = fail_kth_step;
		ret = write_run(&f.new_cfg, "new", true, &e);
		atomic_file_fault = NULL;
		one_run_only(fail_at);
		if (!ret)
			break;
		assert_int_equal(ret, -ENOSPC);
		assert_true(fail_at < 100);
	}
	/* the last round failed no step: the new run is whole */
	assert_true(fail_at > 3);
	samples = slurp("samples.csv");
	assert_non_null(samples);
	assert_int_equal(samples_procs(samples), 6);
	free(samples);
}

/* The same without a hook: latencies.csv cannot be replaced (a folder took its name). */
static void test_file_cannot_be_written(void **state)
{
	char path[4300];
	struct errmsg e = { "" };
	struct fixture f;

	make_fixture(&f);
	rm_rf(out);
	assert_int_equal(write_run(&f.old_cfg, "old", false, &e), 0);
	snprintf(path, sizeof(path), "%s/latencies.csv", out);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_true(write_run(&f.new_cfg, "new", true, &e) < 0);
	one_run_only(1);
}

/* A folder that is not a result is never written into, --overwrite or not. */
static void test_not_a_result(void **state)
{
	char path[4300], *before;
	struct result_writer w;
	struct errmsg e = { "" };
	FILE *fp;

	rm_rf(out);
	assert_int_equal(mkdir(out, 0755), 0);
	snprintf(path, sizeof(path), "%s/samples.csv", out);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("my own data\n", fp);
	fclose(fp);
	for (int force = 0; force < 2; force++) {
		assert_int_equal(result_writer_check(out, force, &e), -EEXIST);
		assert_non_null(strstr(e.buf, "no mlockbench result"));
		assert_int_equal(result_writer_open(&w, out, force, &e), -EEXIST);
		result_writer_release(&w);
	}
	before = slurp("samples.csv");
	assert_string_equal(before, "my own data\n");
	free(before);
	assert_null(slurp("manifest.json"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_step_fails),
		cmocka_unit_test(test_file_cannot_be_written),
		cmocka_unit_test(test_not_a_result),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
