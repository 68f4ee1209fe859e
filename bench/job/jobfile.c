// SPDX-License-Identifier: GPL-2.0
/* Job files: INI through inih, fio-like sections. */
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job/job.h"

#define JOBFILE_MAX_JOBS 64

struct jobfile_state {
	const char *path;
	struct job global;
	struct job *jobs;
	size_t njobs;
	struct errmsg *e;
	int err;
};

static struct job *section_job(struct jobfile_state *st, const char *section)
{
	struct job *j;

	if (!strcmp(section, "global"))
		return &st->global;
	if (st->njobs && !strcmp(st->jobs[st->njobs - 1].name, section))
		return &st->jobs[st->njobs - 1];
	if (st->njobs == JOBFILE_MAX_JOBS)
		return NULL;
	j = &st->jobs[st->njobs++];
	*j = st->global;	/* [global] so far gives the defaults */
	snprintf(j->name, sizeof(j->name), "%s", section);
	return j;
}

/* inih returns the line of the first key we reject: no lineno needed here. */
static int on_key(void *user, const char *section, const char *key, const char *val)
{
	struct jobfile_state *st = user;
	struct job *j;
	int ret;

	if (st->err)
		return 0;
	if (!*section) {
		st->err = errmsg_set(st->e, -EINVAL, "'%s' is outside any [section]", key);
		goto fail;
	}
	j = section_job(st, section);
	if (!j) {
		st->err = errmsg_set(st->e, -E2BIG, "more than %d jobs", JOBFILE_MAX_JOBS);
		goto fail;
	}
	ret = job_set(j, key, *val ? val : NULL, st->e);
	if (ret) {
		st->err = ret;
		goto fail;
	}
	return 1;
fail:
	return 0;
}

int jobfile_load(const char *path, const struct job *base, struct job **jobs,
		 size_t *njobs, struct errmsg *e)
{
	struct jobfile_state st = { .path = path, .global = *base, .e = e };
	FILE *f;
	int ret;

	f = fopen(path, "r");
	if (!f)
		return errmsg_set(e, -errno, "%s: %s", path, strerror(errno));
	st.jobs = calloc(JOBFILE_MAX_JOBS, sizeof(*st.jobs));
	if (!st.jobs) {
		fclose(f);
		return -ENOMEM;
	}
	ret = ini_parse_file(f, on_key, &st);
	fclose(f);
	if (st.err) {
		free(st.jobs);
		return errmsg_prefix(e, st.err, "%s:%d", path, ret);
	}
	if (ret) {
		free(st.jobs);
		return errmsg_set(e, -EINVAL, "%s:%d: not an INI line", path, ret);
	}
	if (!st.njobs) {
		free(st.jobs);
		return errmsg_set(e, -EINVAL, "%s: no [job] section", path);
	}
	*jobs = st.jobs;
	*njobs = st.njobs;
	return 0;
}
