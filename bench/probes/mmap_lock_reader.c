// SPDX-License-Identifier: GPL-2.0
/*
 * The mmap_lock probe's reader process: what ps and pmap do to the target,
 * /proc/PID/cmdline (access_remote_vm, under the target's mmap_lock for
 * read) and /proc/PID/maps, each read timed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/timeutil.h"
#include "probes/mmap_lock_probe.h"

static int open_proc(pid_t target, const char *what)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)target, what);
	return open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
}

/* From offset 0 up to MLP_MAPS_MAX bytes (cmdline: one read); 0 or -errno. */
static int read_from_start(int fd, bool whole)
{
	static char buf[4096];
	size_t total = 0;
	ssize_t k;

	do {
		k = pread(fd, buf, sizeof(buf), total);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -errno;
		total += k;
	} while (whole && k > 0 && total < MLP_MAPS_MAX);
	return 0;
}

static void pause_ns(uint64_t ns)
{
	struct timespec ts = { .tv_sec = ns / 1000000000ull, .tv_nsec = ns % 1000000000ull };

	if (ns)
		nanosleep(&ts, NULL);
}

int mlp_reader_run(struct mlp_ring *r, pid_t target, uint64_t interval_ns)
{
	int fd[2] = { open_proc(target, "cmdline"), open_proc(target, "maps") };
	enum mlp_kind kind[2] = { MLP_CMDLINE, MLP_MAPS };
	unsigned i = 0;

	if (fd[0] < 0 || fd[1] < 0) {
		int ret = -errno;

		if (fd[0] >= 0)
			close(fd[0]);
		if (fd[1] >= 0)
			close(fd[1]);
		return ret;
	}
	while (!mlp_ring_stopping(r)) {
		uint64_t t0 = now_ns();
		int err;

		mlp_ring_inflight(r, t0);
		err = read_from_start(fd[i], kind[i] == MLP_MAPS);
		mlp_ring_record(r, kind[i], t0, now_ns() - t0, err);
		mlp_ring_inflight(r, 0);
		i ^= 1;
		pause_ns(interval_ns);
	}
	close(fd[0]);
	close(fd[1]);
	return 0;
}

/* Handlers do not survive exec, and must not survive this fork either. */
static void reset_handlers(void)
{
	struct sigaction sa;
	int sig;

	for (sig = 1; sig < NSIG; sig++) {
		if (sigaction(sig, NULL, &sa))
			continue;
		if ((sa.sa_flags & SA_SIGINFO) ||
		    (sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN))
			signal(sig, SIG_DFL);
	}
}

int mlp_reader_spawn(struct mlp_ring *r, pid_t target, uint64_t interval_ns, pid_t *pid,
		     struct errmsg *e)
{
	pid_t parent = getpid(), p;

	if (target <= 0)
		return errmsg_set(e, -EINVAL, "mmap_lock probe: bad target pid %d", (int)target);
	p = fork();
	if (p < 0)
		return errmsg_set(e, -errno, "mmap_lock probe: fork: %s", strerror(errno));
	if (!p) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(3);
		reset_handlers();
		_exit(mlp_reader_run(r, target, interval_ns) ? 1 : 0);
	}
	*pid = p;
	return 0;
}

int mlp_reader_finish(struct mlp_ring *r, pid_t pid, unsigned int grace_ms, struct errmsg *e)
{
	uint64_t deadline = now_ns() + grace_ms * 1000000ull;
	bool killed = false;
	int status;
	pid_t w;

	mlp_ring_stop(r);
	for (;;) {
		w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			return errmsg_set(e, -errno, "mmap_lock probe: wait: %s", strerror(errno));
		if (!killed && now_ns() >= deadline) {
			kill(pid, SIGKILL);
			killed = true;
		}
		pause_ns(1000000);
	}
	if (killed)
		return errmsg_set(e, -ETIMEDOUT, "mmap_lock probe: reader did not stop within %u ms",
				  grace_ms);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return errmsg_set(e, -ECHILD, "mmap_lock probe: reader failed (status 0x%x): "
				  "target's /proc files could not be opened", status);
	return 0;
}
