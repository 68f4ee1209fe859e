// SPDX-License-Identifier: GPL-2.0
/* The result folder writer: files, columns, values, statuses, atomicity. */
#include <dirent.h>
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

static char dir[] = "/tmp/mlb-test-writer-XXXXXX";
static char out[4200];

static int setup(void **state)
{
	if (!mkdtemp(dir))
		return -1;
	snprintf(out, sizeof(out), "%s/res/sub", dir);	/* parents created too */
	return 0;
}

static int teardown(void **state)
{
	return rm_rf(dir);
}

struct fixture {
	struct job job;
	struct config cfg[2];
};

static void make_fixture(struct fixture *f)
{
	struct errmsg e = { "" };

	job_init(&f->job, "jobA");
	assert_int_equal(job_set(&f->job, "workload", "munmap", &e), 0);
	assert_int_equal(job_set(&f->job, "backing", "anon-cow", &e), 0);
	assert_int_equal(job_set(&f->job, "lock", "onfault", &e), 0);
	f->cfg[0] = (struct config){ .id = 0, .job = &f->job, .wl = workload_find("munmap"),
				     .procs = 3, .plain = 0, .size = 4 << 20 };
	f->cfg[1] = (struct config){ .id = 1, .job = &f->job, .wl = workload_find("munmap"),
				     .procs = 4, .plain = 2, .size = 8 << 20 };
	assert_non_null(f->cfg[0].wl);
}

static void add_rep(struct result_writer *w, const struct config *c, int rep, bool warmup,
		    const char *instr, const uint64_t *lat)
{
	struct rep_result r = {
		.setup_ns = 1000 + rep, .teardown_ns = 2000 + rep, .skew_ns = 30 + rep,
		.lat_ns = (uint64_t *)lat, .utime_us = 7, .stime_us = 11,
		.plain_teardown_ns = c->plain ? 500 + rep : 0,
	};

	assert_int_equal(result_writer_add_rep(w, c, rep, warmup, instr, &r), 0);
}

