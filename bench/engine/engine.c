// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/timeutil.h"
#include "engine/backing.h"
#include "engine/engine.h"

/* Per-child record in shared memory, one cache line each (will-it-scale). */
struct child_slot {
	uint64_t t_running;	/* first thing after the release */
	uint64_t t_done;	/* self-timed workloads: call returned */
	uint64_t call_ns;
	int32_t err;		/* -errno of the failed set-up step */
	char step[28];
} __attribute__((aligned(64)));

struct ctl {
	_Atomic uint32_t go;		/* lockers: release */
	_Atomic uint32_t plain_go;	/* plain mappers: leave */
	char pad[56];
	struct child_slot slot[];	/* lockers, then plain mappers */
};

enum role { ROLE_LOCKER, ROLE_PLAIN };

/*
 * Read by the signal handler: the children to kill at once.  They stay in
 * the harness's process group: in a group of their own, every exit would
 * walk the group's zombies under tasklist_lock (kill_orphaned_pgrp), a
 * convoy the harness would add to what it measures.
 */
static pid_t *volatile children;
static volatile unsigned int nchildren;
static volatile sig_atomic_t *interrupted_flag;
static volatile sig_atomic_t timed_out;

static void kill_children(void)
{
	unsigned int i;

	for (i = 0; i < nchildren; i++)
		if (children && children[i] > 0)
			kill(children[i], SIGKILL);
}

static void on_signal(int sig)
{
	if (sig == SIGALRM)
		timed_out = 1;
	else if (interrupted_flag)
		*interrupted_flag = 1;
	kill_children();
}

void engine_install_signals(volatile sig_atomic_t *interrupted)
{
	struct sigaction sa = { .sa_handler = on_signal };

	interrupted_flag = interrupted;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: a blocked wait4/poll must return EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
}

static void futex_wait(_Atomic uint32_t *word)
{
	while (!atomic_load(word))
		syscall(SYS_futex, word, FUTEX_WAIT, 0, NULL, NULL, 0);
}

static void futex_release(_Atomic uint32_t *word)
{
	atomic_store(word, 1);
	syscall(SYS_futex, word, FUTEX_WAKE, INT32_MAX, NULL, NULL, 0);
}

static void child_fail(struct child_slot *s, int err, const char *step)
{
	s->err = err;
	snprintf(s->step, sizeof(s->step), "%s", step);
	_exit(3);
}

static void child_reset_signals(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGALRM, SIG_DFL);
}

/* The active collectors' in-locker hooks (a probe's thread); a failure fails the set-up. */
static void child_collectors(const struct engine_env *env, struct child_slot *s,
			     unsigned int idx)
{
	size_t i;
	int ret;

	for (i = 0; i < env->ncollectors; i++) {
		const struct collector_ops *o = env->collectors[i].ops;
		char step[sizeof(s->step)];

		if (!o->in_locker)
			continue;
		ret = o->in_locker(env->collectors[i].state, idx);
		if (ret) {
			snprintf(step, sizeof(step), "collector %s", o->name);
			child_fail(s, ret, step);
		}
	}
}

/* Never returns. */
static void child_main(const struct config *c, const struct engine_env *env,
		       const struct backing *b, struct ctl *ctl, enum role role,
		       unsigned int idx, int ready_fd, pid_t parent)
{
	struct child_slot *s = &ctl->slot[role == ROLE_LOCKER ? idx : c->procs + idx];
	struct locker_area area = { 0 };
	const char *step = "set-up";
	uint64_t call_ns = 0;
	int ret;

	/* no orphan may keep memory mlocked */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	child_reset_signals();
	if (role == ROLE_LOCKER && env->cpus && env->cpus[idx] >= 0 &&
	    pin_apply(env->topo, env->cpus[idx], NULL))
		child_fail(s, -EINVAL, "pin");
	if (role == ROLE_LOCKER)
		ret = backing_lock(b, c->job->lock, c->prot, &area, &step);
	else
		ret = backing_map_plain(b, c->prot, &area, &step);
	if (ret)
		child_fail(s, ret, step);
	/* checked when the job was read: here only turned into the teardown's args */
	if (role == ROLE_LOCKER &&
	    workload_spec_parse(c->job->workload, &(const struct workload_ops *){ NULL },
				&area.args, NULL))
		child_fail(s, -EINVAL, "workload options");
	area.job = c->job;
	step = c->wl->name;
	if (role == ROLE_LOCKER && c->wl->setup && (ret = c->wl->setup(&area, &step)))
		child_fail(s, ret, step);
	if (role == ROLE_LOCKER)
		child_collectors(env, s, idx);
	if (write(ready_fd, "r", 1) != 1)
		child_fail(s, -errno, "ready pipe");
	close(ready_fd);

	if (role == ROLE_PLAIN) {
		futex_wait(&ctl->plain_go);
		_exit(0);
	}
	futex_wait(&ctl->go);
	s->t_running = now_ns();
	ret = c->wl->teardown(&area, &call_ns);
	s->t_done = now_ns();
	s->call_ns = call_ns;
	if (ret)
		child_fail(s, ret, c->wl->name);
	_exit(0);
}

