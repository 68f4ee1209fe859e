/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mmap_lock probe ring's layout, private to bench/probes/.  The stop
 * flag and the writer's fields sit on their own cache lines: the parent
 * polls neither, the writer owns the rest.
 */
#ifndef MLB_MMAP_LOCK_RING_H
#define MLB_MMAP_LOCK_RING_H

#include <stdint.h>

#include "probes/mmap_lock_probe.h"

#define MLP_KIND_SHIFT 56
#define MLP_DUR_MAX ((1ull << MLP_KIND_SHIFT) - 1)
#define MLP_ERR_BIT (1ull << 63)
#define MLP_SLOT_DUR(s) ((s)->dur_kind & MLP_DUR_MAX)
#define MLP_SLOT_KIND(s) ((unsigned)(((s)->dur_kind >> MLP_KIND_SHIFT) & 0x3f))

struct mlp_slot {
	uint64_t start_ns;
	uint64_t dur_kind;	/* duration | kind << 56 | error << 63 */
};

struct mlp_kind_totals {
	uint64_t count, errors, longest_ns, longest_start_ns;
	uint64_t hist[MLP_HIST_BUCKETS];
};

struct mlp_ring {
	int stop __attribute__((aligned(64)));
	uint64_t cap __attribute__((aligned(64)));
	uint64_t head;		/* samples ever written */
	uint64_t overwritten;
	uint64_t inflight_start_ns;
	struct mlp_kind_totals kinds[MLP_NKINDS];
	struct mlp_slot slot[] __attribute__((aligned(64)));
};

#endif
