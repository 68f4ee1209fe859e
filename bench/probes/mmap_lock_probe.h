/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mmap_lock probe (issue 10, --probe mmap_lock): while a locker tears
 * down, time accesses that need its mm, the symptom of the munmap RFC
 * (munmap of a huge area held mmap_lock; ps hung on /proc/PID/cmdline).
 *
 * Two producers, each writing its own ring in shared memory that the harness
 * creates before fork and reads after every producer has stopped:
 *
 *  (i)  mlp_fault_thread_start(): called BY THE LOCKER (no process can start
 *       a thread in another), starts a second thread that faults in one new
 *       page at a time of its own small private MAP_NORESERVE area
 *       (MADV_DONTNEED when it wraps, untimed) and times each fault;
 *  (ii) mlp_reader_spawn(): a process forked by the harness that reads
 *       /proc/PID/cmdline and /proc/PID/maps of the target in turn and times
 *       each read (maps up to MLP_MAPS_MAX bytes, from offset 0).
 *
 * Each access is one sample {start, duration} (CLOCK_MONOTONIC ns, as
 * now_ns(): comparable with the engine's phase times).  The ring keeps the
 * newest @cap samples and counts the ones it overwrote; count, longest and
 * the log2 histogram cover every access.  Nothing here prints.
 *
 * Single writer per ring.  Read the results only after the writer has
 * stopped (thread joined, reader reaped, or the locker process gone): a
 * locker killed in the middle of a sample leaves at most that sample out,
 * and mlp_stats.unfinished_start_ns says when it began.
 */
#ifndef MLB_MMAP_LOCK_PROBE_H
#define MLB_MMAP_LOCK_PROBE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/errmsg.h"

enum mlp_kind {
	MLP_FAULT,	/* a page fault of the second thread */
	MLP_CMDLINE,	/* a read of /proc/PID/cmdline */
	MLP_MAPS,	/* a read of /proc/PID/maps, up to MLP_MAPS_MAX bytes */
	MLP_NKINDS
};

const char *mlp_kind_name(enum mlp_kind k);	/* "fault", "cmdline", "maps" */

#define MLP_HIST_BUCKETS 64	/* bucket b: durations in [2^b, 2^(b+1)) ns; 0 in bucket 0 */
#define MLP_RING_MAX (1u << 24)	/* samples per ring: 16 bytes each */
#define MLP_MAPS_MAX 65536	/* bytes of maps read per access: bounded time */
#define MLP_FAULT_PAGES 64	/* pages of the fault thread's area */
#define MLP_FAULT_STACK 65536	/* its stack: locked too under mlockall(MCL_FUTURE) */

struct mlp_ring;

/*
 * A ring of @cap (1..MLP_RING_MAX) samples in MAP_SHARED memory: create it
 * before forking the processes that write or read it.
 */
int mlp_ring_new(size_t cap, struct mlp_ring **out, struct errmsg *e);
/* Unmap (in each process that mapped it; NULL is fine). */
void mlp_ring_delete(struct mlp_ring *r);

/* Samples ever recorded (overwritten ones included): has the producer started? */
uint64_t mlp_ring_written(const struct mlp_ring *r);

/* Ask the ring's producer to stop (async-signal-safe, any process). */
void mlp_ring_stop(struct mlp_ring *r);
bool mlp_ring_stopping(const struct mlp_ring *r);

/*
 * Record one access (the producers call this; exposed for tests).  @err is
 * 0 or the -errno the access failed with (counted, its time still kept).
 */
void mlp_ring_record(struct mlp_ring *r, enum mlp_kind k, uint64_t start_ns, uint64_t dur_ns,
		     int err);
/* Mark an access in flight (start_ns) or done (0). */
void mlp_ring_inflight(struct mlp_ring *r, uint64_t start_ns);

struct mlp_stats {
	uint64_t count;			/* accesses of this kind, overwritten ones included */
	uint64_t errors;		/* of them, failed ones */
	uint64_t longest_ns, longest_start_ns;
	uint64_t hist[MLP_HIST_BUCKETS];
	uint64_t kept;			/* of this kind still in the ring */
	uint64_t p50_ns, p99_ns;	/* nearest rank over the kept ones; 0 when none */
	/* ring-wide, the same for every kind */
	uint64_t overwritten;		/* samples the ring dropped to keep the newest */
	uint64_t unfinished_start_ns;	/* an access that never returned (0: none) */
};

/*
 * Statistics of kind @k; only samples starting in [@from_ns, @to_ns) when
 * @window (then count, longest and hist are of the kept samples too, and
 * errors is 0).  -ENOMEM.
 */
int mlp_ring_stats(const struct mlp_ring *r, enum mlp_kind k, bool window, uint64_t from_ns,
		   uint64_t to_ns, struct mlp_stats *s);

/* The kept samples of kind @k, oldest first, into @out (up to @n); returns how many. */
size_t mlp_ring_samples(const struct mlp_ring *r, enum mlp_kind k, uint64_t *start_ns,
			uint64_t *dur_ns, size_t n);

/* (i) In the locker. */
struct mlp_fault_thread;

/*
 * Start the fault thread, writing @r, one fault every @interval_ns (0: back
 * to back; a busy thread competes with the teardown for a CPU).  All
 * signals are blocked in it: the locker's handlers keep running on the main
 * thread.  Its area is munlocked, so mlockall(MCL_FUTURE) does not keep it
 * populated; its MLP_FAULT_STACK stack is locked under MCL_FUTURE (16
 * pages in the unevictable counters).  -errno.
 */
int mlp_fault_thread_start(struct mlp_ring *r, uint64_t interval_ns,
			   struct mlp_fault_thread **out);
/* Stop the ring, join the thread, unmap its area.  Returns the thread's -errno or 0. */
int mlp_fault_thread_stop(struct mlp_fault_thread *t);

/* (ii) In the harness. */

/*
 * Fork a reader of /proc/@target/{cmdline,maps} writing @r, one read every
 * @interval_ns.  It dies with the parent (PR_SET_PDEATHSIG) and exits when
 * the ring is stopped, or on its own when @target's files cannot be opened.
 * The parent's signal handlers are reset in it: a ^C to the process group
 * ends it instead of running the harness's handler in a copy of it.
 */
int mlp_reader_spawn(struct mlp_ring *r, pid_t target, uint64_t interval_ns, pid_t *pid,
		     struct errmsg *e);
/*
 * Stop the ring and reap the reader; SIGKILL after @grace_ms.  -ETIMEDOUT
 * when it had to be killed (it is reaped all the same), -ECHILD when it
 * failed (exit status in the message).
 */
int mlp_reader_finish(struct mlp_ring *r, pid_t pid, unsigned int grace_ms, struct errmsg *e);

/* The reader's body, for callers that fork themselves: returns when stopped. */
int mlp_reader_run(struct mlp_ring *r, pid_t target, uint64_t interval_ns);

#endif