struct rep_state {
	const struct config *c;
	const struct engine_env *env;
	struct backing b;
	struct ctl *ctl;
	size_t ctl_len;
	pid_t *pids;		/* lockers, then plain mappers */
	bool *reaped;
	int ready[2];
	int *pidfds;		/* readable once the child has exited */
	uint64_t *end_ns;	/* per locker: done (call returned or reaped) */
	int epfd;
	struct rep_info info;
	struct lock_range range;
};

static int describe_child_failure(const struct rep_state *st, int i, int status,
				  struct errmsg *e)
{
	const struct child_slot *s = &st->ctl->slot[i];
	bool locker = (uint64_t)i < st->c->procs;
	unsigned int n = locker ? (unsigned int)i : (unsigned int)(i - st->c->procs);

	if (WIFEXITED(status) && WEXITSTATUS(status) == 3 && s->err)
		return errmsg_set(e, s->err, "%s %u: %s: %s", locker ? "locker" : "plain mapper",
				  n, s->step, strerror(-s->err));
	if (WIFSIGNALED(status))
		return errmsg_set(e, -ECHILD, "%s %u killed by signal %d%s",
				  locker ? "locker" : "plain mapper", n, WTERMSIG(status),
				  WTERMSIG(status) == SIGKILL ? " (out of memory?)" : "");
	return errmsg_set(e, -ECHILD, "%s %u exited with status %d",
			  locker ? "locker" : "plain mapper", n, WEXITSTATUS(status));
}

/* A pidfd in the epoll set tells when child @i exits, whoever else we fork. */
static int watch_child(struct rep_state *st, unsigned int i, struct errmsg *e)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = i };
	int fd = syscall(SYS_pidfd_open, st->pids[i], 0);

	if (fd < 0)
		return errmsg_set(e, -errno, "pidfd_open: %s (needs Linux 5.3)", strerror(errno));
	st->pidfds[i] = fd;
	if (epoll_ctl(st->epfd, EPOLL_CTL_ADD, fd, &ev))
		return errmsg_set(e, -errno, "epoll_ctl: %s", strerror(errno));
	return 0;
}

/* Reap child @i if it has exited; its latency is the caller's business. */
static pid_t reap_child(struct rep_state *st, unsigned int i, int *status, struct rusage *ru)
{
	pid_t pid = wait4(st->pids[i], status, WNOHANG, ru);

	if (pid == st->pids[i]) {
		st->reaped[i] = true;
		epoll_ctl(st->epfd, EPOLL_CTL_DEL, st->pidfds[i], NULL);
	}
	return pid;
}

static bool stop_requested(const struct rep_state *st)
{
	return (st->env->interrupted && *st->env->interrupted) || timed_out;
}

static int fork_children(struct rep_state *st, enum role role, unsigned int n,
			 struct errmsg *e)
{
	unsigned int base = role == ROLE_LOCKER ? 0 : st->c->procs;
	pid_t parent = getpid();
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		pid_t pid;

		/* thousands of forks take seconds: a signal must not wait for them */
		if (stop_requested(st))
			return -EINTR;
		pid = fork();
		if (pid < 0)
			return errmsg_set(e, -errno, "fork: %s", strerror(errno));
		if (!pid)
			child_main(st->c, st->env, &st->b, st->ctl, role, i, st->ready[1],
				   parent);
		st->pids[base + i] = pid;
		children = st->pids;
		nchildren = st->c->procs + st->c->plain;
		ret = watch_child(st, base + i, e);
		if (ret)
			return ret;
	}
	return 0;
}

