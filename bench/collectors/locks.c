// SPDX-License-Identifier: GPL-2.0
/*
 * locks: where the teardown waits, per lock class.
 *
 * Methods, best first:
 *   tracepoint  lock:contention_begin/end (5.19+), every event sampled with
 *               its kernel callchain, system-wide
 *   kprobe      kprobes/kretprobes on the rwsem and qspinlock slow paths
 *               (older kernels), entry paired with return per thread
 *   profile     a sampled kernel profile (cpu-clock) bucketed by class
 * The profile also runs beside the first two as a complement.  Contentions
 * are paired per thread and classified by the callchain with the table in
 * lock-classes.tsv (lock_classify.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <tracefs.h>

#include "collectors/kallsyms_map.h"
#include "collectors/lock_classify.h"
#include "collectors/locks.h"
#include "collectors/perf_ring.h"
#include "collectors/tracefs.h"
#include "collectors/tracefs_state.h"
#include "common/timeutil.h"
#include "engine/collector.h"

#define PROFILE_PERIOD_NS 250000	/* 4 kHz per CPU */
#define MAX_FRAMES 64
#define BUCKET_KERNEL LOCK_CLASS_MAX
#define BUCKET_USER (LOCK_CLASS_MAX + 1)
#define NBUCKETS (LOCK_CLASS_MAX + 2)
#define MAX_DUMPED_CHAINS 512

enum ev_kind { EV_BEGIN, EV_END, EV_PROFILE };

struct ev_type {
	uint64_t id;		/* perf sample id */
	enum ev_kind kind;
	uint64_t sample_type;
	int lock_off;		/* offset of the lock address in raw data, -1: none */
};

struct locks {
	enum locks_method want, method;
	struct lock_classifier cls;
	struct kallsyms_map ks;
	struct tracefs_state tfs;
	char probes[512];	/* what we attached to */
	int ncpus;		/* CPUs with a ring */
	struct perf_ring *rings;
	size_t ring_pages;
	int *fds;
	size_t nfds, fds_alloc;
	struct ev_type evs[32];
	int nevs;
	int stopfd;
	pthread_t thr;
	bool thr_running;

	/* filled by the reader thread during the window */
	struct lock_rec *recs;
	size_t nrecs, recs_alloc;
	uint64_t prof[NBUCKETS];
	uint64_t prof_idle, lost, samples, bad, dropped;
	uint64_t reader_cpu_ns;

	/* run totals, for describe() */
	uint64_t tot_events, tot_lost, tot_unpaired, windows;
	uint64_t open_ns, hooks_ns, process_ns, tot_reader_cpu_ns;
	bool profile_only_fallback;

	FILE *chains;		/* $MLOCKBENCH_LOCKS_CHAINS: symbolised chains */
	uint64_t chain_seen[MAX_DUMPED_CHAINS];
	int nchain_seen;
};

const char *locks_method_name(enum locks_method m)
{
	switch (m) {
	case LOCKS_AUTO: return "auto";
	case LOCKS_TRACEPOINT: return "tracepoint";
	case LOCKS_KPROBE: return "kprobe";
	case LOCKS_PROFILE: return "profile";
	}
	return "?";
}

static int add_fd(struct locks *l, int fd)
{
	if (l->nfds == l->fds_alloc) {
		size_t want = l->fds_alloc ? l->fds_alloc * 2 : 16;
		int *p = realloc(l->fds, want * sizeof(*p));

		if (!p)
			return -ENOMEM;
		l->fds = p;
		l->fds_alloc = want;
	}
	l->fds[l->nfds++] = fd;
	return 0;
}

static void base_attr(struct locks *l, struct perf_event_attr *a)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->disabled = 1;
	a->use_clockid = 1;
	a->clockid = CLOCK_MONOTONIC;	/* one clock across CPUs for pairing */
	a->exclude_callchain_user = 1;
	a->sample_max_stack = MAX_FRAMES;
	a->watermark = 1;
	a->wakeup_watermark = l->ring_pages * sysconf(_SC_PAGESIZE) / 4;
}

/*
 * Open one event on every CPU, writing into that CPU's ring (the first
 * event of a CPU owns the ring; the others are redirected to it).
 */
