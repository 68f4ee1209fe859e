// SPDX-License-Identifier: GPL-2.0
/* Job files: INI through inih, fio-like sections. */
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job/job.h"

#define JOBFILE_MAX_JOBS 64

struct jobfile_state {
	FILE *f;
	int line;		/* lines read so far: the one inih is handling */
	struct job global;
	struct job *jobs;
	size_t njobs;
	struct job *cur;	/* the section being read: a job or &global */
	struct errmsg *e;
	int err, err_line;
};

static int fail_at(struct jobfile_state *st, int err)
{
	if (!st->err) {
		st->err = err;
		st->err_line = st->line;
	}
	return 0;
}

/* A "[name]" header: [global] again, or a new job with the defaults so far. */
static int section_start(struct jobfile_state *st, const char *name, size_t len)
{
	struct job *j;
	size_t i;

	if (len == 6 && !strncmp(name, "global", 6)) {
		st->cur = &st->global;
		return 0;
	}
	if (!len || len >= JOB_NAME_MAX)
		return errmsg_set(st->e, -EINVAL, "a job name needs 1 to %d characters",
				  JOB_NAME_MAX - 1);
	/* the name is a column of samples.csv, written unquoted */
	if (strcspn(name, ",\"") < len)
		return errmsg_set(st->e, -EINVAL, "job name '%.*s' has a comma or a quote",
				  (int)len, name);
	for (i = 0; i < st->njobs; i++)
		if (strlen(st->jobs[i].name) == len && !strncmp(st->jobs[i].name, name, len))
			return errmsg_set(st->e, -EINVAL, "job '%.*s' is defined twice",
					  (int)len, name);
	if (st->njobs == JOBFILE_MAX_JOBS)
		return errmsg_set(st->e, -E2BIG, "more than %d jobs", JOBFILE_MAX_JOBS);
	j = &st->jobs[st->njobs++];
	job_copy(j, &st->global);	/* [global] so far gives the defaults */
	snprintf(j->name, sizeof(j->name), "%.*s", (int)len, name);
	st->cur = j;
	return 0;
}

/*
 * inih calls the handler only for keys, so a section without keys would
 * vanish: watch the headers as the lines go by.  An empty [job] is a job
 * with the defaults (as in fio).
 */
static char *read_line(char *buf, int len, void *user)
{
	struct jobfile_state *st = user;
	const char *s = buf, *end;
	int ret;

	if (!fgets(buf, len, st->f))
		return NULL;
	st->line++;
	if (st->line == 1 && !strncmp(s, "\xef\xbb\xbf", 3))
		s += 3;		/* inih skips a UTF-8 BOM */
	while (isspace((unsigned char)*s))
		s++;
	if (*s != '[' || !(end = strchr(s, ']')) || st->err)
		return buf;	/* not a header, or a bad one inih reports */
	ret = section_start(st, s + 1, end - s - 1);
	if (ret)
		fail_at(st, ret);
	return buf;
}

static int on_key(void *user, const char *section, const char *key, const char *val)
{
	struct jobfile_state *st = user;
	int ret;

	if (st->err)
		return 1;	/* the first error is the one reported */
	if (!st->cur)
		return fail_at(st, errmsg_set(st->e, -EINVAL, "'%s' is outside any [section]",
					      key));
	ret = job_set(st->cur, key, *val ? val : NULL, st->e);
	if (ret)
		return fail_at(st, ret);
	return 1;
}

int jobfile_load_stream(FILE *f, const char *origin, const struct job *base,
			struct job **jobs, size_t *njobs, struct errmsg *e)
{
	struct jobfile_state st = { .e = e, .f = f };
	int ret;

	job_copy(&st.global, base);
	st.jobs = calloc(JOBFILE_MAX_JOBS, sizeof(*st.jobs));
	if (!st.jobs)
		return -ENOMEM;
	ret = ini_parse_stream(read_line, &st, on_key, &st);
	/* the first error wins: ours, or inih's own (a line that is not INI) */
	if (ret && (!st.err || ret < st.err_line)) {
		free(st.jobs);
		return errmsg_set(e, -EINVAL, "%s:%d: not an INI line", origin, ret);
	}
	if (st.err) {
		free(st.jobs);
		return errmsg_prefix(e, st.err, "%s:%d", origin, st.err_line);
	}
	if (!st.njobs) {
		free(st.jobs);
		return errmsg_set(e, -EINVAL, "%s: no [job] section", origin);
	}
	*jobs = st.jobs;
	*njobs = st.njobs;
	return 0;
}

int jobfile_load(const char *path, const struct job *base, struct job **jobs,
		 size_t *njobs, struct errmsg *e)
{
	FILE *f = fopen(path, "r");
	int ret;

	if (!f)
		return errmsg_set(e, -errno, "%s: %s", path, strerror(errno));
	ret = jobfile_load_stream(f, path, base, jobs, njobs, e);
	fclose(f);
	return ret;
}