/* Wait until @n more children report ready; notice failures and signals. */
static int wait_ready(struct rep_state *st, unsigned int n, struct errmsg *e)
{
	struct pollfd pfd[2] = {
		{ .fd = st->ready[0], .events = POLLIN },
		{ .fd = st->epfd, .events = POLLIN },
	};
	struct epoll_event ev;
	struct rusage ru;
	char buf[256];
	int status;

	while (n) {
		ssize_t got;

		if (stop_requested(st))
			return -EINTR;
		if (poll(pfd, 2, 100) <= 0)
			continue;
		if (pfd[0].revents) {
			got = read(st->ready[0], buf, n < sizeof(buf) ? n : sizeof(buf));
			if (got > 0)
				n -= got;
		}
		/* a child that exits before it is ready has failed */
		if (pfd[1].revents && epoll_wait(st->epfd, &ev, 1, 0) == 1 &&
		    reap_child(st, ev.data.u32, &status, &ru) > 0)
			return describe_child_failure(st, ev.data.u32, status, e);
	}
	return 0;
}

static void kill_and_reap(struct rep_state *st)
{
	unsigned int i, n = st->c->procs + st->c->plain;

	for (i = 0; i < n; i++)
		if (st->pids[i] && !st->reaped[i])
			kill(st->pids[i], SIGKILL);
	for (i = 0; i < n; i++)
		if (st->pids[i] && !st->reaped[i])
			while (waitpid(st->pids[i], NULL, 0) < 0 && errno == EINTR)
				;
	nchildren = 0;
	children = NULL;
}

static int collectors_call(struct rep_state *st, enum collector_hook which, struct errmsg *e)
{
	const struct engine_env *env = st->env;
	size_t i;
	int ret = 0;

	for (i = 0; i < env->ncollectors && !ret; i++) {
		const struct collector_ops *o = env->collectors[i].ops;
		void *s = env->collectors[i].state;

		switch (which) {
		case COLLECTOR_SETUP_BEGIN:
			ret = o->setup_begin ? o->setup_begin(s, &st->info, e) : 0;
			break;
		case COLLECTOR_SETUP_END:
			ret = o->setup_end ? o->setup_end(s, &st->info, e) : 0;
			break;
		case COLLECTOR_TEARDOWN_BEGIN:
			ret = o->teardown_begin ? o->teardown_begin(s, &st->info, e) : 0;
			break;
		case COLLECTOR_TEARDOWN_END:
			ret = o->teardown_end ? o->teardown_end(s, &st->info, env->sink, e) : 0;
			break;
		}
		if (ret)
			errmsg_prefix(e, ret, "collector %s", o->name);
	}
	return ret;
}

/*
 * Reap every locker as it exits (epoll over pidfds, so a collector's own
 * child is never taken); their latencies and CPU go into @out.
 */
static int reap_lockers(struct rep_state *st, uint64_t t_release, struct rep_result *out,
			struct errmsg *e)
{
	const struct config *c = st->c;
	bool self_timed = c->wl->teardown_clock == WORKLOAD_CLOCK_CALL;
	struct epoll_event ev[64];
	uint64_t last = t_release;
	unsigned int left = c->procs;
	struct rusage ru;
	int status, n, k;

	while (left) {
		uint64_t t, done;

		n = epoll_wait(st->epfd, ev, 64, -1);
		t = now_ns();
		if (n < 0) {
			if (errno == EINTR && !stop_requested(st))
				continue;
			return errno == EINTR ? -EINTR : errmsg_set(e, -errno, "epoll_wait: %s",
								     strerror(errno));
		}
		for (k = 0; k < n; k++) {
			unsigned int i = ev[k].data.u32;

			if (reap_child(st, i, &status, &ru) <= 0)
				continue;
			if (!WIFEXITED(status) || WEXITSTATUS(status))
				return stop_requested(st) ? -EINTR
							  : describe_child_failure(st, i, status, e);
			if (i >= c->procs)
				return errmsg_set(e, -ECHILD, "plain mapper %llu left early",
						  (unsigned long long)(i - c->procs));
			done = self_timed ? st->ctl->slot[i].t_done : t;
			out->lat_ns[i] = self_timed ? st->ctl->slot[i].call_ns
							   : t - t_release;
			st->end_ns[i] = done;
			if (done > last)
				last = done;
			out->utime_us += ru.ru_utime.tv_sec * 1000000ull + ru.ru_utime.tv_usec;
			out->stime_us += ru.ru_stime.tv_sec * 1000000ull + ru.ru_stime.tv_usec;
			left--;
		}
	}
	out->teardown_ns = last - t_release;
	return 0;
}

