// SPDX-License-Identifier: GPL-2.0
/*
 * The campaign file: its [campaign] section is read here, its job sections
 * by the job-file code of `run --job` (job/jobfile.c), on the host, before
 * any kernel boots.  The job text handed to the guests is the file itself
 * with the [campaign] lines blanked, so a line number means the same line
 * in every message, host or guest.
 */
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/parse.h"
#include "job/job.h"
#include "vm/campaign.h"

#define CAMPAIGN_FILE_MAX (1 << 20)

struct cparse {
	struct campaign *c;
	struct errmsg *e;
	const char *origin;
	int err;			/* the first bad key's; its message in e */
	bool seen_campaign, kernels_given;
};

static int add_kernels(struct cparse *p, const char *v)
{
	char buf[1024], *tok, *save;

	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, " ,\t", &save); tok; tok = strtok_r(NULL, " ,\t", &save)) {
		if (p->c->nkernels >= CAMPAIGN_MAX_KERNELS)
			return errmsg_set(p->e, -E2BIG, "more than %d kernels", CAMPAIGN_MAX_KERNELS);
		if (strlen(tok) >= sizeof(p->c->kernels[0]))
			return errmsg_set(p->e, -EINVAL, "kernel id '%s' too long", tok);
		for (size_t i = 0; i < p->c->nkernels; i++)
			if (!strcmp(p->c->kernels[i], tok))
				return errmsg_set(p->e, -EINVAL, "kernel '%s' listed twice",
						  tok);
		strcpy(p->c->kernels[p->c->nkernels++], tok);
	}
	return 0;
}

static int uint_key(struct cparse *p, const char *name, const char *v, uint64_t min,
		    uint64_t max, unsigned int *out)
{
	struct errmsg sub;
	uint64_t x;
	int err = parse_u64(v, min, max, &x, &sub);

	if (err)
		return errmsg_set(p->e, err, "%s: %s", name, sub.buf);
	*out = x;
	return 0;
}

static int campaign_key(struct cparse *p, const char *name, const char *v)
{
	struct campaign *c = p->c;
	struct errmsg sub;
	uint64_t bytes;
	int err;

	if (!strcmp(name, "name")) {
		if (!*v || strlen(v) >= sizeof(c->name) || strchr(v, '/') || v[0] == '.')
			return errmsg_set(p->e, -EINVAL, "bad campaign name '%s'", v);
		strcpy(c->name, v);
	} else if (!strcmp(name, "kernels")) {
		p->kernels_given = true;
		return add_kernels(p, v);
	} else if (!strcmp(name, "compare")) {
		if (!strcmp(v, "design"))
			c->compare = COMPARE_DESIGN;
		else if (!strcmp(v, "none"))
			c->compare = COMPARE_NONE;
		else
			return errmsg_set(p->e, -EINVAL, "compare '%s' (want design or none)",
					  v);
	} else if (!strcmp(name, "smp")) {
		return uint_key(p, name, v, 1, 64, &c->smp);
	} else if (!strcmp(name, "memory")) {
		err = parse_size(v, &bytes, &sub);
		if (err)
			return errmsg_set(p->e, err, "memory: %s", sub.buf);
		if (bytes < (128ull << 20) || bytes > (256ull << 30))
			return errmsg_set(p->e, -ERANGE, "memory %s outside 128M..256G",
					  v);
		c->mem_mb = bytes >> 20;
	} else if (!strcmp(name, "numa")) {
		return uint_key(p, name, v, 0, 16, &c->numa);
	} else if (!strcmp(name, "timeout")) {
		return uint_key(p, name, v, 10, 7 * 24 * 3600, &c->timeout_s);
	} else if (!strcmp(name, "runs")) {
		return uint_key(p, name, v, 1, CAMPAIGN_MAX_RUNS, &c->runs);
	} else if (!strcmp(name, "order")) {
		if (!strcmp(v, "interleave"))
			c->order = ORDER_INTERLEAVE;
		else if (!strcmp(v, "random"))
			c->order = ORDER_RANDOM;
		else
			return errmsg_set(p->e, -EINVAL, "order '%s' (want interleave or random)",
					  v);
	} else if (!strcmp(name, "seed")) {
		err = parse_u64(v, 0, INT64_MAX, &c->seed, &sub);
		if (err)
			return errmsg_set(p->e, err, "seed: %s", sub.buf);
	} else if (!strcmp(name, "append")) {
		if (strlen(v) >= sizeof(c->append))
			return errmsg_set(p->e, -EINVAL, "append too long");
		strcpy(c->append, v);
	} else {
		return errmsg_set(p->e, -EINVAL, "[campaign]: unknown key '%s'", name);
	}
	return 0;
}

