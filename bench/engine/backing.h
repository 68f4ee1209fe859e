/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The memory every locker maps: created and populated by the parent for
 * each repetition (so pages sit on the LRU before the concurrent mlock),
 * mapped, faulted in and locked by each child.
 */
#ifndef MLB_BACKING_H
#define MLB_BACKING_H

#include <signal.h>
#include <stddef.h>

#include "common/errmsg.h"
#include "engine/workload.h"
#include "job/job.h"
#include "job/lock_range.h"

struct backing {
	enum backing_kind kind;
	size_t len;
	int fd;			/* file kinds; -1 for anon */
	void *anon;		/* anon kinds: the parent's mapping, inherited by fork */
	size_t align;		/* every mapping of it starts at a multiple; 0: mmap's choice */
	size_t lock_off, lock_len;	/* what the lockers mlock, from the area's start */
};

/*
 * Parent: create and populate.  The file is unlinked at once: no leftovers.
 * -EINTR, with nothing left behind, as soon as *@stop (may be NULL) is set.
 * With a lock range (@r not whole) every mapping is placed at a multiple of
 * r->align, so the range cuts the same huge pages in every locker.
 */
int backing_create(struct backing *b, const struct job *j, size_t len,
		   const struct lock_range *r, const volatile sig_atomic_t *stop,
		   struct errmsg *e);
void backing_destroy(struct backing *b);

/*
 * Child: map (or take the inherited anon area), fault in and lock (its
 * lock range: the whole area without one; mlock and onfault only).  A file
 * is mapped MAP_SHARED with @prot (ro: PROT_READ, faulted by reads); the
 * anon area is always PROT_READ, so its pages stay shared COW.
 */
int backing_lock(const struct backing *b, enum lock_method m, enum prot_mode prot,
		 struct locker_area *a, const char **step);
/* Child: map and fault in without locking (a plain mapper), as above. */
int backing_map_plain(const struct backing *b, enum prot_mode prot, struct locker_area *a,
		      const char **step);

#endif
