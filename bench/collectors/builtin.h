/* SPDX-License-Identifier: GPL-2.0 */
/* Every collector's ops, for the registry (registry.c) and tests. */
#ifndef MLB_COLLECTORS_BUILTIN_H
#define MLB_COLLECTORS_BUILTIN_H

#include "engine/collector.h"

extern const struct collector_ops vmstat_collector;
extern const struct collector_ops perf_collector;
extern const struct collector_ops locks_collector;
extern const struct collector_ops perf_record_collector;
extern const struct collector_ops mmap_lock_collector;

#endif
