// SPDX-License-Identifier: GPL-2.0
/*
 * The mmap_lock probe's fault thread, started by the locker itself: each
 * write to a page of its own area that MADV_DONTNEED emptied is a fresh
 * anonymous fault, which waits whenever the teardown holds what a fault
 * needs (mmap_lock, or the VMA lock where faults take per-VMA locks).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "common/timeutil.h"
#include "probes/mmap_lock_probe.h"

struct mlp_fault_thread {
	pthread_t tid;
	struct mlp_ring *ring;
	uint64_t interval_ns;
	char *area;
	size_t page, len;
	int err;
};

static void pause_ns(uint64_t ns)
{
	struct timespec ts = { .tv_sec = ns / 1000000000ull, .tv_nsec = ns % 1000000000ull };

	if (ns)
		nanosleep(&ts, NULL);
}

/* Empty the area again; under mlockall(MCL_FUTURE) it may have been locked. */
static int empty_area(struct mlp_fault_thread *t)
{
	if (!madvise(t->area, t->len, MADV_DONTNEED))
		return 0;
	if (errno != EINVAL || munlock(t->area, t->len))
		return -errno;
	return madvise(t->area, t->len, MADV_DONTNEED) ? -errno : 0;
}

static void *fault_loop(void *arg)
{
	struct mlp_fault_thread *t = arg;
	size_t i = 0;

	while (!mlp_ring_stopping(t->ring)) {
		volatile char *p = t->area + i * t->page;
		uint64_t t0;

		if (i == 0 && (t->err = empty_area(t)))
			break;
		t0 = now_ns();
		mlp_ring_inflight(t->ring, t0);
		*p = 1;
		mlp_ring_record(t->ring, MLP_FAULT, t0, now_ns() - t0, 0);
		mlp_ring_inflight(t->ring, 0);
		i = (i + 1) % MLP_FAULT_PAGES;
		pause_ns(t->interval_ns);
	}
	return NULL;
}

int mlp_fault_thread_start(struct mlp_ring *r, uint64_t interval_ns,
			   struct mlp_fault_thread **out)
{
	struct mlp_fault_thread *t = calloc(1, sizeof(*t));
	pthread_attr_t attr;
	sigset_t all, old;
	int ret;

	if (!t)
		return -ENOMEM;
	t->ring = r;
	t->interval_ns = interval_ns;
	t->page = sysconf(_SC_PAGESIZE);
	t->len = MLP_FAULT_PAGES * t->page;
	t->area = mmap(NULL, t->len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (t->area == MAP_FAILED) {
		ret = -errno;
		free(t);
		return ret;
	}
	/* no huge page: each touch must be its own small fault */
	madvise(t->area, t->len, MADV_NOHUGEPAGE);
	munlock(t->area, t->len);
	/*
	 * A small stack: under mlockall(MCL_FUTURE) it is locked and populated,
	 * and must stay within the vmstat checks' slack (16 pages).
	 */
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, MLP_FAULT_STACK);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = -pthread_create(&t->tid, &attr, fault_loop, t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (ret) {
		munmap(t->area, t->len);
		free(t);
		return ret;
	}
	*out = t;
	return 0;
}

int mlp_fault_thread_stop(struct mlp_fault_thread *t)
{
	int ret;

	if (!t)
		return 0;
	mlp_ring_stop(t->ring);
	pthread_join(t->tid, NULL);
	ret = t->err;
	munmap(t->area, t->len);
	free(t);
	return ret;
}
