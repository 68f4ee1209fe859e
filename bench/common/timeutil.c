// SPDX-License-Identifier: GPL-2.0
#include <stddef.h>
#include <time.h>

#include "common/timeutil.h"

void iso8601_now(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
