/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Library code never prints: it fills an errmsg and returns -errno.  The
 * message is lowercase, without a full stop, and one line (git style).
 */
#ifndef MLB_ERRMSG_H
#define MLB_ERRMSG_H

#include <stddef.h>

struct errmsg {
	char buf[512];
};

/* Format into @e (may be NULL) and return @err, which must be a -errno. */
int errmsg_set(struct errmsg *e, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefix an existing message: "job.ini:3: <old message>". */
int errmsg_prefix(struct errmsg *e, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
