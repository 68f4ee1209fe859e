/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MLB_LOCKS_H
#define MLB_LOCKS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "collectors/lock_classify.h"
#include "engine/collector.h"

enum locks_method { LOCKS_AUTO, LOCKS_TRACEPOINT, LOCKS_KPROBE, LOCKS_PROFILE };

const char *locks_method_name(enum locks_method m);

/* The run summary's lock table by class (locks_summary.c). */
void locks_summary(FILE *f, const struct collector_view *v);

/* Open waits tracked per thread; a deeper nesting drops the outermost. */
#define LOCK_PAIR_DEPTH 4

enum lock_rec_kind { LOCK_REC_BEGIN, LOCK_REC_END };

/* One contention event of the window. */
struct lock_rec {
	uint64_t time;		/* ns, one clock across CPUs */
	uint64_t lock;		/* lock address, 0: unknown (a kretprobe) */
	uint32_t tid;		/* 0 (idle) is skipped */
	uint8_t kind;		/* enum lock_rec_kind */
	uint8_t cls;		/* class id of a begin */
	uint16_t pad;
	uint32_t seq;		/* arrival order, breaks ties in time */
};

struct lock_class_stat {
	uint64_t wait_ns, count, max_ns;
};

struct lock_pairing {
	struct lock_class_stat cls[LOCK_CLASS_MAX];
	uint64_t unpaired;	/* begins never ended, ends never begun in the window */
	uint64_t nested, nested_ns;	/* waits begun inside another pending wait */
	uint64_t lockers_ns;	/* class waits of the @lockers threads */
};

/*
 * Pair begins with ends per thread: an end closes the innermost open begin
 * on the same lock (any, when either address is unknown).  Sorts @recs by
 * time.  Pure: no I/O.  0 or -ENOMEM.
 */
int lock_pair(struct lock_rec *recs, size_t n, const pid_t *lockers, size_t nlockers,
	      struct lock_pairing *out);

#endif