static char *slurp(const char *name)
{
	char path[4300], *buf;
	FILE *f;
	long len;

	snprintf(path, sizeof(path), "%s/%s", out, name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("%s: %s", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = calloc(1, len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, len, f), len);
	fclose(f);
	return buf;
}

/* Line @i (0 = header) of a CSV text, without its newline. */
static char *line(char *text, int i, char *buf, size_t len)
{
	char *p = text, *nl;

	while (i-- > 0) {
		p = strchr(p, '\n');
		assert_non_null(p);
		p++;
	}
	nl = strchr(p, '\n');
	assert_non_null(nl);	/* every line ends with a newline */
	snprintf(buf, len, "%.*s", (int)(nl - p), p);
	return buf;
}

static int count_lines(const char *text)
{
	int n = 0;

	for (; *text; text++)
		n += *text == '\n';
	return n;
}

static json_t *manifest(void)
{
	char path[4300];
	json_error_t err;
	json_t *m;

	snprintf(path, sizeof(path), "%s/manifest.json", out);
	m = json_load_file(path, 0, &err);
	if (!m)
		fail_msg("%s: %s", path, err.text);
	return m;
}

static void no_temp_files(void)
{
	struct dirent *d;
	DIR *dp = opendir(out);

	assert_non_null(dp);
	while ((d = readdir(dp)))
		if (strstr(d->d_name, ".tmp.") || atomic_file_is_temp(d->d_name))
			fail_msg("temp file left: %s", d->d_name);
	closedir(dp);
}

static void fill(struct result_writer *w, struct fixture *f)
{
	static const uint64_t lat3[] = { 300, 100, 200 };
	static const uint64_t lat3b[] = { 50, 50, 90 };
	static const uint64_t lat4[] = { 40, 10, 30, 20 };

	assert_int_equal(result_writer_add_config(w, &f->cfg[0]), 0);
	add_rep(w, &f->cfg[0], 0, true, NULL, lat3);
	add_rep(w, &f->cfg[0], 1, false, NULL, lat3b);
	metric_sink_at(&w->sink, 0, 1);
	assert_int_equal(metric_emit(&w->sink, "vmstat", "delta_unevictable_pgs_mlocked",
				     1024, "pages"), 0);
	assert_int_equal(metric_emit_na(&w->sink, "perf", "cycles", "count"), 0);
	metric_sink_at(&w->sink, 0, -1);
	assert_int_equal(check_emit(&w->sink, "vmstat", "design-fingerprint", true,
				    "grew by %d pages", 1024), 0);
	assert_int_equal(result_writer_add_config(w, &f->cfg[1]), 0);
	add_rep(w, &f->cfg[1], 0, false, "locks", lat4);
}

static void test_complete(void **state)
{
	struct result_writer w;
	struct errmsg e = { "" };
	struct fixture f;
	json_t *m, *cfgs, *c;
	char *csv, buf[512];

	make_fixture(&f);
	assert_int_equal(result_writer_open(&w, out, false, &e), 0);
	json_object_set_new(w.manifest, "kernel_id", json_string("native"));
	fill(&w, &f);
	assert_int_equal(result_writer_flush(&w, "complete", &e), 0);
	result_writer_release(&w);

	m = manifest();
	assert_string_equal(json_string_value(json_object_get(m, "schema")), RESULT_SCHEMA);
	assert_string_equal(RESULT_SCHEMA, "mlockbench-result");
	assert_int_equal(json_integer_value(json_object_get(m, "schema_version")), 1);
	assert_string_equal(json_string_value(json_object_get(m, "status")), "complete");
	assert_string_equal(json_string_value(json_object_get(m, "kernel_id")), "native");
	assert_non_null(json_string_value(json_object_get(m, "end")));
	cfgs = json_object_get(m, "configs");
	assert_int_equal(json_array_size(cfgs), 2);
	c = json_array_get(cfgs, 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(cfgs, 0), "id")), 0);
	assert_int_equal(json_integer_value(json_object_get(c, "id")), 1);
	assert_string_equal(json_string_value(json_object_get(c, "job")), "jobA");
	assert_string_equal(json_string_value(json_object_get(c, "workload")), "munmap");
	assert_int_equal(json_integer_value(json_object_get(c, "procs")), 4);
	assert_int_equal(json_integer_value(json_object_get(c, "plain")), 2);
	assert_int_equal(json_integer_value(json_object_get(c, "size")), 8 << 20);
	assert_string_equal(json_string_value(json_object_get(c, "backing")), "anon-cow");
	assert_string_equal(json_string_value(json_object_get(c, "lock")), "onfault");
	assert_string_equal(json_string_value(json_object_get(c, "pin")), "none");
	assert_int_equal(json_integer_value(json_object_get(c, "reps")), 10);
	assert_int_equal(json_integer_value(json_object_get(c, "warmup")), 1);
	c = json_array_get(json_object_get(m, "checks"), 0);
	assert_non_null(c);
	assert_int_equal(json_integer_value(json_object_get(c, "config")), 0);
	assert_true(json_is_true(json_object_get(c, "ok")));
	assert_string_equal(json_string_value(json_object_get(c, "detail")), "grew by 1024 pages");
	json_decref(m);

	csv = slurp("samples.csv");
	assert_string_equal(line(csv, 0, buf, sizeof(buf)),
			    "config,job,workload,backing,lock,procs,plain,size,rep,warmup,"
			    "instrumented,instrumented_by,setup_ns,teardown_ns,plain_teardown_ns,"
			    "skew_ns,lat_min_ns,lat_median_ns,lat_max_ns,utime_us,stime_us");
	assert_int_equal(count_lines(csv), 1 + 3);
	/* odd count: the middle value; even: the mean of the two middle ones; plain=0: n/a */
	assert_string_equal(line(csv, 1, buf, sizeof(buf)),
			    "0,jobA,munmap,anon-cow,onfault,3,0,4194304,0,1,0,,1000,2000,,30,100,200,300,7,11");
	assert_string_equal(line(csv, 2, buf, sizeof(buf)),
			    "0,jobA,munmap,anon-cow,onfault,3,0,4194304,1,0,0,,1001,2001,,31,50,50,90,7,11");
	assert_string_equal(line(csv, 3, buf, sizeof(buf)),
			    "1,jobA,munmap,anon-cow,onfault,4,2,8388608,0,0,1,locks,1000,2000,500,30,10,25,40,7,11");
	free(csv);

	csv = slurp("latencies.csv");
	assert_string_equal(line(csv, 0, buf, sizeof(buf)), "config,rep,child,latency_ns");
	assert_int_equal(count_lines(csv), 1 + 3 + 3 + 4);
	assert_string_equal(line(csv, 1, buf, sizeof(buf)), "0,0,0,300");
	assert_string_equal(line(csv, 3, buf, sizeof(buf)), "0,0,2,200");
	assert_string_equal(line(csv, 6, buf, sizeof(buf)), "0,1,2,90");
	assert_string_equal(line(csv, 10, buf, sizeof(buf)), "1,0,3,20");
	free(csv);

	csv = slurp("metrics.csv");
	assert_string_equal(line(csv, 0, buf, sizeof(buf)), "config,rep,collector,metric,value,unit");
	assert_int_equal(count_lines(csv), 3);
	assert_string_equal(line(csv, 1, buf, sizeof(buf)),
			    "0,1,vmstat,delta_unevictable_pgs_mlocked,1024,pages");
	assert_string_equal(line(csv, 2, buf, sizeof(buf)), "0,1,perf,cycles,,count");
	free(csv);
	no_temp_files();
}

