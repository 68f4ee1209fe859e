/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers several unit tests share.  Header-only, static inline: each test
 * is its own binary and uses what it needs.  Include after <cmocka.h>.
 */
#ifndef MLB_TEST_UTIL_H
#define MLB_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job/job.h"
#include "result/reader.h"

/* $MLB_FIXTURES/results/NAME, in a static buffer. */
static inline const char *fixture_path(const char *name)
{
	static char buf[4096];
	const char *root = getenv("MLB_FIXTURES");

	snprintf(buf, sizeof(buf), "%s/results/%s", root ? root : "tests/fixtures", name);
	return buf;
}

/* The committed result folder NAME; the test fails when it does not load. */
static inline struct result_folder *fixture_load(const char *name)
{
	struct result_folder *f;
	struct errmsg e = { "" };

	if (result_folder_load(fixture_path(name), false, &f, &e))
		fail_msg("%s", e.buf);
	return f;
}

/* rm -rf DIR: 0 when done. */
static inline int rm_rf(const char *dir)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

/* Index of the job option NAME; the test fails when there is none. */
static inline size_t opt_index(const char *name)
{
	size_t i;

	for (i = 0; i < job_option_count(); i++)
		if (!strcmp(job_option_name(i), name))
			return i;
	fail_msg("no option '%s'", name);
	return 0;
}

/* The echo of option NAME in J, "(null)" when unset. */
static inline const char *opt_value(const struct job *j, const char *name)
{
	const char *v = job_option_value(j, opt_index(name));

	return v ? v : "(null)";
}

#endif
