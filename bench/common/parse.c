// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/parse.h"

static int shift_of(char c)
{
	switch (tolower((unsigned char)c)) {
	case 'k': return 10;
	case 'm': return 20;
	case 'g': return 30;
	case 't': return 40;
	case 'p': return 50;
	case 'e': return 60;
	}
	return -1;
}

int parse_size(const char *s, uint64_t *out, struct errmsg *e)
{
	unsigned long long v;
	char *end;
	int shift = 0;

	if (!s || !*s || *s == '-' || !isdigit((unsigned char)*s))
		return errmsg_set(e, -EINVAL, "'%s' is not a size (e.g. 4096, 64M, 2G)",
				  s ? s : "");
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return errmsg_set(e, -ERANGE, "size '%s' is out of range", s);
	if (*end) {
		shift = shift_of(*end);
		if (shift < 0)
			return errmsg_set(e, -EINVAL, "'%s' has an unknown size unit", s);
		end++;
		if (tolower((unsigned char)*end) == 'i')
			end++;
		if (tolower((unsigned char)*end) == 'b')
			end++;
		if (*end)
			return errmsg_set(e, -EINVAL, "'%s' is not a size (e.g. 4096, 64M, 2G)", s);
	}
	if (shift && v > (~0ull >> shift))
		return errmsg_set(e, -ERANGE, "size '%s' is out of range", s);
	*out = v << shift;
	return 0;
}

int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out,
	      struct errmsg *e)
{
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return errmsg_set(e, -EINVAL, "'%s' is not a number", s ? s : "");
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end)
		return errmsg_set(e, -EINVAL, "'%s' is not a number", s);
	if (errno)
		return errmsg_set(e, -ERANGE, "'%s' is out of range", s);
	if (v < min || v > max)
		return errmsg_set(e, -ERANGE, "%llu is outside %llu..%llu", v,
				  (unsigned long long)min, (unsigned long long)max);
	*out = v;
	return 0;
}

static int list_push(struct u64_list *l, uint64_t v, const char *s,
		     struct errmsg *e)
{
	if (l->n == U64_LIST_MAX)
		return errmsg_set(e, -ERANGE, "'%s' has more than %d values", s,
				  U64_LIST_MAX);
	l->v[l->n++] = v;
	return 0;
}

/*
 * @cur's successor into @next; false when it would not fit in 64 bits (it
 * is then past any last value, so the progression ends there).
 */
static bool progression_next(uint64_t cur, uint64_t ratio, uint64_t step, uint64_t *next)
{
	return ratio ? !__builtin_mul_overflow(cur, ratio, next)
		     : !__builtin_add_overflow(cur, step, next);
}

/*
 * Continue the progression of the values pushed so far up to @last.  Three
 * values decide arithmetic vs geometric; with two, a whole ratio >= 2 reads
 * as geometric (1,2,...,256 is the usual sweep).
 */
static int list_extend(struct u64_list *l, uint64_t last, const char *s,
		       struct errmsg *e)
{
	uint64_t a, b, next, step, ratio = 0;
	int ret;

	if (l->n < 2)
		return errmsg_set(e, -EINVAL, "'%s': '...' needs two values before it", s);
	a = l->v[l->n - 2];
	b = l->v[l->n - 1];
	if (b <= a || last <= b)
		return errmsg_set(e, -EINVAL, "'%s': '...' needs an increasing progression", s);
	step = b - a;
	if (a && b % a == 0 && b / a >= 2)
		ratio = b / a;
	if (l->n >= 3 && a - l->v[l->n - 3] == step)
		ratio = 0;
	for (next = b; progression_next(next, ratio, step, &next) && next < last;) {
		ret = list_push(l, next, s, e);
		if (ret)
			return ret;
	}
	return list_push(l, last, s, e);
}

int parse_u64_list(const char *s, bool sizes, uint64_t min, uint64_t max,
		   struct u64_list *out, struct errmsg *e)
{
	char buf[1024], *tok, *rest;
	bool ellipsis = false;
	uint64_t v;
	int ret;

	out->n = 0;
	if (!s || !*s)
		return errmsg_set(e, -EINVAL, "empty value");
	if (strlen(s) >= sizeof(buf))
		return errmsg_set(e, -EINVAL, "value too long");
	strcpy(buf, s);
	rest = buf;
	/* strsep, not strtok: "1,,2" is a typo to report, not a list of two */
	while ((tok = strsep(&rest, ","))) {
		while (isspace((unsigned char)*tok))
			tok++;
		if (!*tok)
			return errmsg_set(e, -EINVAL, "'%s' has an empty element", s);
		if (!strcmp(tok, "...")) {
			if (ellipsis)
				return errmsg_set(e, -EINVAL, "'%s': two '...' in a row", s);
			ellipsis = true;
			continue;
		}
		ret = sizes ? parse_size(tok, &v, e) : parse_u64(tok, 0, ~0ull, &v, e);
		if (ret)
			return ret;
		if (v < min || v > max) {
			char lo[32], hi[32], got[32];

			if (sizes) {
				format_size(min, lo, sizeof(lo));
				format_size(max, hi, sizeof(hi));
				format_size(v, got, sizeof(got));
			} else {
				snprintf(lo, sizeof(lo), "%llu", (unsigned long long)min);
				snprintf(hi, sizeof(hi), "%llu", (unsigned long long)max);
				snprintf(got, sizeof(got), "%llu", (unsigned long long)v);
			}
			return errmsg_set(e, -ERANGE, "%s is outside %s..%s", got, lo, hi);
		}
		ret = ellipsis ? list_extend(out, v, s, e) : list_push(out, v, s, e);
		if (ret)
			return ret;
		ellipsis = false;
	}
	if (ellipsis)
		return errmsg_set(e, -EINVAL, "'%s': '...' needs a last value after it", s);
	if (!out->n)
		return errmsg_set(e, -EINVAL, "empty value");
	return 0;
}

int parse_fraction(const char *s, double *out, struct errmsg *e)
{
	char *end;
	double v;

	if (!s || !*s)
		return errmsg_set(e, -EINVAL, "empty value");
	v = strtod(s, &end);
	if (end == s)
		return errmsg_set(e, -EINVAL, "'%s' is not a fraction (e.g. 5%% or 0.05)", s);
	if (*end == '%') {
		v /= 100.0;
		end++;
	}
	if (*end || v < 0 || v >= 10)
		return errmsg_set(e, -EINVAL, "'%s' is not a fraction (e.g. 5%% or 0.05)", s);
	*out = v;
	return 0;
}

void format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	int i;

	for (i = 5; i >= 0; i--) {
		uint64_t unit = 1ull << (10 * (i + 1));

		if (bytes >= unit && bytes % unit == 0) {
			snprintf(buf, len, "%llu%c",
				 (unsigned long long)(bytes / unit), units[i]);
			return;
		}
	}
	snprintf(buf, len, "%llu", (unsigned long long)bytes);
}

int parse_name(const char *s, const char *const *names, size_t n, int *out)
{
	size_t i;

	for (i = 0; s && i < n; i++)
		if (names[i] && !strcmp(names[i], s)) {
			*out = i;
			return 0;
		}
	return -EINVAL;
}
