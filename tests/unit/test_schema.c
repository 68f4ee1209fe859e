// SPDX-License-Identifier: GPL-2.0
/*
 * The result schema: docs/RESULTS.md documents every column of the code's
 * tables alike; a configuration's identity covers pin, membind and
 * interleave; the environment audit goes into the manifest and back.
 */
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
#include <jansson.h>

#include "engine/engine.h"
#include "report/analysis.h"
#include "result/manifest.h"
#include "result/schema.h"
#include "result/writer.h"
#include "test_util.h"

static char dir[] = "/tmp/mlb-test-schema-XXXXXX";
static char out[4200];

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(out, sizeof(out), "%s/res", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return rm_rf(dir);
}

/* ---- docs/RESULTS.md against the column tables ---- */

static char *trim(char *s)
{
	char *end;

	while (*s == ' ')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\n'))
		*--end = 0;
	return s;
}

static const char *dir_word(enum result_direction d)
{
	return d == RESULT_DIR_LOWER ? "lower" : d == RESULT_DIR_HIGHER ? "higher" : "-";
}

/*
 * The table "| column | unit | better | meaning |" of the section "## FILE"
 * must list exactly @t's columns, in order, with the same unit, direction
 * and meaning.
 */
static void check_doc_table(FILE *doc, const struct result_table *t)
{
	char heading[64], line[2048];
	bool in_section = false, in_table = false;
	size_t n = 0;

	snprintf(heading, sizeof(heading), "## %s\n", t->file);
	rewind(doc);
	while (fgets(line, sizeof(line), doc)) {
		char *cell[4], *p = line + 1;
		int k;

		if (!strncmp(line, "## ", 3)) {
			if (in_section)
				break;
			in_section = !strcmp(line, heading);
			continue;
		}
		if (!in_section || line[0] != '|') {
			if (in_table)
				break;
			continue;
		}
		if (strstr(line, "| column |") == line || !strncmp(line, "|---", 4)) {
			in_table = true;
			continue;
		}
		for (k = 0; k < 4; k++) {
			char *bar = strchr(p, '|');

			if (!bar)
				fail_msg("%s: malformed row: %s", t->file, line);
			*bar = 0;
			cell[k] = trim(p);
			p = bar + 1;
		}
		if (n >= t->ncols)
			fail_msg("%s: the doc has column '%s' that the code does not", t->file,
				 cell[0]);
		assert_string_equal(cell[0], t->cols[n].name);
		assert_string_equal(cell[1], t->cols[n].unit[0] ? t->cols[n].unit : "-");
		assert_string_equal(cell[2], dir_word(t->cols[n].dir));
		assert_string_equal(cell[3], t->cols[n].desc);
		n++;
	}
	if (n != t->ncols)
		fail_msg("%s: the doc lists %zu columns, the code %zu (first missing: %s)",
			 t->file, n, t->ncols, t->cols[n < t->ncols ? n : 0].name);
}

static void doc_matches_tables(void **state)
{
	char path[4096];
	const char *fx = getenv("MLB_FIXTURES");
	FILE *doc;
	size_t i;

	(void)state;
	snprintf(path, sizeof(path), "%s/../../docs/RESULTS.md", fx ? fx : "tests/fixtures");
	doc = fopen(path, "r");
	if (!doc)
		fail_msg("%s: %s", path, strerror(errno));
	for (i = 0; i < result_ntables; i++)
		check_doc_table(doc, result_tables[i]);
	fclose(doc);
}

/* The writer's header is the table, the series are its ranked columns. */
static void header_and_series_from_table(void **state)
{
	char hdr[1024];
	size_t i;

	(void)state;
	result_table_header(&result_latencies_table, hdr, sizeof(hdr));
	assert_string_equal(hdr, "config,rep,child,latency_ns");
	assert_int_equal(result_series_count(), 8);
	assert_string_equal(result_series_column(0)->name, "teardown_ns");
	assert_string_equal(result_series_column(1)->name, "lat_max_ns");
	/* the plain mappers' teardown: primary (gated), lower is better, absent in old folders */
	assert_string_equal(result_series_column(2)->name, "plain_teardown_ns");
	for (i = 0; i < result_series_count(); i++)
		assert_int_equal(result_series_is_primary(result_series_column(i)),
				 i < RESULT_PRIMARY_SERIES);
	assert_int_equal(result_series_column(2)->dir, RESULT_DIR_LOWER);
	assert_string_equal(result_series_column(2)->unit, "ns");
	assert_true(result_column_optional(result_series_column(2)));
	assert_false(result_column_optional(result_series_column(0)));
	for (i = 0; i < result_series_count(); i++)
		assert_non_null(result_table_column(&result_samples_table,
						    result_series_column(i)->name));
}

