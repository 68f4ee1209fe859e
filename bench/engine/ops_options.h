/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Options an ops struct (a collector, a workload) declares for itself,
 * given after its name: "locks:method=kprobe".  Each option picks one of a
 * fixed list of values; a bare value names the option it belongs to
 * ("locks:kprobe").  The same table drives parsing and --help.
 */
#ifndef MLB_OPS_OPTIONS_H
#define MLB_OPS_OPTIONS_H

#include <stddef.h>

#include "common/errmsg.h"

#define OPS_MAX_OPTIONS 8

struct ops_option {
	const char *name;		/* "method" */
	const char *const *choices;	/* NULL-terminated; choices[0] is the default */
	const char *help;
};

/* The parsed options: one index into each option's choices, in table order. */
struct ops_args {
	int choice[OPS_MAX_OPTIONS];
};

/*
 * Parse @text ("opt=val:val2", may be empty) against @opts (NULL: none) for
 * @owner ("collector 'locks'").  Unset options get choice 0.  -EINVAL with
 * a one-line message naming the bad part and what is accepted.
 */
int ops_args_parse(const struct ops_option *opts, const char *owner, const char *text,
		   struct ops_args *out, struct errmsg *e);
/* The value text of option @i ("kprobe"). */
const char *ops_args_value(const struct ops_option *opts, const struct ops_args *a, size_t i);
/* "method=auto|tracepoint|kprobe|profile" into @buf; "" when none. */
void ops_options_usage(const struct ops_option *opts, char *buf, size_t len);

#endif
