// SPDX-License-Identifier: GPL-2.0
/* INI job files: [global] defaults, sections as jobs, FILE:LINE errors. */
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

#include "test_util.h"

#include "job/job.h"

static char dir[] = "/tmp/mlb-test-jobfile-XXXXXX";
static char path[4096];

static int setup(void **state)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	unlink(path);
	return rmdir(dir);
}

static const char *write_ini(const char *text)
{
	FILE *f;

	snprintf(path, sizeof(path), "%s/job.ini", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return path;
}

/* Overwrite dead stack frames: echoed values must not live there. */
static void __attribute__((noinline)) scribble_stack(void)
{
	volatile char junk[64 * 1024];
	size_t i;

	for (i = 0; i < sizeof(junk); i++)
		junk[i] = i % 16 == 15 ? 0 : 'X';
}

static int load(const char *text, struct job **jobs, size_t *n, struct errmsg *e)
{
	struct job base;

	job_init(&base, "cli");
	return jobfile_load(write_ini(text), &base, jobs, n, e);
}

static void load_bad(const char *text, int err, int line, const char *needle)
{
	struct errmsg e = { "" };
	struct job *jobs = NULL;
	char where[4200];
	size_t n = 0;
	int ret;

	ret = load(text, &jobs, &n, &e);
	if (ret != err)
		fail_msg("got %d (%s), want %d", ret, e.buf, err);
	assert_null(jobs);
	if (line)
		snprintf(where, sizeof(where), "%s:%d: ", path, line);
	else
		snprintf(where, sizeof(where), "%s: ", path);
	if (strncmp(e.buf, where, strlen(where)))
		fail_msg("message '%s' does not start with '%s'", e.buf, where);
	if (needle && !strstr(e.buf, needle))
		fail_msg("message '%s' lacks '%s'", e.buf, needle);
	assert_null(strchr(e.buf, '\n'));
}

static void test_global_defaults(void **state)
{
	struct errmsg e = { "" };
	struct job *jobs;
	size_t n;

	assert_int_equal(load("; a comment\n"
			      "[global]\n"
			      "procs = 2,4\n"
			      "size = 4M\n"
			      "reps = 5\n"
			      "collect = none\n"
			      "\n"
			      "[first]\n"
			      "workload = munmap\n"
			      "[second]\n"
			      "procs = 3\n"
			      "reps = 7\n"
			      "backing = anon-cow\n",
			      &jobs, &n, &e), 0);
	scribble_stack();
	assert_int_equal(n, 2);
	assert_string_equal(jobs[0].name, "first");
	assert_string_equal(jobs[1].name, "second");

	assert_string_equal(jobs[0].workload, "munmap");
	assert_int_equal(jobs[0].procs.n, 2);
	assert_true(jobs[0].procs.v[0] == 2 && jobs[0].procs.v[1] == 4);
	assert_int_equal(jobs[0].size.n, 1);
	assert_true(jobs[0].size.v[0] == 4 << 20);
	assert_true(jobs[0].reps == 5);
	assert_int_equal(jobs[0].backing, BACKING_SHMEM);

	/* a key in a section overrides [global] for that job only */
	assert_string_equal(jobs[1].workload, "exit");
	assert_int_equal(jobs[1].procs.n, 1);
	assert_true(jobs[1].procs.v[0] == 3);
	assert_true(jobs[1].size.v[0] == 4 << 20);
	assert_true(jobs[1].reps == 7);
	assert_int_equal(jobs[1].backing, BACKING_ANON_COW);

	/* echoed values: as written in the file, else the defaults */
	assert_string_equal(opt_value(&jobs[0], "procs"), "2,4");
	assert_string_equal(opt_value(&jobs[0], "size"), "4M");
	assert_string_equal(opt_value(&jobs[0], "reps"), "5");
	assert_string_equal(opt_value(&jobs[0], "collect"), "none");
	assert_string_equal(opt_value(&jobs[0], "workload"), "munmap");
	assert_string_equal(opt_value(&jobs[0], "warmup"), "1");
	assert_string_equal(opt_value(&jobs[0], "lock"), "mlock");
	assert_string_equal(opt_value(&jobs[0], "force"), "0");
	assert_string_equal(opt_value(&jobs[1], "procs"), "3");
	assert_string_equal(opt_value(&jobs[1], "size"), "4M");
	assert_string_equal(opt_value(&jobs[1], "reps"), "7");
	assert_string_equal(opt_value(&jobs[1], "backing"), "anon-cow");
	assert_string_equal(opt_value(&jobs[1], "workload"), "exit");
	free(jobs);
}

/* [global] gives defaults to the sections after it, not before. */
static void test_global_later(void **state)
{
	struct errmsg e = { "" };
	struct job *jobs;
	size_t n;

	assert_int_equal(load("[early]\nprocs = 1\n[global]\nreps = 3\n[late]\nprocs = 2\n",
			      &jobs, &n, &e), 0);
	scribble_stack();
	assert_int_equal(n, 2);
	assert_true(jobs[0].reps == 10);
	assert_true(jobs[1].reps == 3);
	assert_string_equal(opt_value(&jobs[0], "reps"), "10");
	assert_string_equal(opt_value(&jobs[1], "reps"), "3");
	free(jobs);
}

/* The base job (command-line defaults) shows through the file. */
static void test_base(void **state)
{
	struct errmsg e = { "" };
	struct job base, *jobs;
	size_t n;

	job_init(&base, "cli");
	assert_int_equal(job_set(&base, "warmup", "0", &e), 0);
	assert_int_equal(jobfile_load(write_ini("[only]\nforce = 1\n"), &base, &jobs, &n, &e), 0);
	job_init(&base, "cli");	/* the jobs must not point into @base */
	scribble_stack();
	assert_int_equal(n, 1);
	assert_true(jobs[0].warmup == 0);
	assert_true(jobs[0].force);
	assert_string_equal(opt_value(&jobs[0], "warmup"), "0");
	assert_string_equal(opt_value(&jobs[0], "force"), "1");
	free(jobs);
}

static void test_flags(void **state)
{
	struct errmsg e = { "" };
	struct job *jobs;
	size_t n;

	/* an empty value sets a flag, like a bare --flag */
	assert_int_equal(load("[j]\ninterleave =\nforce = no\n", &jobs, &n, &e), 0);
	assert_true(jobs[0].interleave);
	assert_false(jobs[0].force);
	free(jobs);
}

static void test_errors(void **state)
{
	load_bad("[global]\nprocs = 2\n[j]\nbogus = 1\n", -ENOENT, 4, "bogus");
	load_bad("[j]\nprocs = 2\nsize = 12Q\n", -EINVAL, 3, "size");
	load_bad("[j]\nprocs = 0\n", -ERANGE, 2, "procs");
	load_bad("[j]\nworkload = nope\n", -EINVAL, 2, "nope");
	load_bad("procs = 2\n[j]\nreps = 1\n", -EINVAL, 1, "outside any [section]");
	load_bad("[j]\nreps =\n", -EINVAL, 2, "reps needs a value");
	load_bad("[j]\nthis is not ini\n", -EINVAL, 2, "not an INI line");
	/* the first error is the one reported */
	load_bad("[j]\nreps = 1\nbad1 = 1\nbad2 = 2\n", -ENOENT, 3, "bad1");
	load_bad("", -EINVAL, 0, "no [job] section");
	load_bad("; nothing\n\n", -EINVAL, 0, "no [job] section");
	load_bad("[global]\nprocs = 2\n", -EINVAL, 0, "no [job] section");
}

/* A section without keys is a job with the defaults, as in fio. */
static void test_empty_sections(void **state)
{
	struct errmsg e = { "" };
	struct job *jobs;
	size_t n;

	assert_int_equal(load("[global]\nreps = 4\n[plain-defaults]\n[also]\n\n[last]\nprocs = 2\n",
			      &jobs, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_string_equal(jobs[0].name, "plain-defaults");
	assert_string_equal(jobs[1].name, "also");
	assert_string_equal(jobs[2].name, "last");
	assert_true(jobs[0].reps == 4 && jobs[1].reps == 4 && jobs[2].reps == 4);
	assert_true(jobs[0].procs.v[0] == 4 && jobs[2].procs.v[0] == 2);
	free(jobs);

	assert_int_equal(load("[only]\n", &jobs, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(jobs[0].name, "only");
	free(jobs);

	/* a UTF-8 byte order mark before the first header */
	assert_int_equal(load("\xef\xbb\xbf[bom]\n", &jobs, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(jobs[0].name, "bom");
	free(jobs);
}

static void test_section_errors(void **state)
{
	/* a second [a] would be a second job of the same name in the results */
	load_bad("[a]\nprocs = 1\n[b]\nprocs = 2\n[a]\nreps = 3\n", -EINVAL, 5,
		 "job 'a' is defined twice");
	load_bad("[]\nprocs = 1\n", -EINVAL, 1, "job name");
	load_bad("[aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]\n",
		 -EINVAL, 1, "job name");
	load_bad("[a\nprocs = 1\n", -EINVAL, 1, "not an INI line");
	load_bad("[ok]\n[a,b]\n", -EINVAL, 2, "comma or a quote");
	load_bad("[\"q\"]\n", -EINVAL, 1, "comma or a quote");
	/* the first error wins, whoever finds it */
	load_bad("[a]\nnot ini\n[a]\n", -EINVAL, 2, "not an INI line");
	load_bad("[a]\n[a]\nnot ini\n", -EINVAL, 2, "defined twice");
	/* [global] may come back: it changes the defaults of later jobs */
	{
		struct errmsg e = { "" };
		struct job *jobs;
		size_t n;

		assert_int_equal(load("[global]\nreps = 2\n[a]\n[global]\nreps = 3\n[b]\n",
				      &jobs, &n, &e), 0);
		assert_int_equal(n, 2);
		assert_true(jobs[0].reps == 2 && jobs[1].reps == 3);
		free(jobs);
	}
}

static void test_too_many_jobs(void **state)
{
	char text[8192];
	size_t off = 0;
	int i;

	for (i = 0; i < 65; i++)
		off += snprintf(text + off, sizeof(text) - off, "[j%d]\nreps = 1\n", i);
	load_bad(text, -E2BIG, 129, "more than 64");
}

static void test_missing_file(void **state)
{
	struct errmsg e = { "" };
	struct job base, *jobs = NULL;
	size_t n;
	char missing[4200];

	snprintf(missing, sizeof(missing), "%s/nope.ini", dir);
	job_init(&base, "cli");
	assert_int_equal(jobfile_load(missing, &base, &jobs, &n, &e), -ENOENT);
	assert_null(jobs);
	assert_non_null(strstr(e.buf, missing));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_global_defaults),
		cmocka_unit_test(test_global_later),
		cmocka_unit_test(test_base),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_empty_sections),
		cmocka_unit_test(test_section_errors),
		cmocka_unit_test(test_too_many_jobs),
		cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
