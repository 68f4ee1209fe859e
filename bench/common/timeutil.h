/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MLB_TIMEUTIL_H
#define MLB_TIMEUTIL_H

#include <stdint.h>
#include <time.h>

/* CLOCK_MONOTONIC in nanoseconds: comparable across processes. */
static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* Wall-clock time as ISO 8601 UTC into @buf (at least 32 bytes). */
void iso8601_now(char *buf, size_t len);

#endif