static void release_skew(const struct rep_state *st, struct rep_result *out)
{
	uint64_t lo = UINT64_MAX, hi = 0;
	uint64_t i;

	for (i = 0; i < st->c->procs; i++) {
		uint64_t t = st->ctl->slot[i].t_running;

		if (t < lo)
			lo = t;
		if (t > hi)
			hi = t;
	}
	out->skew_ns = hi > lo ? hi - lo : 0;
}

/*
 * The plain mappers' own teardown: release them together, reap each as it
 * exits (the lockers are all reaped by now); release → last reaped.
 */
static int reap_plain(struct rep_state *st, struct rep_result *out, struct errmsg *e)
{
	unsigned int left = st->c->plain;
	struct epoll_event ev[64];
	uint64_t t_release, last, t;
	struct rusage ru;
	int status, n, k;

	t_release = last = now_ns();
	futex_release(&st->ctl->plain_go);
	while (left) {
		n = epoll_wait(st->epfd, ev, 64, -1);
		if (n < 0) {
			if (errno == EINTR && !stop_requested(st))
				continue;
			return errno == EINTR ? -EINTR : errmsg_set(e, -errno, "epoll_wait: %s",
								     strerror(errno));
		}
		t = now_ns();
		for (k = 0; k < n; k++) {
			unsigned int i = ev[k].data.u32;

			if (reap_child(st, i, &status, &ru) <= 0)
				continue;
			if ((!WIFEXITED(status) || WEXITSTATUS(status)) && stop_requested(st))
				return -EINTR;
			if (!WIFEXITED(status) || WEXITSTATUS(status))
				return describe_child_failure(st, i, status, e);
			last = t;
			left--;
		}
	}
	out->plain_teardown_ns = last - t_release;
	return 0;
}

void config_locked_pages(const struct config *c, const struct lock_range *r, uint64_t page,
			 struct locked_pages *out)
{
	workload_locked_pages(c->wl, c->job, c->size, page, out);
	lock_range_locked_pages(r, c->huge_backed, page, out);
	locked_pages_mark_anon_huge(c->job, c->huge_backed, out);
}

static int run_children(struct rep_state *st, struct rep_result *out, struct errmsg *e)
{
	const struct config *c = st->c;
	uint64_t t0, t_release;
	int ret;

	ret = fork_children(st, ROLE_PLAIN, c->plain, e);
	if (!ret)
		ret = wait_ready(st, c->plain, e);
	if (!ret)
		ret = collectors_call(st, COLLECTOR_SETUP_BEGIN, e);
	if (ret)
		return ret;
	t0 = now_ns();
	ret = fork_children(st, ROLE_LOCKER, c->procs, e);
	if (!ret)
		ret = wait_ready(st, c->procs, e);
	if (ret)
		return ret;
	out->setup_ns = now_ns() - t0;
	st->info.pids = st->pids;
	ret = collectors_call(st, COLLECTOR_SETUP_END, e);
	if (!ret && st->env->after_setup)
		ret = st->env->after_setup(st->env->after_setup_ctx, st->pids, e);
	if (ret)
		return ret;
	/* the hook may have learnt that the lockers have huge pages */
	config_locked_pages(c, &st->range, st->info.page_size, &st->info.locked);
	ret = collectors_call(st, COLLECTOR_TEARDOWN_BEGIN, e);
	if (ret)
		return ret;

	t_release = now_ns();
	futex_release(&st->ctl->go);
	ret = reap_lockers(st, t_release, out, e);
	if (ret)
		return ret;
	release_skew(st, out);
	/* the collectors' window is the lockers' only: it closes before the plain release */
	st->info.release_ns = t_release;
	st->info.end_ns = st->end_ns;
	ret = collectors_call(st, COLLECTOR_TEARDOWN_END, e);
	if (!ret)
		ret = reap_plain(st, out, e);
	return ret;
}

