// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/errmsg.h"

int errmsg_set(struct errmsg *e, int err, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return err;
	va_start(ap, fmt);
	vsnprintf(e->buf, sizeof(e->buf), fmt, ap);
	va_end(ap);
	return err;
}

int errmsg_prefix(struct errmsg *e, int err, const char *fmt, ...)
{
	char prefix[256], old[sizeof(e->buf)];
	va_list ap;

	if (!e)
		return err;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, e->buf, sizeof(old));
	snprintf(e->buf, sizeof(e->buf), "%s: %s", prefix, old);
	return err;
}
