// SPDX-License-Identifier: GPL-2.0
/* plot scripts and data from the sweep fixtures; rendered when gnuplot exists. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "report/plot.h"
#include "test_util.h"

static char *slurp(const char *dir, const char *name)
{
	char path[4096], *buf = NULL;
	size_t cap = 0;
	FILE *f, *m;
	int c;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("%s missing", path);
	m = open_memstream(&buf, &cap);
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(f);
	fclose(m);
	return buf;
}

static void test_sweep_plots(void **state)
{
	struct result_folder *f[2] = { fixture_load("sweep-rmap"), fixture_load("sweep-mlockcount") };
	char dir[] = "/tmp/mlb-plot-XXXXXX", *gp, *dat, *line;
	struct plot_list pl;
	struct errmsg e = { "" };
	struct report r;
	size_t i, blocks = 0, rows = 0;
	const struct report_row *row = NULL;

	assert_non_null(mkdtemp(dir));
	assert_int_equal(report_build(f, 2, NULL, 0, REPORT_HOLM_SPLIT, &r, &e), 0);
	assert_int_equal(plot_prepare(&r, dir, &pl, &e), 0);
	assert_int_equal(pl.n, 4);
	assert_string_equal(pl.name[0], "teardown-exit-shmem-mlock-8M-plain0");
	assert_string_equal(pl.name[1], "setup-exit-shmem-mlock-8M-plain0");
	assert_string_equal(pl.name[2], "cdf-exit-shmem-mlock-8M-plain0-P16");
	assert_string_equal(pl.name[3], "locks-exit-shmem-mlock-8M-plain0");

	gp = slurp(dir, "teardown-exit-shmem-mlock-8M-plain0.gp");
	/* standalone: relative data names, both terminals, units, exponents */
	assert_null(strstr(gp, dir));
	assert_non_null(strstr(gp, "'teardown-exit-shmem-mlock-8M-plain0.dat' index 0"));
	assert_non_null(strstr(gp, "set output 'teardown-exit-shmem-mlock-8M-plain0.png'"));
	assert_non_null(strstr(gp, "set output 'teardown-exit-shmem-mlock-8M-plain0.svg'"));
	assert_non_null(strstr(gp, "pngcairo"));
	assert_non_null(strstr(gp, "set logscale xy"));
	assert_non_null(strstr(gp, "(ms, log scale)"));
	assert_non_null(strstr(gp, "debian-5.10 vs debian-6.1"));
	assert_non_null(strstr(gp, "8M per process"));
	assert_non_null(strstr(gp, "debian-5.10: b = 1.30 ["));
	assert_non_null(strstr(gp, "debian-6.1: b = 1.01 ["));
	free(gp);

	/* the data are the medians and CIs of the report, in ms */
	for (i = 0; i < r.nrows; i++)
		if (!strcmp(r.rows[i].metric, "teardown_ns") && r.keys[r.rows[i].key]->procs == 16)
			row = &r.rows[i];
	assert_non_null(row);
	dat = slurp(dir, "teardown-exit-shmem-mlock-8M-plain0.dat");
	for (line = strtok(dat, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned long long p;
		double med, lo, hi;
		size_t n;

		if (line[0] == '#') {
			blocks += !strncmp(line, "# procs", 7);
			continue;
		}
		assert_int_equal(sscanf(line, "%llu %lf %lf %lf %zu", &p, &med, &lo, &hi, &n), 5);
		rows++;
		assert_true(lo <= med && med <= hi);
		assert_int_equal(n, 10);
		if (p == 16) {
			const struct report_cell *c = &row->cell[blocks - 1];

			assert_true(fabs(med - c->s.median / 1e6) < 1e-4 * med);
			assert_true(fabs(lo - c->s.med_lo / 1e6) < 1e-4 * lo);
		}
	}
	assert_int_equal(blocks, 2);
	assert_int_equal(rows, 10);
	free(dat);

	gp = slurp(dir, "locks-exit-shmem-mlock-8M-plain0.gp");
	assert_non_null(strstr(gp, "rowstacked"));
	assert_non_null(strstr(gp, "newhistogram 'P=16'"));
	assert_non_null(strstr(gp, "title 'i_mmap_rwsem'"));
	/* a class beyond the five known ones is stacked too, "other" last, and
	 * the lockers total is not a class */
	assert_non_null(strstr(gp, "title 'ptl'"));
	assert_null(strstr(gp, "title 'lockers'"));
	free(gp);
	gp = slurp(dir, "locks-exit-shmem-mlock-8M-plain0.dat");
	assert_non_null(strstr(gp, "# kernel i_mmap_rwsem anon_vma lru_lock mmap_lock ptl other\n"));
	assert_non_null(strstr(gp, "# P=16\n"));
	free(gp);
	gp = slurp(dir, "cdf-exit-shmem-mlock-8M-plain0-P16.gp");
	assert_non_null(strstr(gp, "with steps"));
	free(gp);

	if (plot_have_gnuplot()) {
		char *png;

		assert_int_equal(plot_render(dir, pl.name[0], &e), 0);
		png = slurp(dir, "teardown-exit-shmem-mlock-8M-plain0.png");
		assert_int_equal(memcmp(png, "\x89PNG", 4), 0);
		free(png);
		png = slurp(dir, "teardown-exit-shmem-mlock-8M-plain0.svg");
		assert_non_null(strstr(png, "<svg"));
		free(png);
	}
	plot_list_release(&pl);
	report_release(&r);
	result_folder_free(f[0]);
	result_folder_free(f[1]);
	if (rm_rf(dir))
		fail_msg("cannot remove %s", dir);
}

static void test_gp_string(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	/* quotes, backslash, backquote, macro, variable: '_'; newline joined in */
	gp_string(f, "a \"b\" c\\d\nx`id` @m $1 'q' R\xc2\xb2 \xff\x01");
	fclose(f);
	assert_string_equal(buf, "'a _b_ c_d'.\"\\n\".'x_id_ _m _1 _q_ R\xc2\xb2 __'");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sweep_plots),
		cmocka_unit_test(test_gp_string),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
