// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "engine/ops_options.h"

static size_t nopts(const struct ops_option *opts)
{
	size_t n = 0;

	while (opts && opts[n].name)
		n++;
	return n;
}

static int choice_index(const struct ops_option *o, const char *val, size_t len)
{
	int i;

	for (i = 0; o->choices[i]; i++)
		if (strlen(o->choices[i]) == len && !strncmp(o->choices[i], val, len))
			return i;
	return -1;
}

/* One "opt=val" or bare "val" of @len bytes at @item. */
static int parse_item(const struct ops_option *opts, size_t n, const char *owner,
		      const char *item, size_t len, struct ops_args *out, struct errmsg *e)
{
	const char *eq = memchr(item, '=', len);
	char usage[256];
	size_t i;
	int c;

	ops_options_usage(opts, usage, sizeof(usage));
	for (i = 0; i < n; i++) {
		const struct ops_option *o = &opts[i];

		if (eq && ((size_t)(eq - item) != strlen(o->name) ||
			   strncmp(item, o->name, eq - item)))
			continue;
		c = eq ? choice_index(o, eq + 1, len - (eq + 1 - item)) : choice_index(o, item, len);
		if (c >= 0) {
			out->choice[i] = c;
			return 0;
		}
		if (eq)
			return errmsg_set(e, -EINVAL, "%s: '%.*s' is not a value of %s (%s)", owner,
					  (int)len, item, o->name, usage);
	}
	if (!n)
		return errmsg_set(e, -EINVAL, "%s has no options ('%.*s')", owner, (int)len, item);
	return errmsg_set(e, -EINVAL, "%s has no option '%.*s' (%s)", owner, (int)len, item,
			  usage);
}

int ops_args_parse(const struct ops_option *opts, const char *owner, const char *text,
		   struct ops_args *out, struct errmsg *e)
{
	size_t n = nopts(opts);
	const char *p = text;
	int ret;

	memset(out, 0, sizeof(*out));
	if (n > OPS_MAX_OPTIONS)
		return errmsg_set(e, -E2BIG, "%s declares more than %d options", owner,
				  OPS_MAX_OPTIONS);
	while (p && *p) {
		size_t len = strcspn(p, ":");

		if (!len)
			return errmsg_set(e, -EINVAL, "%s: empty option", owner);
		ret = parse_item(opts, n, owner, p, len, out, e);
		if (ret)
			return ret;
		p += len;
		p += *p == ':';
	}
	return 0;
}

const char *ops_args_value(const struct ops_option *opts, const struct ops_args *a, size_t i)
{
	return opts[i].choices[a->choice[i]];
}

void ops_options_usage(const struct ops_option *opts, char *buf, size_t len)
{
	size_t i, off = 0;
	int k;

	buf[0] = 0;
	for (i = 0; opts && opts[i].name && off < len; i++) {
		off += snprintf(buf + off, len - off, "%s%s=", i ? ", " : "", opts[i].name);
		for (k = 0; opts[i].choices[k] && off < len; k++)
			off += snprintf(buf + off, len - off, "%s%s", k ? "|" : "",
					opts[i].choices[k]);
	}
}