static int cparse_handler(void *user, const char *section, const char *name, const char *v)
{
	struct cparse *p = user;

	/* only [campaign] lines reach inih: split_sections kept the rest apart */
	if (p->err)
		return 1;
	p->seen_campaign = true;
	p->err = campaign_key(p, name, v);
	/* 0 makes inih return this line's number: the message becomes FILE:LINE */
	return !p->err;
}

/* The section a "[name]" line opens (as jobfile.c sees headers), or NULL. */
static const char *header_name(const char *line, size_t len, size_t *nlen)
{
	const char *s = line, *end = line + len, *close;

	while (s < end && isspace((unsigned char)*s))
		s++;
	if (s == end || *s != '[' || !(close = memchr(s, ']', end - s)))
		return NULL;
	*nlen = close - s - 1;
	return s + 1;
}

/*
 * Line by line: [campaign] sections into @camp, everything else into
 * @jobs, each side keeping an empty line where the other has one, so both
 * keep the file's line numbers.  Counts the job sections besides [global].
 */
static int split_sections(const char *text, FILE *camp, FILE *jobs, size_t *njobs)
{
	bool in_campaign = false;
	const char *p = text;

	if (!strncmp(p, "\xef\xbb\xbf", 3))
		p += 3;		/* a UTF-8 BOM, as inih skips it */
	while (*p) {
		size_t len = strcspn(p, "\n"), nlen;
		const char *name = header_name(p, len, &nlen);

		if (name) {
			in_campaign = nlen == 8 && !strncmp(name, "campaign", 8);
			if (!in_campaign && !(nlen == 6 && !strncmp(name, "global", 6)))
				(*njobs)++;
		}
		fprintf(in_campaign ? camp : jobs, "%.*s\n", (int)len, p);
		fputs(in_campaign && name ? "; [campaign]: read by the host\n" : "\n",
		      in_campaign ? jobs : camp);
		p += len + (p[len] == '\n');
	}
	return ferror(camp) || ferror(jobs) ? -ENOMEM : 0;
}

static int check_campaign(const struct cparse *p, int ini_line)
{
	const struct campaign *c = p->c;
	const char *origin = p->origin;
	struct errmsg *e = p->e;

	if (p->err)
		return errmsg_prefix(e, p->err, "%s:%d", origin, ini_line);
	if (ini_line > 0)
		return errmsg_set(e, -EINVAL, "%s:%d: syntax error", origin, ini_line);
	if (!p->seen_campaign)
		return errmsg_set(e, -EINVAL, "%s: no [campaign] section", origin);
	if (!c->name[0])
		return errmsg_set(e, -EINVAL, "%s: [campaign] needs a name", origin);
	if (!c->nkernels)
		return errmsg_set(e, -EINVAL, "%s: [campaign] needs kernels", origin);
	if (!c->njobs)
		return errmsg_set(e, -EINVAL, "%s: no job section (e.g. [exit] workload = exit)",
				  origin);
	if (c->compare == COMPARE_DESIGN && c->nkernels < 2)
		return errmsg_set(e, -EINVAL, "%s: compare = design needs at least two kernels",
				  origin);
	if (c->numa > c->smp)
		return errmsg_set(e, -EINVAL, "%s: numa %u exceeds smp %u", origin, c->numa,
				  c->smp);
	return 0;
}

/*
 * The job sections as `run --job` will read them in the guest: a typo is
 * FILE:LINE now, not after a boot.  Checks that need the guest's files
 * (a file: backing folder) are left to it.
 */
static int check_jobs(const struct campaign *c, const char *origin, struct errmsg *e)
{
	struct job base, *jobs = NULL;
	size_t n = 0;
	FILE *f = fmemopen(c->job_text, strlen(c->job_text), "r");
	int err;

	if (!f)
		return errmsg_set(e, -ENOMEM, "out of memory");
	job_init(&base, "campaign");
	err = jobfile_load_stream(f, origin, &base, &jobs, &n, e);
	fclose(f);
	for (size_t i = 0; !err && i < n; i++)
		if (jobs[i].backing != BACKING_FILE)
			err = job_validate(&jobs[i], e);
	free(jobs);
	/* whatever the job code says (an unknown option is -ENOENT): bad input */
	return err && err != -ENOMEM ? -EINVAL : err;
}

