/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel text symbols from /proc/kallsyms, sorted by address, to turn
 * callchain addresses into names (binary search).  Read with sysinfo's
 * kallsyms parser; names match with its ksym_match().
 */
#ifndef MLB_KALLSYMS_MAP_H
#define MLB_KALLSYMS_MAP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "common/errmsg.h"

struct ksym {
	uint64_t addr;
	const char *name;	/* points into the map's string pool */
};

struct kallsyms_map {
	struct ksym *syms;
	size_t nsyms;
	char *pool;
	size_t pool_len, pool_alloc;
};

/* Load text symbols (t/T/w/W) from @f; addresses must not be hidden. */
int kallsyms_map_load_stream(struct kallsyms_map *m, FILE *f, struct errmsg *e);
/* Load /proc/kallsyms; -EPERM when addresses read as zero (kptr_restrict). */
int kallsyms_map_load(struct kallsyms_map *m, struct errmsg *e);
void kallsyms_map_release(struct kallsyms_map *m);
/* Name of the symbol containing @addr, or NULL. */
const char *kallsyms_map_lookup(const struct kallsyms_map *m, uint64_t addr);
/* The symbol named @name or `name.suffix` (exact name preferred), NULL if none. */
const char *kallsyms_map_find(const struct kallsyms_map *m, const char *name);

#endif
