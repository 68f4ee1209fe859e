// SPDX-License-Identifier: GPL-2.0
/*
 * smaps_rollup: parse, read, summarise, and the THP verdict.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysinfo/smaps.h"

const char *const smaps_field_names[SMAPS_NFIELDS] = {
	[SMAPS_RSS] = "Rss",
	[SMAPS_PSS] = "Pss",
	[SMAPS_LOCKED] = "Locked",
	[SMAPS_ANON_HUGE] = "AnonHugePages",
	[SMAPS_SHMEM_PMD] = "ShmemPmdMapped",
	[SMAPS_FILE_PMD] = "FilePmdMapped",
	[SMAPS_SHARED_HUGETLB] = "Shared_Hugetlb",
	[SMAPS_PRIVATE_HUGETLB] = "Private_Hugetlb",
};

static int field_of(const char *name, size_t n)
{
	int i;

	for (i = 0; i < SMAPS_NFIELDS; i++)
		if (strlen(smaps_field_names[i]) == n && !memcmp(smaps_field_names[i], name, n))
			return i;
	return -1;
}

/* "   1234 kB" (after the colon) to kB; -EINVAL or -ERANGE. */
static int parse_kb(const char *p, const char *end, int64_t *kb)
{
	int64_t v = 0;
	int digits = 0;

	while (p < end && *p == ' ')
		p++;
	for (; p < end && *p >= '0' && *p <= '9'; p++, digits++) {
		if (v > (SMAPS_MAX_KB - (*p - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (*p - '0');
	}
	if (!digits || end - p != 3 || memcmp(p, " kB", 3))
		return -EINVAL;
	*kb = v;
	return 0;
}

int smaps_rollup_parse(const char *text, size_t len, struct smaps_rollup *r,
		       struct errmsg *e)
{
	const char *p = text, *end = text + len;
	int64_t huge = 0;
	unsigned line = 0;
	int i;

	for (i = 0; i < SMAPS_NFIELDS; i++)
		r->bytes[i] = -1;
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p), *eol = nl ? nl : end;
		const char *colon = memchr(p, ':', eol - p);
		int64_t kb;
		int f, ret;

		line++;
		f = colon ? field_of(p, colon - p) : -1;
		if (f >= 0) {
			ret = parse_kb(colon + 1, eol, &kb);
			if (ret)
				return errmsg_set(e, -EINVAL, "smaps_rollup:%u: %s: %s", line,
						  smaps_field_names[f],
						  ret == -ERANGE ? "value out of range"
								 : "not '<number> kB'");
			if (r->bytes[f] >= 0)
				return errmsg_set(e, -EINVAL, "smaps_rollup:%u: %s repeated", line,
						  smaps_field_names[f]);
			r->bytes[f] = kb * 1024;
		}
		p = nl ? nl + 1 : end;
	}
	if (r->bytes[SMAPS_RSS] < 0)
		return errmsg_set(e, -EINVAL, "smaps_rollup: no Rss line");
	for (i = SMAPS_ANON_HUGE; i <= SMAPS_FILE_PMD; i++)
		if (r->bytes[i] > 0)
			huge += r->bytes[i];	/* each <= INT64_MAX/1024*1024: no overflow for 3 */
	if (r->bytes[SMAPS_PSS] > r->bytes[SMAPS_RSS] ||
	    r->bytes[SMAPS_LOCKED] > r->bytes[SMAPS_RSS] || huge > r->bytes[SMAPS_RSS])
		return errmsg_set(e, -EINVAL, "smaps_rollup: Pss, Locked or the huge pages "
				  "exceed Rss (%lld bytes)", (long long)r->bytes[SMAPS_RSS]);
	return 0;
}

int smaps_rollup_read_path(const char *path, struct smaps_rollup *r, struct errmsg *e)
{
	char buf[SMAPS_MAX_TEXT + 1];
	size_t n = 0;
	ssize_t k;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return errmsg_set(e, -errno, "%s: %s", path, strerror(errno));
	/* one byte more than allowed, to see a file that is too long */
	while (n < sizeof(buf)) {
		k = read(fd, buf + n, sizeof(buf) - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			ret = -errno;
			close(fd);
			return errmsg_set(e, ret, "%s: %s", path, strerror(-ret));
		}
		if (!k)
			break;
		n += k;
	}
	close(fd);
	if (n > SMAPS_MAX_TEXT)
		return errmsg_set(e, -EFBIG, "%s: longer than %d bytes", path, SMAPS_MAX_TEXT);
	ret = smaps_rollup_parse(buf, n, r, e);
	return ret ? errmsg_prefix(e, ret, "%s", path) : 0;
}

int smaps_rollup_read(pid_t pid, struct smaps_rollup *r, struct errmsg *e)
{
	char path[64];

	if (pid <= 0)
		return errmsg_set(e, -EINVAL, "smaps_rollup: bad pid %d", (int)pid);
	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	return smaps_rollup_read_path(path, r, e);
}

int64_t smaps_huge_bytes(const struct smaps_rollup *r)
{
	int64_t sum = 0;
	bool any = false;
	int i;

	for (i = SMAPS_ANON_HUGE; i <= SMAPS_FILE_PMD; i++)
		if (r->bytes[i] >= 0) {
			sum += r->bytes[i];
			any = true;
		}
	return any ? sum : -1;
}

double smaps_huge_coverage(const struct smaps_rollup *r)
{
	int64_t huge = smaps_huge_bytes(r);

	if (huge < 0 || r->bytes[SMAPS_RSS] <= 0)
		return -1;
	return huge >= r->bytes[SMAPS_RSS] ? 1.0 : (double)huge / (double)r->bytes[SMAPS_RSS];
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Lower median of the known (>= 0) values. */
static void stat_of(int64_t *v, size_t n, struct smaps_stat *st)
{
	size_t i;

	qsort(v, n, sizeof(*v), cmp_i64);
	st->sum = n ? 0 : -1;
	for (i = 0; i < n; i++)
		st->sum = v[i] > INT64_MAX - st->sum ? INT64_MAX : st->sum + v[i];
	st->n = n;
	st->min = n ? v[0] : -1;
	st->median = n ? v[(n - 1) / 2] : -1;
	st->max = n ? v[n - 1] : -1;
}

void smaps_summarise(const struct smaps_rollup *r, size_t n, struct smaps_summary *s)
{
	int64_t *v = n ? calloc(n, sizeof(*v)) : NULL;
	double *c = n ? calloc(n, sizeof(*c)) : NULL;
	size_t i, k;
	int f;

	memset(s, 0, sizeof(*s));
	s->lockers = n;
	s->coverage_min = s->coverage_median = s->coverage_max = -1;
	if (n && (!v || !c))
		n = 0;	/* out of memory: say nothing rather than something wrong */
	for (f = 0; f < SMAPS_NFIELDS; f++) {
		for (i = k = 0; i < n; i++)
			if (r[i].bytes[f] >= 0)
				v[k++] = r[i].bytes[f];
		stat_of(v, k, &s->f[f]);
	}
	for (i = k = 0; i < n; i++) {
		double x = smaps_huge_coverage(&r[i]);

		if (x < 0)
			continue;
		c[k++] = x;
		if (x == 0)
			s->lockers_without_huge++;
	}
	if (k) {
		qsort(c, k, sizeof(*c), cmp_double);
		s->coverage_min = c[0];
		s->coverage_median = c[(k - 1) / 2];
		s->coverage_max = c[k - 1];
	}
	s->coverage_n = k;
	free(v);
	free(c);
}

const char *thp_verdict_name(enum thp_verdict v)
{
	switch (v) {
	case THP_NOT_ASKED: return "not-asked";
	case THP_GOT: return "got-huge-pages";
	case THP_PARTIAL: return "partial";
	case THP_NONE: return "no-huge-pages";
	case THP_UNKNOWN: return "unknown";
	}
	return "?";
}

bool smaps_thp_verdict(const struct smaps_summary *s, bool backing_is_thp, bool require_thp,
		       enum thp_verdict *v, char *detail, size_t len)
{
	if (!backing_is_thp) {
		*v = THP_NOT_ASKED;
		snprintf(detail, len, "backing does not ask for huge pages");
		return true;
	}
	if (!s->coverage_n) {
		*v = THP_UNKNOWN;
		snprintf(detail, len, "huge-page coverage unknown (no smaps_rollup of %zu lockers)",
			 s->lockers);
	} else if (s->lockers_without_huge == s->coverage_n) {
		*v = THP_NONE;
		snprintf(detail, len, "THP backing got no huge pages in %zu of %zu lockers "
			 "(see /sys/kernel/mm/transparent_hugepage/)",
			 s->lockers_without_huge, s->coverage_n);
	} else if (s->lockers_without_huge) {
		*v = THP_PARTIAL;
		snprintf(detail, len, "THP backing got no huge pages in %zu of %zu lockers",
			 s->lockers_without_huge, s->coverage_n);
	} else {
		*v = THP_GOT;
		snprintf(detail, len, "huge-page coverage %.3f..%.3f of Rss in %zu lockers",
			 s->coverage_min, s->coverage_max, s->coverage_n);
		return true;
	}
	return !require_thp;
}
