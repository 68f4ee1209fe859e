/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsers for option values.  All return 0 or -EINVAL/-ERANGE and say why
 * in @e; none prints.
 */
#ifndef MLB_PARSE_H
#define MLB_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/errmsg.h"

#define U64_LIST_MAX 64

/* A sweep: one or more values; a scalar option is a list of one. */
struct u64_list {
	size_t n;
	uint64_t v[U64_LIST_MAX];
};

/* "4096", "64K", "64M", "2G", "1T", "1P" (binary units, case-insensitive). */
int parse_size(const char *s, uint64_t *out, struct errmsg *e);

/* Unsigned decimal integer within [min, max]. */
int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out,
	      struct errmsg *e);

/*
 * "1,2,4" or "1,2,4,...,256": an ellipsis continues the arithmetic or
 * geometric progression of the two values before it up to the value after
 * it; the value after it always ends the list, on the progression or not
 * ("2,4,...,10" is 2,4,8,10).  Empty elements are errors.  @sizes selects
 * parse_size for elements.  Values must lie in [min, max].
 */
int parse_u64_list(const char *s, bool sizes, uint64_t min, uint64_t max,
		   struct u64_list *out, struct errmsg *e);

/* "5%" or "0.05" -> 0.05 */
int parse_fraction(const char *s, double *out, struct errmsg *e);

/* @s's index among the @n @names (NULL entries never match); -EINVAL, no message, when absent. */
int parse_name(const char *s, const char *const *names, size_t n, int *out);

/* Exact short form of a byte count, parse_size() reads it back: "64M", "1536M", "4097". */
void format_size(uint64_t bytes, char *buf, size_t len);

#endif