/* ---- configuration identity ---- */

#define NJOBS 5

struct folder_fixture {
	struct job job[NJOBS];
	struct config cfg[NJOBS];
};

/* Five jobs that differ only in pin, membind, interleave, prot (or none of them). */
static void make_jobs(struct folder_fixture *fx)
{
	static const char *const opt[NJOBS][2] = {
		{ NULL, NULL }, { "pin", "compact" }, { "membind", "0" }, { "interleave", "1" },
		{ "prot", "ro" },
	};
	struct errmsg e = { "" };
	int i;

	for (i = 0; i < NJOBS; i++) {
		char name[16];

		snprintf(name, sizeof(name), "job%d", i);
		job_init(&fx->job[i], name);
		if (opt[i][0])
			assert_int_equal(job_set(&fx->job[i], opt[i][0], opt[i][1], &e), 0);
		fx->cfg[i] = (struct config){ .id = i, .job = &fx->job[i],
					      .wl = workload_find("exit"), .procs = 2,
					      .plain = 0, .size = 1 << 20,
					      .prot = fx->job[i].prot.v[0] };
	}
}

static void add_reps(struct result_writer *w, const struct config *c)
{
	uint64_t lat[2] = { 500, 600 };
	struct rep_result r = { .setup_ns = 10, .teardown_ns = 1000 + c->id, .lat_ns = lat };
	int rep;

	for (rep = 0; rep < 3; rep++)
		assert_int_equal(result_writer_add_rep(w, c, rep, false, NULL, &r), 0);
}

static struct result_folder *write_and_load(struct folder_fixture *fx)
{
	struct result_writer w;
	struct result_folder *f;
	struct errmsg e = { "" };
	int i;

	make_jobs(fx);
	assert_int_equal(result_writer_open(&w, out, true, &e), 0);
	for (i = 0; i < NJOBS; i++) {
		assert_int_equal(result_writer_add_config(&w, &fx->cfg[i]), 0);
		add_reps(&w, &fx->cfg[i]);
	}
	assert_int_equal(result_writer_flush(&w, "complete", &e), 0);
	result_writer_release(&w);
	if (result_folder_load(out, false, &f, &e))
		fail_msg("%s", e.buf);
	return f;
}

static void pin_membind_interleave_are_identity(void **state)
{
	struct folder_fixture fx;
	struct result_folder *f = write_and_load(&fx);
	struct result_folder *ff[1] = { f };
	struct errmsg e = { "" };
	struct report r;
	size_t i, j;

	(void)state;
	assert_int_equal(f->nconfigs, NJOBS);
	assert_string_equal(f->configs[0].extra, "");
	assert_string_equal(f->configs[1].extra, "pin=compact");
	assert_string_equal(f->configs[2].extra, "membind=0");
	assert_string_equal(f->configs[3].extra, "interleave=1");
	assert_string_equal(f->configs[4].extra, "prot=ro");
	for (i = 0; i < NJOBS; i++) {
		for (j = 0; j < NJOBS; j++)
			assert_int_equal(result_config_same(&f->configs[i], &f->configs[j]),
					 i == j);
		assert_ptr_equal(result_folder_match(f, &f->configs[i]), &f->configs[i]);
	}
	/* compare's analysis: four configurations, each its own group */
	assert_int_equal(report_build(ff, 1, NULL, 0, REPORT_HOLM_SPLIT, &r, &e), 0);
	assert_int_equal(r.nkeys, NJOBS);
	assert_int_equal(r.ngroups, NJOBS);
	report_release(&r);
	result_folder_free(f);
}

/* A manifest from before "identity": its pin is read, membind and interleave are defaults. */
static void old_manifest_identity(void **state)
{
	struct folder_fixture fx;
	struct result_folder *f = write_and_load(&fx), *g;
	char path[4300];
	struct errmsg e = { "" };
	json_t *m, *cfgs, *c;
	size_t i;

	(void)state;
	result_folder_free(f);
	snprintf(path, sizeof(path), "%s/manifest.json", out);
	m = json_load_file(path, 0, NULL);
	assert_non_null(m);
	cfgs = json_object_get(m, "configs");
	json_array_foreach(cfgs, i, c) {
		json_object_del(c, "identity");
		json_object_del(c, "membind");
		json_object_del(c, "interleave");
	}
	assert_int_equal(json_dump_file(m, path, 0), 0);
	json_decref(m);
	if (result_folder_load(out, false, &g, &e))
		fail_msg("%s", e.buf);
	assert_string_equal(g->configs[0].extra, "");
	assert_string_equal(g->configs[1].extra, "pin=compact");
	/* membind, interleave, prot were never written then: indistinguishable from the default */
	assert_string_equal(g->configs[2].extra, "");
	assert_string_equal(g->configs[4].extra, "");
	assert_false(g->has_audit);
	result_folder_free(g);
}