/* A folder that holds a result is never overwritten by accident. */
static void test_exists(void **state)
{
	struct result_writer w;
	struct errmsg e = { "" };
	char *before, *after;

	before = slurp("manifest.json");
	assert_int_equal(result_writer_open(&w, out, false, &e), -EEXIST);
	assert_non_null(strstr(e.buf, out));
	assert_non_null(strstr(e.buf, "--overwrite"));
	after = slurp("manifest.json");
	assert_string_equal(before, after);
	free(before);
	free(after);
	/* with force: replaced */
	assert_int_equal(result_writer_open(&w, out, true, &e), 0);
	assert_int_equal(result_writer_flush(&w, "complete", &e), 0);
	result_writer_release(&w);
	after = slurp("samples.csv");
	assert_int_equal(count_lines(after), 1);
	free(after);
	no_temp_files();
}

static void test_running_then_interrupted(void **state)
{
	struct result_writer w;
	struct errmsg e = { "" };
	struct fixture f;
	json_t *m;
	char *csv;

	make_fixture(&f);
	assert_int_equal(result_writer_open(&w, out, true, &e), 0);
	fill(&w, &f);
	assert_int_equal(result_writer_flush(&w, "running", &e), 0);
	m = manifest();
	assert_string_equal(json_string_value(json_object_get(m, "status")), "running");
	json_decref(m);
	csv = slurp("samples.csv");
	assert_int_equal(count_lines(csv), 1 + 3);
	free(csv);

	assert_int_equal(result_writer_flush(&w, "interrupted", &e), 0);
	result_writer_release(&w);
	m = manifest();
	assert_string_equal(json_string_value(json_object_get(m, "status")), "interrupted");
	assert_int_equal(json_array_size(json_object_get(m, "configs")), 2);
	json_decref(m);
	csv = slurp("samples.csv");
	assert_int_equal(count_lines(csv), 1 + 3);
	free(csv);
	csv = slurp("latencies.csv");
	assert_int_equal(count_lines(csv), 1 + 10);
	free(csv);
	no_temp_files();
}

/* A configuration cut short is dropped whole: manifest entry, rows, metrics, checks. */
static void test_drop_config(void **state)
{
	struct result_writer w;
	struct errmsg e = { "" };
	struct fixture f;
	json_t *m, *cfgs;
	char *csv;

	make_fixture(&f);
	assert_int_equal(result_writer_open(&w, out, true, &e), 0);
	fill(&w, &f);
	metric_sink_at(&w.sink, 1, 0);
	assert_int_equal(metric_emit(&w.sink, "vmstat", "nr_mlock", 5, "pages"), 0);
	assert_int_equal(check_emit(&w.sink, "vmstat", "baseline", true, "ok"), 0);
	result_writer_drop_config(&w, 1);
	assert_int_equal(result_writer_flush(&w, "interrupted", &e), 0);
	result_writer_release(&w);

	m = manifest();
	cfgs = json_object_get(m, "configs");
	assert_int_equal(json_array_size(cfgs), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(cfgs, 0), "id")), 0);
	assert_int_equal(json_array_size(json_object_get(m, "checks")), 1);
	json_decref(m);
	csv = slurp("samples.csv");
	assert_int_equal(count_lines(csv), 1 + 2);	/* config 0's two rows */
	free(csv);
	csv = slurp("latencies.csv");
	assert_int_equal(count_lines(csv), 1 + 6);
	assert_null(strstr(csv, "\n1,"));
	free(csv);
	csv = slurp("metrics.csv");
	assert_int_equal(count_lines(csv), 1 + 2);
	assert_null(strstr(csv, "nr_mlock"));
	free(csv);
	no_temp_files();
}