/* One pidfd per child: make room for them under RLIMIT_NOFILE. */
static int raise_nofile(rlim_t need, struct errmsg *e)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return errmsg_set(e, -errno, "getrlimit: %s", strerror(errno));
	if (rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need)
		return errmsg_set(e, -EMFILE,
				  "%llu children need %llu file descriptors but RLIMIT_NOFILE's hard limit is %llu (ulimit -n)",
				  (unsigned long long)need - JOB_SPARE_FDS, (unsigned long long)need,
				  (unsigned long long)rl.rlim_max);
	rl.rlim_cur = need;
	return setrlimit(RLIMIT_NOFILE, &rl) ? errmsg_set(e, -errno, "setrlimit: %s",
							   strerror(errno)) : 0;
}

int engine_run_rep(const struct config *c, int rep, const struct engine_env *env,
		   struct rep_result *out, struct errmsg *e)
{
	struct rep_state st = { .c = c, .env = env, .ready = { -1, -1 } };
	unsigned int total = c->procs + c->plain;
	int ret;

	out->setup_ns = out->teardown_ns = out->skew_ns = out->plain_teardown_ns = 0;
	out->utime_us = out->stime_us = 0;
	timed_out = 0;
	if (env->interrupted && *env->interrupted)
		return -EINTR;
	st.info = (struct rep_info){
		.config = c->id, .rep = rep, .workload = c->wl->name, .procs = c->procs,
		.plain = c->plain, .size = c->size, .page_size = sysconf(_SC_PAGESIZE),
		.outdir = env->outdir,
	};
	/* validated with the job: an error here is the machine's THP gone since */
	ret = lock_range_of(c->job, c->size, st.info.page_size, lock_range_huge_size(),
			    &st.range, e);
	if (ret)
		return ret;
	config_locked_pages(c, &st.range, st.info.page_size, &st.info.locked);
	st.ctl_len = sizeof(struct ctl) + total * sizeof(struct child_slot);
	st.ctl = mmap(NULL, st.ctl_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	st.pids = calloc(total, sizeof(*st.pids));
	st.reaped = calloc(total, sizeof(*st.reaped));
	st.pidfds = malloc(total * sizeof(*st.pidfds));
	st.end_ns = calloc(c->procs, sizeof(*st.end_ns));
	st.epfd = -1;
	if (st.ctl == MAP_FAILED || !st.pids || !st.reaped || !st.pidfds || !st.end_ns) {
		ret = -ENOMEM;
		goto out_free;
	}
	memset(st.pidfds, -1, total * sizeof(*st.pidfds));
	ret = raise_nofile(total + JOB_SPARE_FDS, e);
	if (ret)
		goto out_free;
	st.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (st.epfd < 0 || pipe2(st.ready, O_CLOEXEC)) {
		ret = errmsg_set(e, -errno, "epoll/pipe: %s", strerror(errno));
		goto out_free;
	}
	ret = backing_create(&st.b, c->job, c->size, &st.range, env->interrupted, e);
	if (ret)
		goto out_pipe;

	alarm(c->job->timeout);
	ret = run_children(&st, out, e);
	alarm(0);
	if (ret == -EINTR || stop_requested(&st))
		ret = timed_out ? errmsg_set(e, -ETIMEDOUT,
					     "repetition took longer than --timeout %llus",
					     (unsigned long long)c->job->timeout)
				: -EINTR;
	kill_and_reap(&st);
	backing_destroy(&st.b);
out_pipe:
	close(st.ready[0]);
	close(st.ready[1]);
out_free:
	for (unsigned int i = 0; st.pidfds && i < total; i++)
		if (st.pidfds[i] >= 0)
			close(st.pidfds[i]);
	if (st.epfd >= 0)
		close(st.epfd);
	if (st.ctl != MAP_FAILED)
		munmap(st.ctl, st.ctl_len);
	free(st.pids);
	free(st.reaped);
	free(st.pidfds);
	free(st.end_ns);
	return ret;
}