/* A manifest from before --prot: an identity without "prot" is rw, the default. */
static void old_manifest_without_prot(void **state)
{
	struct folder_fixture fx;
	struct result_folder *f = write_and_load(&fx), *g;
	char path[4300];
	struct errmsg e = { "" };
	json_t *m, *c;

	(void)state;
	result_folder_free(f);
	snprintf(path, sizeof(path), "%s/manifest.json", out);
	m = json_load_file(path, 0, NULL);
	assert_non_null(m);
	c = json_array_get(json_object_get(m, "configs"), 4);
	assert_string_equal(json_string_value(json_object_get(json_object_get(c, "identity"),
							      "prot")), "ro");
	assert_string_equal(json_string_value(json_object_get(c, "prot")), "ro");
	json_object_del(json_object_get(c, "identity"), "prot");
	json_object_del(c, "prot");
	assert_int_equal(json_dump_file(m, path, 0), 0);
	json_decref(m);
	if (result_folder_load(out, false, &g, &e))
		fail_msg("%s", e.buf);
	assert_string_equal(g->configs[4].extra, "");
	assert_true(result_config_same(&g->configs[0], &g->configs[4]));
	result_folder_free(g);
}

static void hostile_identity_refused(void **state)
{
	struct folder_fixture fx;
	struct result_folder *f = write_and_load(&fx), *g = NULL;
	char path[4300];
	struct errmsg e = { "" };
	json_t *m, *c;

	(void)state;
	result_folder_free(f);
	snprintf(path, sizeof(path), "%s/manifest.json", out);
	m = json_load_file(path, 0, NULL);
	c = json_array_get(json_object_get(m, "configs"), 1);
	json_object_set_new(json_object_get(c, "identity"), "pin", json_string("a b\n"));
	assert_int_equal(json_dump_file(m, path, 0), 0);
	json_decref(m);
	assert_int_equal(result_folder_load(out, false, &g, &e), -EINVAL);
	assert_non_null(strstr(e.buf, "configs[1].identity.pin"));
	assert_null(g);
}

/* ---- the environment audit through the run sink ---- */

static void audit_round_trip(void **state)
{
	struct folder_fixture fx;
	struct result_writer w;
	struct run_sink sink;
	struct sysinfo si;
	struct sysaudit a;
	struct result_folder *f;
	struct errmsg e = { "" };
	char *argv[] = { "mlockbench", "run" };

	(void)state;
	make_jobs(&fx);
	memset(&si, 0, sizeof(si));
	snprintf(si.release, sizeof(si.release), "6.1.0-test");
	sysaudit_init(&a);
	snprintf(a.cpufreq_governor, sizeof(a.cpufreq_governor), "performance");
	snprintf(a.boot_id, sizeof(a.boot_id), "0f8e7d6c-1111-2222-3333-444455556666");
	a.numa_balancing = 1;
	a.load1 = 0.25;
	assert_int_equal(result_writer_sink(&w, out, true, &sink), 0);
	assert_int_equal(sink.ops->open(sink.ctx, &(struct run_head){
		.argc = 2, .argv = argv, .jobs = fx.job, .njobs = 1, .si = &si, .audit = &a,
	}, &e), 0);
	assert_int_equal(sink.ops->add_config(sink.ctx, &fx.cfg[0]), 0);
	add_reps(&w, &fx.cfg[0]);
	assert_int_equal(sink.ops->flush(sink.ctx, "complete", NULL, &e), 0);
	result_writer_release(&w);
	if (result_folder_load(out, false, &f, &e))
		fail_msg("%s", e.buf);
	assert_true(f->has_audit);
	assert_string_equal(f->audit.cpufreq_governor, "performance");
	assert_string_equal(f->audit.boot_id, a.boot_id);
	assert_int_equal(f->audit.numa_balancing, 1);
	assert_true(f->audit.load1 == 0.25);
	assert_string_equal(f->audit.thp_enabled, AUDIT_NA);
	assert_int_equal(sysaudit_compare(&a, &f->audit, NULL, 0), 0);
	assert_string_equal(f->release, "6.1.0-test");
	assert_string_equal(f->cmdline, "mlockbench run");
	result_folder_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(doc_matches_tables),
		cmocka_unit_test(header_and_series_from_table),
		cmocka_unit_test(pin_membind_interleave_are_identity),
		cmocka_unit_test(old_manifest_identity),
		cmocka_unit_test(old_manifest_without_prot),
		cmocka_unit_test(hostile_identity_refused),
		cmocka_unit_test(audit_round_trip),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