static int open_everywhere(struct locks *l, struct perf_event_attr *a, enum ev_kind kind,
			   int lock_off, struct errmsg *e)
{
	int cpu, fd, ret, opened = 0;

	for (cpu = 0; cpu < l->ncpus; cpu++) {
		struct ev_type *ev;
		uint64_t id;

		fd = perf_open(a, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
		if (fd == -ENODEV || fd == -EINVAL) {
			if (l->rings[cpu].base || fd == -EINVAL)
				return errmsg_set(e, fd, "perf_event_open on cpu %d: %s", cpu,
						  strerror(-fd));
			continue;	/* offline CPU */
		}
		if (fd < 0)
			return errmsg_set(e, fd, "perf_event_open (type %u config %llu) on cpu %d: %s",
					  a->type, (unsigned long long)a->config, cpu,
					  strerror(-fd));
		ret = add_fd(l, fd);
		if (ret) {
			close(fd);
			return errmsg_set(e, ret, "out of memory");
		}
		if (!l->rings[cpu].base) {
			ret = perf_ring_map(&l->rings[cpu], fd, l->ring_pages);
			if (ret)
				return errmsg_set(e, ret, "mmap perf ring of %zu pages: %s",
						  l->ring_pages, strerror(-ret));
		} else if (ioctl(fd, PERF_EVENT_IOC_SET_OUTPUT, l->rings[cpu].fd)) {
			return errmsg_set(e, -errno, "perf set-output: %s", strerror(errno));
		}
		if (ioctl(fd, PERF_EVENT_IOC_ID, &id))
			return errmsg_set(e, -errno, "perf event id: %s", strerror(errno));
		if (l->nevs == (int)(sizeof(l->evs) / sizeof(l->evs[0])))
			return errmsg_set(e, -ENOSPC, "too many perf events");
		ev = &l->evs[l->nevs++];
		ev->id = id;
		ev->kind = kind;
		ev->sample_type = a->sample_type;
		ev->lock_off = lock_off;
		opened++;
	}
	return opened ? 0 : errmsg_set(e, -ENODEV, "no CPU accepted the perf event");
}

static int open_trace_event(struct locks *l, const char *system, const char *event,
			    enum ev_kind kind, const char *lock_field, bool callchain,
			    struct errmsg *e)
{
	struct perf_event_attr a;
	int id = -1, off = -1, ret;

	ret = tracefs_event_lookup(system, event, lock_field, &id, &off, e);
	if (ret)
		return ret;
	base_attr(l, &a);
	a.type = PERF_TYPE_TRACEPOINT;
	a.config = id;
	a.sample_period = 1;
	a.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
			PERF_SAMPLE_CPU | PERF_SAMPLE_RAW;
	if (callchain)
		a.sample_type |= PERF_SAMPLE_CALLCHAIN;
	return open_everywhere(l, &a, kind, off, e);
}

static int setup_tracepoint(struct locks *l, struct errmsg *e)
{
	int ret;

	ret = open_trace_event(l, "lock", "contention_begin", EV_BEGIN, "lock_addr", true, e);
	if (ret == -ENOENT)
		return errmsg_set(e, -EOPNOTSUPP,
				  "no lock:contention_begin tracepoint (needs 5.19 or later)");
	if (!ret)
		ret = open_trace_event(l, "lock", "contention_end", EV_END, "lock_addr", false, e);
	if (!ret)
		snprintf(l->probes, sizeof(l->probes), "lock:contention_begin, lock:contention_end");
	return ret;
}

static int setup_kprobe(struct locks *l, struct errmsg *e)
{
	static const struct { const char *sym, *ev; } slow[] = {
		{ "rwsem_down_read_slowpath", "rwsem_rd" },
		{ "rwsem_down_write_slowpath", "rwsem_wr" },
		{ "rwsem_down_read_failed", "rwsem_rdf" },
		{ "rwsem_down_write_failed", "rwsem_wrf" },
		{ "native_queued_spin_lock_slowpath", "qspin_native" },
		{ "__pv_queued_spin_lock_slowpath", "qspin_pv" },
		{ "queued_spin_lock_slowpath", "qspin" },
	};
	char ev[96], ev_ret[96];
	int ret, attached = 0;
	size_t i, len;

	for (i = 0; i < sizeof(slow) / sizeof(slow[0]); i++) {
		const char *sym = kallsyms_map_find(&l->ks, slow[i].sym);

		if (!sym)
			continue;
		snprintf(ev, sizeof(ev), "%s", slow[i].ev);
		snprintf(ev_ret, sizeof(ev_ret), "%s_ret", slow[i].ev);
		/*
		 * The return probe first: of two probes on one address the newer
		 * runs first, and the entry probe must unwind the stack before the
		 * kretprobe swaps the return address for its trampoline (5.10's
		 * unwinder stops there).
		 */
		ret = tracefs_state_add_kretprobe(&l->tfs, ev_ret, sym, 1024, e);
		if (ret)
			return ret;
		ret = tracefs_state_add_dynevent(&l->tfs, tracefs_kprobe_alloc(
				TRACEFS_KPROBE_GROUP, ev, sym, "lock=$arg1:x64"), e);
		if (ret == -EINVAL)	/* a kernel without $argN: pair by thread only */
			ret = tracefs_state_add_dynevent(&l->tfs, tracefs_kprobe_alloc(
					TRACEFS_KPROBE_GROUP, ev, sym, NULL), e);
		if (ret)
			return ret;
		/* perf_event_open registers the probes: the return probe first, see above */
		ret = open_trace_event(l, TRACEFS_KPROBE_GROUP, ev_ret, EV_END, NULL, false, e);
		if (!ret)
			ret = open_trace_event(l, TRACEFS_KPROBE_GROUP, ev, EV_BEGIN, "lock", true, e);
		if (ret == -ENOENT)	/* made without $arg1 */
			ret = open_trace_event(l, TRACEFS_KPROBE_GROUP, ev, EV_BEGIN, NULL, true, e);
		if (ret)
			return ret;
		len = strlen(l->probes);
		snprintf(l->probes + len, sizeof(l->probes) - len, "%s%s", len ? ", " : "", sym);
		attached++;
	}
	if (!attached)
		return errmsg_set(e, -ENOENT, "no lock slow-path symbol in kallsyms to probe");
	return 0;
}

static int setup_profile(struct locks *l, struct errmsg *e)
{
	struct perf_event_attr a;

	base_attr(l, &a);
	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_CPU_CLOCK;
	a.sample_period = PROFILE_PERIOD_NS;
	a.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID |
			PERF_SAMPLE_TIME | PERF_SAMPLE_CPU | PERF_SAMPLE_CALLCHAIN;
	return open_everywhere(l, &a, EV_PROFILE, -1, e);
}

static void close_events(struct locks *l)
{
	size_t i;
	int c;

	for (c = 0; l->rings && c < l->ncpus; c++)
		perf_ring_unmap(&l->rings[c]);
	for (i = 0; i < l->nfds; i++)
		close(l->fds[i]);
	l->nfds = 0;
	l->nevs = 0;
}

static size_t ring_pages_for(int ncpus)
{
	size_t pg = sysconf(_SC_PAGESIZE), want = (64UL << 20) / (ncpus ? ncpus : 1), n = 1;

	if (want > (8UL << 20))
		want = 8UL << 20;
	if (want < (256UL << 10))
		want = 256UL << 10;
	while (n * 2 * pg <= want)
		n *= 2;
	return n;
}

static void locks_close(void *state);

static int locks_open_method(void **state, enum locks_method want, struct errmsg *e)
{
	uint64_t t0 = now_ns();
	struct locks *l;
	const char *dump;
	int ret;

	*state = NULL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return errmsg_set(e, -ENOMEM, "out of memory");
	l->want = want;
	l->stopfd = -1;
	l->tfs.dfd = -1;
	*state = l;

	ret = lock_classifier_load_default(&l->cls, e);
	if (ret)
		goto fail;
	ret = kallsyms_map_load(&l->ks, e);
	if (ret)
		goto fail;
	l->ncpus = sysconf(_SC_NPROCESSORS_CONF);
	l->rings = calloc(l->ncpus, sizeof(*l->rings));
	if (!l->rings) {
		ret = errmsg_set(e, -ENOMEM, "out of memory");
		goto fail;
	}
	l->ring_pages = ring_pages_for(l->ncpus);
	l->stopfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (l->stopfd < 0) {
		ret = errmsg_set(e, -errno, "eventfd: %s", strerror(errno));
		goto fail;
	}

	if (want != LOCKS_PROFILE) {
		ret = tracefs_state_open(&l->tfs, e);
		if (ret)
			goto fail;
	}
	if (want == LOCKS_TRACEPOINT || want == LOCKS_AUTO) {
		ret = setup_tracepoint(l, e);
		if (!ret)
			l->method = LOCKS_TRACEPOINT;
		else if (want == LOCKS_TRACEPOINT)
			goto fail;
		else
			close_events(l);
	}
	if (!l->method && (want == LOCKS_KPROBE || want == LOCKS_AUTO)) {
		ret = setup_kprobe(l, e);
		if (!ret) {
			l->method = LOCKS_KPROBE;
		} else if (want == LOCKS_KPROBE) {
			goto fail;
		} else {
			close_events(l);
			tracefs_state_close(&l->tfs);
		}
	}
	if (!l->method) {
		l->method = LOCKS_PROFILE;
		l->profile_only_fallback = want == LOCKS_AUTO;
	}
	ret = setup_profile(l, e);
	if (ret)
		goto fail;

	dump = getenv("MLOCKBENCH_LOCKS_CHAINS");
	if (dump && *dump)
		l->chains = fopen(dump, "a");
	l->open_ns = now_ns() - t0;
	return 0;
fail:
	errmsg_prefix(e, ret, "locks (%s)", locks_method_name(want));
	locks_close(l);
	*state = NULL;
	return ret;
}

/* ---- reading, in the reader thread during the window ---- */

static size_t chain_names(struct locks *l, const struct perf_sample *s, const char **names)
{
	size_t i, n = 0;

	for (i = 0; i < s->nr && n < MAX_FRAMES; i++) {
		if (s->ips[i] >= (uint64_t)PERF_CONTEXT_MAX)
			continue;	/* context marker */
		names[n++] = kallsyms_map_lookup(&l->ks, s->ips[i]);
	}
	return n;
}

static void dump_chain(struct locks *l, int cls, const char **names, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;
	int j;

	for (i = 0; i < n; i++)
		h = (h ^ (uintptr_t)names[i]) * 1099511628211ULL;
	for (j = 0; j < l->nchain_seen; j++)
		if (l->chain_seen[j] == h)
			return;
	if (l->nchain_seen == MAX_DUMPED_CHAINS)
		return;
	l->chain_seen[l->nchain_seen++] = h;
	fprintf(l->chains, "# class: %s\n", l->cls.names[cls]);
	for (i = 0; i < n; i++)
		fprintf(l->chains, "%s\n", names[i] ? names[i] : "?");
	fprintf(l->chains, "\n");
}

static void push_rec(struct locks *l, const struct perf_sample *s, uint8_t kind, uint8_t cls,
		     uint64_t lock)
{
	struct lock_rec *r;

	if (l->nrecs == l->recs_alloc) {
		size_t want = l->recs_alloc ? l->recs_alloc * 2 : 65536;

		r = realloc(l->recs, want * sizeof(*r));
		if (!r) {
			l->dropped++;
			return;
		}
		l->recs = r;
		l->recs_alloc = want;
	}
	r = &l->recs[l->nrecs];
	r->time = s->time;
	r->lock = lock;
	r->tid = s->tid;
	r->kind = kind;
	r->cls = cls;
	r->seq = l->nrecs++;
}

static void on_record(const struct perf_event_header *h, void *arg)
{
	struct locks *l = arg;
	const char *names[MAX_FRAMES];
	const struct ev_type *ev = NULL;
	struct perf_sample s;
	uint64_t id, lock = 0;
	size_t n;
	int i, cls;

	if (h->type == PERF_RECORD_LOST) {
		uint64_t v[2];

		memcpy(v, h + 1, sizeof(v));
		l->lost += v[1];
		return;
	}
	if (h->type != PERF_RECORD_SAMPLE)
		return;
	id = perf_sample_identifier(h);
	for (i = 0; i < l->nevs; i++)
		if (l->evs[i].id == id)
			ev = &l->evs[i];
	if (!ev || perf_sample_parse(h, ev->sample_type, &s)) {
		l->bad++;
		return;
	}
	l->samples++;
	if (ev->lock_off >= 0 && s.raw && (uint32_t)ev->lock_off + 8 <= s.raw_size)
		memcpy(&lock, s.raw + ev->lock_off, sizeof(lock));

	switch (ev->kind) {
	case EV_BEGIN:
		n = chain_names(l, &s, names);
		cls = lock_classify(&l->cls, names, n);
		if (l->chains)
			dump_chain(l, cls, names, n);
		push_rec(l, &s, LOCK_REC_BEGIN, cls, lock);
		break;
	case EV_END:
		push_rec(l, &s, LOCK_REC_END, 0, lock);
		break;
	case EV_PROFILE:
		if (s.tid == 0) {
			l->prof_idle++;
		} else if (!(s.ip >> 63)) {
			l->prof[BUCKET_USER]++;
		} else {
			n = chain_names(l, &s, names);
			if (lock_chain_waits(&l->cls, names, n)) {
				l->prof[lock_classify(&l->cls, names, n)]++;
			} else {
				cls = lock_profile_bucket(&l->cls, names, n);
				l->prof[cls >= 0 ? cls : BUCKET_KERNEL]++;
			}
		}
		break;
	}
}

static void drain_all(struct locks *l)
{
	int c;

	for (c = 0; c < l->ncpus; c++)
		perf_ring_drain(&l->rings[c], on_record, l);
}

static void *reader_main(void *arg)
{
	struct locks *l = arg;
	struct pollfd *pfd;
	struct timespec ts;
	int c, n = 0;

	pfd = calloc(l->ncpus + 1, sizeof(*pfd));
	if (pfd) {
		for (c = 0; c < l->ncpus; c++) {
			if (!l->rings[c].base)
				continue;
			pfd[n].fd = l->rings[c].fd;
			pfd[n++].events = POLLIN;
		}
		pfd[n].fd = l->stopfd;
		pfd[n].events = POLLIN;
	}
	for (;;) {
		if (pfd)
			poll(pfd, n + 1, 100);
		else
			usleep(10000);
		drain_all(l);
		if (pfd && (pfd[n].revents & POLLIN))
			break;
		if (!pfd) {
			uint64_t v;

			if (read(l->stopfd, &v, sizeof(v)) == sizeof(v))
				break;
		}
	}
	free(pfd);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	l->reader_cpu_ns = ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	return NULL;
}

static int ioctl_all(struct locks *l, unsigned long req)
{
	size_t i;

	for (i = 0; i < l->nfds; i++)
		if (ioctl(l->fds[i], req, 0))
			return -errno;
	return 0;
}

static void stop_reader(struct locks *l)
{
	uint64_t one = 1;

	if (!l->thr_running)
		return;
	if (write(l->stopfd, &one, sizeof(one)) != sizeof(one))
		pthread_cancel(l->thr);
	pthread_join(l->thr, NULL);
	l->thr_running = false;
}

static int locks_teardown_begin(void *state, const struct rep_info *r, struct errmsg *e)
{
	struct locks *l = state;
	uint64_t t0 = now_ns(), v;
	sigset_t all, old;
	int ret, c;

	for (c = 0; c < l->ncpus; c++)
		perf_ring_discard(&l->rings[c]);
	while (read(l->stopfd, &v, sizeof(v)) == sizeof(v))
		;
	l->nrecs = 0;
	memset(l->prof, 0, sizeof(l->prof));
	l->prof_idle = l->lost = l->samples = l->bad = l->dropped = 0;
	l->reader_cpu_ns = 0;
	/* the engine's signals (Ctrl-C, its timeout alarm) must reach its own thread */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = pthread_create(&l->thr, NULL, reader_main, l);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret)
		return errmsg_set(e, -ret, "locks: reader thread: %s", strerror(ret));
	l->thr_running = true;
	ret = ioctl_all(l, PERF_EVENT_IOC_ENABLE);
	if (ret) {
		ioctl_all(l, PERF_EVENT_IOC_DISABLE);
		stop_reader(l);
		return errmsg_set(e, ret, "locks: enable perf events: %s", strerror(-ret));
	}
	l->hooks_ns += now_ns() - t0;
	return 0;
}