/*
 * A check's detail cut by its buffer inside a multi-byte character ("Δ")
 * still reaches the manifest, whole characters only (it was dropped: the
 * JSON library refuses invalid UTF-8).
 */
static void test_check_cut_utf8(void **state)
{
	struct result_writer w;
	struct errmsg e = { "" };
	struct fixture f;
	json_t *m, *checks;
	const char *detail;
	char pad[300];
	size_t cut;

	for (cut = 250; cut < 256; cut++) {
		memset(pad, 'x', sizeof(pad));
		pad[cut] = '\0';
		make_fixture(&f);
		assert_int_equal(result_writer_open(&w, out, true, &e), 0);
		fill(&w, &f);
		assert_int_equal(check_emit(&w.sink, "vmstat", "design-fingerprint", true,
					    "%sΔmlocked ΔΔΔ", pad), 0);
		assert_int_equal(result_writer_flush(&w, "complete", &e), 0);
		result_writer_release(&w);
		m = manifest();
		checks = json_object_get(m, "checks");
		assert_int_equal(json_array_size(checks), 2);
		detail = json_string_value(json_object_get(json_array_get(checks, 1), "detail"));
		assert_non_null(detail);
		assert_true(strlen(detail) >= cut && strlen(detail) < 256);
		assert_memory_equal(detail, pad, cut);
		json_decref(m);
	}
}

static int fail_samples(const char *step, const char *name)
{
	return !strcmp(step, "create") && !strcmp(name, "samples.csv") ? -ENOSPC : 0;
}

/* A flush that cannot write leaves the previous flush's files whole. */
static void test_flush_fails(void **state)
{
	struct result_writer w;
	struct errmsg e = { "" };
	struct fixture f;
	char *before, *after, *mbefore, *mafter;

	make_fixture(&f);
	assert_int_equal(result_writer_open(&w, out, true, &e), 0);
	fill(&w, &f);
	assert_int_equal(result_writer_flush(&w, "running", &e), 0);
	before = slurp("samples.csv");
	mbefore = slurp("manifest.json");
	atomic_file_fault = fail_samples;
	assert_true(result_writer_flush(&w, "complete", &e) < 0);
	atomic_file_fault = NULL;
	assert_non_null(strstr(e.buf, "samples.csv"));
	result_writer_release(&w);
	after = slurp("samples.csv");
	mafter = slurp("manifest.json");
	assert_string_equal(before, after);
	assert_string_equal(mbefore, mafter);
	free(before);
	free(after);
	free(mbefore);
	free(mafter);
	no_temp_files();
}

/* Temp names are random and never opened through a link planted there. */
static void test_planted_links(void **state)
{
	char target[4300], link[4400];
	struct result_writer w;
	struct errmsg e = { "" };
	struct stat st;
	FILE *f;
	int i;

	snprintf(target, sizeof(target), "%s/target", dir);
	f = fopen(target, "w");
	assert_non_null(f);
	fputs("keep\n", f);
	fclose(f);
	assert_int_equal(result_writer_open(&w, out, true, &e), 0);
	/* the names the old code used, for this pid and the next ones */
	for (i = 0; i < 50; i++) {
		snprintf(link, sizeof(link), "%s/samples.csv.tmp.%d", out, (int)getpid() + i);
		assert_int_equal(symlink(target, link), 0);
	}
	assert_int_equal(result_writer_flush(&w, "complete", &e), 0);
	result_writer_release(&w);
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_size, 5);
	for (i = 0; i < 50; i++) {
		snprintf(link, sizeof(link), "%s/samples.csv.tmp.%d", out, (int)getpid() + i);
		unlink(link);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_exists),
		cmocka_unit_test(test_running_then_interrupted),
		cmocka_unit_test(test_drop_config),
		cmocka_unit_test(test_check_cut_utf8),
		cmocka_unit_test(test_flush_fails),
		cmocka_unit_test(test_planted_links),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
