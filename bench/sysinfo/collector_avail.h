/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What this kernel offers the collectors: a machine fact, kept in struct
 * sysinfo and shown by `info`.  Filled by collectors_probe()
 * (engine/collector.h), which the caller runs after sysinfo_gather().
 */
#ifndef MLB_SYSINFO_COLLECTOR_AVAIL_H
#define MLB_SYSINFO_COLLECTOR_AVAIL_H

#include <stdbool.h>

struct collector_avail {
	bool tracepoints;	/* lock:contention_begin/end present */
	bool kprobes;		/* kprobe_events writable and slow-path symbols present */
	bool pmu;		/* hardware cycles countable */
	char tracefs[256];	/* where tracefs is mounted, "" when it is not */
	bool tracefs_mounted_now;	/* the probe mounted it: callers say so */
};

#endif