/* ---- pairing, after the window ---- */

struct tslot {
	uint32_t tid;
	uint32_t depth;
	struct { uint64_t lock, t0; uint8_t cls; bool nested; } st[LOCK_PAIR_DEPTH];
};

static int cmp_lrec(const void *a, const void *b)
{
	const struct lock_rec *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static struct tslot *tslot_get(struct tslot *tab, size_t mask, uint32_t tid)
{
	size_t i = (tid * 2654435761u) & mask;

	/* tid 0 is the idle task: it never contends, so 0 marks a free slot */
	while (tab[i].tid && tab[i].tid != tid)
		i = (i + 1) & mask;
	tab[i].tid = tid;
	return &tab[i];
}

static bool is_locker(const pid_t *lockers, size_t n, uint32_t tid)
{
	size_t i;

	for (i = 0; lockers && i < n; i++)
		if ((uint32_t)lockers[i] == tid)
			return true;
	return false;
}

static void pair_begin(struct tslot *t, const struct lock_rec *rec, struct lock_pairing *o)
{
	if (t->depth == LOCK_PAIR_DEPTH) {
		memmove(&t->st[0], &t->st[1], sizeof(t->st[0]) * (LOCK_PAIR_DEPTH - 1));
		t->depth--;
		o->unpaired++;
	}
	t->st[t->depth].lock = rec->lock;
	t->st[t->depth].t0 = rec->time;
	t->st[t->depth].cls = rec->cls < LOCK_CLASS_MAX ? rec->cls : LOCK_CLASS_OTHER;
	/* inside another wait's slow path (its wait_lock, the runqueue) */
	t->st[t->depth].nested = t->depth > 0;
	t->depth++;
}

static void pair_end(struct tslot *t, const struct lock_rec *rec, bool locker,
		     struct lock_pairing *o)
{
	int j;

	/* an end closes the innermost begin on the same lock (any, for a kretprobe) */
	for (j = (int)t->depth - 1; j >= 0; j--)
		if (!rec->lock || !t->st[j].lock || t->st[j].lock == rec->lock)
			break;
	if (j < 0) {
		o->unpaired++;	/* began before the window */
		return;
	}
	if (t->st[j].nested) {
		o->nested++;
		o->nested_ns += rec->time - t->st[j].t0;
	} else {
		uint64_t w = rec->time - t->st[j].t0;
		struct lock_class_stat *cs = &o->cls[t->st[j].cls];

		cs->wait_ns += w;
		cs->count++;
		if (w > cs->max_ns)
			cs->max_ns = w;
		if (locker)
			o->lockers_ns += w;
	}
	o->unpaired += t->depth - 1 - j;
	t->depth = j;
}

int lock_pair(struct lock_rec *recs, size_t n, const pid_t *lockers, size_t nlockers,
	      struct lock_pairing *out)
{
	size_t i, slots = 1024;
	struct tslot *tab;

	memset(out, 0, sizeof(*out));
	while (slots < 2 * n + 2 && slots < (1u << 22))
		slots *= 2;
	tab = calloc(slots, sizeof(*tab));
	if (!tab)
		return -ENOMEM;
	if (n)	/* qsort(NULL, 0) is undefined */
		qsort(recs, n, sizeof(*recs), cmp_lrec);
	for (i = 0; i < n; i++) {
		const struct lock_rec *rec = &recs[i];
		struct tslot *t;

		if (!rec->tid)
			continue;
		t = tslot_get(tab, slots - 1, rec->tid);
		if (rec->kind == LOCK_REC_BEGIN)
			pair_begin(t, rec, out);
		else
			pair_end(t, rec, is_locker(lockers, nlockers, rec->tid), out);
	}
	for (i = 0; i < slots; i++)
		out->unpaired += tab[i].depth;
	free(tab);
	return 0;
}

static int pair_and_emit(struct locks *l, const struct rep_info *r, struct metric_sink *out)
{
	struct lock_pairing p;
	const struct lock_class_stat *st = p.cls;
	uint64_t prof_total = 0;
	char m[64];
	int c, ret;

	ret = lock_pair(l->recs, l->nrecs, r ? r->pids : NULL, r && r->pids ? r->procs : 0, &p);
	if (ret)
		return ret;
	ret = 0;
	for (c = 0; c < l->cls.nnames && !ret; c++) {
		const char *n = l->cls.names[c];

		if (l->cls.is_profile[c])
			continue;
		if (l->method == LOCKS_PROFILE) {
			snprintf(m, sizeof(m), "%s.wait_ns", n);
			ret = metric_emit_na(out, "locks", m, "ns");
			snprintf(m, sizeof(m), "%s.count", n);
			ret = ret ?: metric_emit_na(out, "locks", m, "count");
			snprintf(m, sizeof(m), "%s.max_wait_ns", n);
			ret = ret ?: metric_emit_na(out, "locks", m, "ns");
			continue;
		}
		snprintf(m, sizeof(m), "%s.wait_ns", n);
		ret = metric_emit(out, "locks", m, st[c].wait_ns, "ns");
		snprintf(m, sizeof(m), "%s.count", n);
		ret = ret ?: metric_emit(out, "locks", m, st[c].count, "count");
		snprintf(m, sizeof(m), "%s.max_wait_ns", n);
		ret = ret ?: metric_emit(out, "locks", m, st[c].max_ns, "ns");
	}
	if (!ret && l->method != LOCKS_PROFILE) {
		ret = metric_emit(out, "locks", "lockers.wait_ns", p.lockers_ns, "ns");
		ret = ret ?: metric_emit(out, "locks", "unpaired", p.unpaired, "count");
		ret = ret ?: metric_emit(out, "locks", "nested.count", p.nested, "count");
		ret = ret ?: metric_emit(out, "locks", "nested.wait_ns", p.nested_ns, "ns");
	}
	ret = ret ?: metric_emit(out, "locks", "events", l->samples, "count");
	ret = ret ?: metric_emit(out, "locks", "lost", l->lost + l->dropped, "count");

	for (c = 0; c < NBUCKETS; c++)
		prof_total += l->prof[c];
	ret = ret ?: metric_emit(out, "locks", "profile.samples", prof_total, "samples");
	ret = ret ?: metric_emit(out, "locks", "profile.idle_samples", l->prof_idle, "samples");
	for (c = 0; c < NBUCKETS && !ret; c++) {
		const char *n;

		if (c < l->cls.nnames)
			n = l->cls.names[c];
		else if (c == BUCKET_KERNEL)
			n = "kernel";
		else if (c == BUCKET_USER)
			n = "user";
		else
			continue;
		snprintf(m, sizeof(m), "profile.%s.share", n);
		if (prof_total)
			ret = metric_emit(out, "locks", m, (double)l->prof[c] / prof_total, "ratio");
		else
			ret = metric_emit_na(out, "locks", m, "ratio");
	}
	l->tot_unpaired += p.unpaired;
	return ret;
}

static int locks_teardown_end(void *state, const struct rep_info *r, struct metric_sink *out,
			      struct errmsg *e)
{
	struct locks *l = state;
	uint64_t t0 = now_ns();
	int ret;

	ioctl_all(l, PERF_EVENT_IOC_DISABLE);
	stop_reader(l);
	drain_all(l);	/* what came in after the reader's last pass */
	if (l->chains)
		fflush(l->chains);
	ret = pair_and_emit(l, r, out);
	l->tot_events += l->samples;
	l->tot_lost += l->lost + l->dropped;
	l->tot_reader_cpu_ns += l->reader_cpu_ns;
	l->windows++;
	l->process_ns += now_ns() - t0;
	if (ret)
		return errmsg_set(e, ret, "locks: %s", strerror(-ret));
	return 0;
}

static void locks_describe(void *state, json_t *o)
{
	struct locks *l = state;
	json_t *cost;

	json_object_set_new(o, "method", json_string(locks_method_name(l->method)));
	json_object_set_new(o, "requested", json_string(locks_method_name(l->want)));
	if (l->profile_only_fallback)
		json_object_set_new(o, "fallback",
				    json_string("no contention tracepoints or kprobes: profile only"));
	json_object_set_new(o, "scope", json_string("system-wide, every CPU"));
	json_object_set_new(o, "window", json_string("teardown"));
	if (l->probes[0])
		json_object_set_new(o, "events", json_string(l->probes));
	json_object_set_new(o, "profile", json_string("cpu-clock, every 250 us per CPU, kernel callchains"));
	json_object_set_new(o, "classes", json_string(l->cls.sources));
	json_object_set_new(o, "pairing", json_string(
		"begin/end per thread, innermost open wait on the same lock; a wait begun "
		"inside another pending wait (the slow path's own spinlocks, the runqueue) "
		"counts as nested, not in a class"));
	if (l->tfs.dir[0])
		json_object_set_new(o, "tracefs", json_string(l->tfs.dir));
	json_object_set_new(o, "tracefs_mounted", json_boolean(l->tfs.mounted));
	json_object_set_new(o, "stale_state_cleaned", json_boolean(l->tfs.stale_cleaned));
	if (l->tfs.note[0])
		json_object_set_new(o, "tracefs_journal", json_string(l->tfs.note));
	json_object_set_new(o, "ring_kib_per_cpu",
			    json_integer(l->ring_pages * sysconf(_SC_PAGESIZE) / 1024));
	json_object_set_new(o, "samples", json_integer(l->tot_events));
	json_object_set_new(o, "lost", json_integer(l->tot_lost));
	json_object_set_new(o, "unpaired", json_integer(l->tot_unpaired));
	cost = json_object();
	json_object_set_new(cost, "open_ns", json_integer(l->open_ns));
	json_object_set_new(cost, "hooks_ns", json_integer(l->hooks_ns));
	json_object_set_new(cost, "reader_cpu_ns", json_integer(l->tot_reader_cpu_ns));
	json_object_set_new(cost, "process_ns", json_integer(l->process_ns));
	json_object_set_new(cost, "windows", json_integer(l->windows));
	json_object_set_new(o, "cost", cost);
}

static void locks_close(void *state)
{
	struct locks *l = state;

	if (!l)
		return;
	if (l->thr_running) {
		ioctl_all(l, PERF_EVENT_IOC_DISABLE);
		stop_reader(l);
	}
	/* perf fds first: the kernel refuses to delete a kprobe still in use */
	close_events(l);
	tracefs_state_close(&l->tfs);
	if (l->stopfd >= 0)
		close(l->stopfd);
	if (l->chains)
		fclose(l->chains);
	lock_classifier_release(&l->cls);
	kallsyms_map_release(&l->ks);
	free(l->rings);
	free(l->fds);
	free(l->recs);
	free(l);
}

/* In enum locks_method's order: the choice is the method. */
static const char *const method_choices[] = { "auto", "tracepoint", "kprobe", "profile", NULL };

static const struct ops_option locks_options[] = {
	{ "method", method_choices,
	  "auto: tracepoints (5.19+), else kprobes, else the profile alone" },
	{ NULL },
};

static int locks_open(void **s, const struct ops_args *args, struct errmsg *e)
{
	return locks_open_method(s, (enum locks_method)args->choice[0], e);
}

/* Waits are costs; counts of events and profile shares only describe the run. */
static const struct collector_metric locks_metrics[] = {
	{ "lockers.wait_ns", "ns", METRIC_LOWER_BETTER, "lock-total" },
	{ "nested.wait_ns", "ns", METRIC_LOWER_BETTER, "lock-total" },
	{ "nested.count", "count", METRIC_INFO, "lock-total" },
	{ "profile.*", "ratio", METRIC_INFO, "lock-profile" },
	{ "*.max_wait_ns", "ns", METRIC_LOWER_BETTER, "lock-max-wait" },
	{ "*.wait_ns", "ns", METRIC_LOWER_BETTER, "lock-wait" },
	{ "*.count", "count", METRIC_INFO, "lock-count" },
	{ "*", "count", METRIC_INFO, "lock-accounting" },	/* events, lost, unpaired */
	{ NULL },
};

#define LOCKS_HELP \
	"lock wait time, count and max wait per lock class (i_mmap_rwsem, anon_vma, " \
	"lru_lock, mmap_lock, ...) in the teardown window, system-wide, plus a sampled " \
	"kernel profile per class; method: lock:contention tracepoints (5.19+), else " \
	"kprobes on the lock slow paths, else the profile alone. Force one with " \
	"locks:method=tracepoint (or locks:tracepoint). Classes: lock-classes.tsv, " \
	"extended by $MLOCKBENCH_LOCK_CLASSES; $MLOCKBENCH_LOCKS_CHAINS=FILE appends the " \
	"classified callchains"

const struct collector_ops locks_collector = {
	.version = COLLECTOR_OPS_VERSION,
	.name = "locks",
	.help = LOCKS_HELP,
	.options = locks_options,
	.metrics = locks_metrics,
	.perturbs = true,
	.open = locks_open,
	.teardown_begin = locks_teardown_begin,
	.teardown_end = locks_teardown_end,
	.describe = locks_describe,
	.close = locks_close,
	.summary = locks_summary,
};