static void campaign_defaults(struct campaign *c)
{
	memset(c, 0, sizeof(*c));
	c->smp = 2;
	c->mem_mb = 1024;
	c->timeout_s = 900;
	c->runs = 3;
	c->order = ORDER_INTERLEAVE;
	c->seed = 1;
	c->compare = COMPARE_NONE;
}

int campaign_parse_string(const char *text, const char *origin, struct campaign *c,
			  struct errmsg *e)
{
	struct cparse p = { .c = c, .e = e, .origin = origin };
	char *camp_text = NULL;
	size_t clen, jlen;
	FILE *camp, *jobs;
	int err, line;

	campaign_defaults(c);
	camp = open_memstream(&camp_text, &clen);
	jobs = open_memstream(&c->job_text, &jlen);
	err = camp && jobs ? split_sections(text, camp, jobs, &c->njobs) : -ENOMEM;
	if (camp)
		fclose(camp);
	if (jobs)
		fclose(jobs);
	if (err || !camp_text || !c->job_text) {
		free(camp_text);
		campaign_release(c);
		return errmsg_set(e, -ENOMEM, "out of memory");
	}
	line = ini_parse_string(camp_text, cparse_handler, &p);
	free(camp_text);
	err = check_campaign(&p, line);
	if (!err)
		err = check_jobs(c, origin, e);
	if (err)
		campaign_release(c);
	return err;
}

int campaign_load(const char *path, struct campaign *c, struct errmsg *e)
{
	FILE *f = fopen(path, "re");
	char *text;
	size_t len;
	int err;

	memset(c, 0, sizeof(*c));
	if (!f)
		return errmsg_set(e, -errno, "cannot read %s: %s", path, strerror(errno));
	text = malloc(CAMPAIGN_FILE_MAX + 1);
	if (!text) {
		fclose(f);
		return errmsg_set(e, -ENOMEM, "out of memory");
	}
	len = fread(text, 1, CAMPAIGN_FILE_MAX + 1, f);
	err = ferror(f) ? errmsg_set(e, -EIO, "cannot read %s", path) : 0;
	fclose(f);
	if (!err && len > CAMPAIGN_FILE_MAX)
		err = errmsg_set(e, -E2BIG, "%s: larger than %d bytes", path, CAMPAIGN_FILE_MAX);
	text[len > CAMPAIGN_FILE_MAX ? CAMPAIGN_FILE_MAX : len] = '\0';
	if (!err && strlen(text) != len)
		err = errmsg_set(e, -EINVAL, "%s: a NUL byte in the file", path);
	if (!err)
		err = campaign_parse_string(text, path, c, e);
	free(text);
	if (!err)
		snprintf(c->path, sizeof(c->path), "%s", path);
	return err;
}

void campaign_release(struct campaign *c)
{
	free(c->job_text);
	c->job_text = NULL;
}

int campaign_select(struct campaign *c, const char *only, struct errmsg *e)
{
	char keep[CAMPAIGN_MAX_KERNELS][64], buf[1024], *tok, *save;
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", only);
	for (tok = strtok_r(buf, " ,", &save); tok; tok = strtok_r(NULL, " ,", &save)) {
		bool found = false;

		for (size_t i = 0; i < c->nkernels; i++)
			if (!strcmp(c->kernels[i], tok))
				found = true;
		if (!found)
			return errmsg_set(e, -EINVAL, "kernel '%s' is not in campaign %s", tok,
					  c->name);
		if (n >= CAMPAIGN_MAX_KERNELS)
			return errmsg_set(e, -E2BIG, "too many kernels");
		snprintf(keep[n++], sizeof(keep[0]), "%s", tok);
	}
	if (!n)
		return errmsg_set(e, -EINVAL, "empty kernel selection");
	if (!c->nall) {
		memcpy(c->all_kernels, c->kernels, sizeof(c->kernels));
		c->nall = c->nkernels;
	}
	memcpy(c->kernels, keep, sizeof(keep));
	c->nkernels = n;
	return 0;
}

