/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vmstat collector's pure parts: parsing /proc/vmstat and /proc/meminfo
 * and the design-fingerprint check, for the unit tests.
 */
#ifndef MLB_VMSTAT_H
#define MLB_VMSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sysinfo/sysinfo.h"	/* enum mlock_design: the one detector */

enum vm_field {
	VM_MLOCKED,	/* unevictable_pgs_mlocked */
	VM_MUNLOCKED,
	VM_CULLED,
	VM_RESCUED,
	VM_CLEARED,
	VM_STRANDED,
	VM_SCANNED,
	VM_NR_MLOCK,	/* gauge, pages */
	VM_NFIELDS
};

/* Name in /proc/vmstat. */
extern const char *const vm_field_names[VM_NFIELDS];

struct vm_snap {
	int64_t v[VM_NFIELDS];
	bool have[VM_NFIELDS];
	int64_t mlocked_kib, unevictable_kib;	/* /proc/meminfo */
	bool have_meminfo;
};

int vm_parse_vmstat(const char *text, struct vm_snap *s);
int vm_parse_meminfo(const char *text, struct vm_snap *s);
/* Read both files. */
int vm_snap_read(struct vm_snap *s);

/* One repetition's deltas. */
struct vm_rep {
	uint64_t procs, pages;		/* P lockers of N pages, the same ones (locked_pages.shared) */
	uint64_t never;			/* per locker, VM_LOCKED but never populated */
	bool own_too;			/* mlockall: each locker's own pages are locked too */
	bool anon_huge_shared;		/* locked_pages.anon_huge_shared */
	long page_kib;
	bool have_setup;
	struct vm_snap setup0, setup1, teardown0, teardown1;
};

/* Slack for other activity and per-CPU batches, in pages. */
#define VM_SLACK_PAGES 256

/*
 * Do the rep's counters look like @expect?  rmap-walk: teardown
 * Δmlocked ≈ (P−1)·N (the walk re-mlocks; racy, so only N/2 is asked, far
 * above mlock_count's ~0); mlock_count: setup Δmlocked ≈ N
 * and teardown Δmlocked ≈ 0, Δmunlocked ≈ N, Δcleared ≈ 0.  With own_too
 * the lockers' own pages come on top of N (no upper bound but the one
 * below, and mlock_count's Δmunlocked at most the set-up's Δmlocked); with
 * never pages, set-up Δmlocked stays below N + P·never/2 (the reservation
 * got no pages).  Returns true if consistent, and says why in @detail.
 * *@looks_like gets the design the teardown counters indicate.
 */
bool vm_fingerprint_check(enum mlock_design expect, const struct vm_rep *r,
			  enum mlock_design *looks_like, char *detail, size_t len);
/* Mlocked after teardown minus before set-up (KiB), and whether within tolerance. */
bool vm_residual_check(const struct vm_rep *r, int64_t *residual_kib, int64_t *tol_kib);

#endif
