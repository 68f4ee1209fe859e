// SPDX-License-Identifier: GPL-2.0
/*
 * The mmap_lock probe's ring: shared memory, one writer, read afterwards.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "probes/mmap_lock_probe.h"
#include "probes/mmap_lock_ring.h"

const char *mlp_kind_name(enum mlp_kind k)
{
	static const char *const names[MLP_NKINDS] = { "fault", "cmdline", "maps" };

	return (unsigned)k < MLP_NKINDS ? names[k] : "?";
}

static size_t ring_bytes(size_t cap)
{
	return sizeof(struct mlp_ring) + cap * sizeof(struct mlp_slot);
}

int mlp_ring_new(size_t cap, struct mlp_ring **out, struct errmsg *e)
{
	struct mlp_ring *r;

	if (cap < 1 || cap > MLP_RING_MAX)
		return errmsg_set(e, -EINVAL, "mmap_lock probe: ring of %zu samples, not 1..%u",
				  cap, MLP_RING_MAX);
	r = mmap(NULL, ring_bytes(cap), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		 -1, 0);
	if (r == MAP_FAILED)
		return errmsg_set(e, -errno, "mmap_lock probe: ring: %s", strerror(errno));
	/* fresh anonymous memory is zero: only the capacity to set */
	r->cap = cap;
	*out = r;
	return 0;
}

void mlp_ring_delete(struct mlp_ring *r)
{
	if (r)
		munmap(r, ring_bytes(r->cap));
}

uint64_t mlp_ring_written(const struct mlp_ring *r)
{
	return __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
}

void mlp_ring_stop(struct mlp_ring *r)
{
	__atomic_store_n(&r->stop, 1, __ATOMIC_RELEASE);
}

bool mlp_ring_stopping(const struct mlp_ring *r)
{
	return __atomic_load_n(&r->stop, __ATOMIC_ACQUIRE);
}

static unsigned bucket_of(uint64_t ns)
{
	return ns ? 63 - __builtin_clzll(ns) : 0;
}

void mlp_ring_record(struct mlp_ring *r, enum mlp_kind k, uint64_t start_ns, uint64_t dur_ns,
		     int err)
{
	struct mlp_kind_totals *t;
	struct mlp_slot *s;
	uint64_t head;

	if ((unsigned)k >= MLP_NKINDS)
		return;
	if (dur_ns > MLP_DUR_MAX)
		dur_ns = MLP_DUR_MAX;	/* 2^56 ns is two years */
	t = &r->kinds[k];
	head = r->head;
	s = &r->slot[head % r->cap];
	s->start_ns = start_ns;
	s->dur_kind = dur_ns | (uint64_t)k << MLP_KIND_SHIFT |
		      (err ? MLP_ERR_BIT : 0);
	t->hist[bucket_of(dur_ns)]++;
	if (dur_ns > t->longest_ns || !t->count) {
		t->longest_ns = dur_ns;
		t->longest_start_ns = start_ns;
	}
	t->errors += !!err;
	t->count++;
	if (head >= r->cap)
		r->overwritten++;
	/* the slot is complete before it is counted */
	__atomic_store_n(&r->head, head + 1, __ATOMIC_RELEASE);
}

void mlp_ring_inflight(struct mlp_ring *r, uint64_t start_ns)
{
	__atomic_store_n(&r->inflight_start_ns, start_ns, __ATOMIC_RELEASE);
}

/* Kept slots, oldest first: index i of [0, n). */
static const struct mlp_slot *kept_slot(const struct mlp_ring *r, uint64_t head, uint64_t i)
{
	uint64_t first = head > r->cap ? head - r->cap : 0;

	return &r->slot[(first + i) % r->cap];
}

static uint64_t kept_count(const struct mlp_ring *r, uint64_t head)
{
	return head < r->cap ? head : r->cap;
}

size_t mlp_ring_samples(const struct mlp_ring *r, enum mlp_kind k, uint64_t *start_ns,
			uint64_t *dur_ns, size_t n)
{
	uint64_t head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE), i, m = kept_count(r, head);
	size_t got = 0;

	for (i = 0; i < m && got < n; i++) {
		const struct mlp_slot *s = kept_slot(r, head, i);

		if (MLP_SLOT_KIND(s) != (unsigned)k)
			continue;
		start_ns[got] = s->start_ns;
		dur_ns[got++] = MLP_SLOT_DUR(s);
	}
	return got;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Nearest rank: the smallest value with at least @pct % of the samples at or below it. */
static uint64_t rank(const uint64_t *sorted, size_t n, unsigned pct)
{
	size_t i = (n * pct + 99) / 100;

	return n ? sorted[i ? i - 1 : 0] : 0;
}

int mlp_ring_stats(const struct mlp_ring *r, enum mlp_kind k, bool window, uint64_t from_ns,
		   uint64_t to_ns, struct mlp_stats *st)
{
	uint64_t head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE), m = kept_count(r, head), i;
	const struct mlp_kind_totals *t;
	uint64_t *d;
	size_t n = 0;

	memset(st, 0, sizeof(*st));
	if ((unsigned)k >= MLP_NKINDS)
		return -EINVAL;
	t = &r->kinds[k];
	st->overwritten = r->overwritten;
	st->unfinished_start_ns = __atomic_load_n(&r->inflight_start_ns, __ATOMIC_ACQUIRE);
	d = malloc((m ? m : 1) * sizeof(*d));
	if (!d)
		return -ENOMEM;
	for (i = 0; i < m; i++) {
		const struct mlp_slot *s = kept_slot(r, head, i);
		uint64_t dur = MLP_SLOT_DUR(s);

		if (MLP_SLOT_KIND(s) != (unsigned)k)
			continue;
		if (window && (s->start_ns < from_ns || s->start_ns >= to_ns))
			continue;
		d[n++] = dur;
		if (window) {
			st->hist[bucket_of(dur)]++;
			if (dur > st->longest_ns || st->count == 0) {
				st->longest_ns = dur;
				st->longest_start_ns = s->start_ns;
			}
			st->count++;
		}
	}
	if (!window) {
		st->count = t->count;
		st->errors = t->errors;
		st->longest_ns = t->longest_ns;
		st->longest_start_ns = t->longest_start_ns;
		memcpy(st->hist, t->hist, sizeof(st->hist));
	}
	st->kept = n;
	qsort(d, n, sizeof(*d), cmp_u64);
	st->p50_ns = rank(d, n, 50);
	st->p99_ns = rank(d, n, 99);
	free(d);
	return 0;
}
