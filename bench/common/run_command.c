// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/close_range.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/timeutil.h"
#include "common/run_command.h"

static volatile sig_atomic_t interrupted;

#define MAX_LIVE 16
static volatile pid_t live_pgrps[MAX_LIVE];

void run_command_interrupt(void)
{
	interrupted = 1;
}

bool run_command_interrupted(void)
{
	return interrupted;
}

static void live_add(pid_t pid)
{
	int i;

	for (i = 0; i < MAX_LIVE; i++)
		if (!live_pgrps[i]) {
			live_pgrps[i] = pid;
			return;
		}
}

static void live_del(pid_t pid)
{
	int i;

	for (i = 0; i < MAX_LIVE; i++)
		if (live_pgrps[i] == pid)
			live_pgrps[i] = 0;
}

void run_command_kill_all(void)
{
	int i;

	for (i = 0; i < MAX_LIVE; i++)
		if (live_pgrps[i] > 0)
			kill(-live_pgrps[i], SIGKILL);
}

static int open_out(const struct child_process *cp, const char *path)
{
	int flags = O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC;

	if (!path)
		return open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (cp->fresh_files)
		flags |= O_EXCL;
	return open(path, flags, 0644);
}

static int move_fd(int fd, int to)
{
	if (fd == to)
		return fcntl(fd, F_SETFD, 0);
	return dup2(fd, to) < 0 ? -1 : 0;
}

/* The handed-down fds, then everything else above 2 closed at exec. */
static int child_fds(const struct child_process *cp)
{
	int tmp[CHILD_MAX_FDS];
	unsigned int i;

	/* first out of the way: a @to may be another entry's @from */
	for (i = 0; i < cp->nfds; i++) {
		tmp[i] = fcntl(cp->fds[i].from, F_DUPFD_CLOEXEC, 64);
		if (tmp[i] < 0)
			return -1;
	}
	if (cp->close_fds && syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC))
		return -1;
	for (i = 0; i < cp->nfds; i++)
		if (dup2(tmp[i], cp->fds[i].to) < 0)
			return -1;
	return 0;
}

/* In the child: set up and exec; on failure the errno goes up @errfd. */
static void __attribute__((noreturn)) child_exec(const struct child_process *cp,
						 pid_t parent, int out_pipe, int errfd)
{
	int fd, child_errno;
	ssize_t n;

	if (cp->new_pgrp)
		setpgid(0, 0);
	/* die with the parent: no orphaned qemu after a crash */
	prctl(PR_SET_PDEATHSIG, cp->death_signal ? cp->death_signal : SIGKILL);
	if (getppid() != parent)
		_exit(127);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || move_fd(fd, 0))
		goto fail;
	if (out_pipe >= 0) {
		if (dup2(out_pipe, 1) < 0)
			goto fail;
	} else if (cp->stdout_path) {
		fd = open_out(cp, cp->stdout_path);
		if (fd < 0 || dup2(fd, 1) < 0)
			goto fail;
	}
	if (cp->stderr_to_stdout) {
		if (dup2(1, 2) < 0)
			goto fail;
	} else if (cp->stderr_path || cp->quiet) {
		fd = open_out(cp, cp->stderr_path);
		if (fd < 0 || dup2(fd, 2) < 0)
			goto fail;
	}
	if (child_fds(cp))
		goto fail;
	if (cp->dir && chdir(cp->dir))
		goto fail;
	if (cp->env)
		for (const char *const *v = cp->env; *v; v++)
			putenv((char *)*v);
	execvp(cp->argv[0], (char *const *)cp->argv);
fail:
	child_errno = errno;
	n = write(errfd, &child_errno, sizeof(child_errno));
	(void)n;
	_exit(127);
}

static void close_pair(int p[2])
{
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	p[0] = p[1] = -1;
}

int child_start(struct child_process *cp, struct errmsg *e)
{
	int pipefd[2] = { -1, -1 }, errpipe[2] = { -1, -1 };
	pid_t parent = getpid();
	int child_errno = 0, err;
	ssize_t n;

	cp->out = NULL;
	cp->out_len = 0;
	cp->timed_out = false;
	cp->interrupted = false;
	if (cp->nfds > CHILD_MAX_FDS)
		return errmsg_set(e, -EINVAL, "more than %d fds for %s", CHILD_MAX_FDS,
				  cp->argv[0]);
	if ((cp->capture_out && pipe2(pipefd, O_CLOEXEC)) || pipe2(errpipe, O_CLOEXEC)) {
		err = errno;
		close_pair(pipefd);
		return errmsg_set(e, -err, "pipe: %s", strerror(err));
	}
	cp->pid = fork();
	if (cp->pid < 0) {
		err = errno;
		close_pair(pipefd);
		close_pair(errpipe);
		return errmsg_set(e, -err, "fork: %s", strerror(err));
	}
	if (cp->pid == 0)
		child_exec(cp, parent, pipefd[1], errpipe[1]);
	if (cp->new_pgrp) {
		setpgid(cp->pid, cp->pid);	/* race-free from both sides */
		live_add(cp->pid);
	}
	close(errpipe[1]);
	n = read(errpipe[0], &child_errno, sizeof(child_errno));
	close(errpipe[0]);
	if (cp->capture_out)
		close(pipefd[1]);
	if (n == sizeof(child_errno)) {
		waitpid(cp->pid, NULL, 0);
		if (cp->new_pgrp)
			live_del(cp->pid);
		if (cp->capture_out)
			close(pipefd[0]);
		cp->pid = 0;
		return errmsg_set(e, -child_errno, "cannot run %s: %s", cp->argv[0],
				  strerror(child_errno));
	}
	cp->out_fd = cp->capture_out ? pipefd[0] : -1;
	return 0;
}

static void kill_child(struct child_process *cp, int sig)
{
	if (cp->new_pgrp)
		kill(-cp->pid, sig);
	else
		kill(cp->pid, sig);
}

/* Read what the child wrote; false when the pipe is done (closed or failed). */
static bool capture_some(struct child_process *cp, int fd, size_t *cap)
{
	char buf[65536];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (n == 0)
		return false;
	if (cp->out_len + n + 1 > *cap) {
		size_t ncap = (cp->out_len + n + 1) * 2;
		char *nb = realloc(cp->out, ncap);

		if (!nb) {
			kill_child(cp, SIGKILL);
			return false;
		}
		cp->out = nb;
		*cap = ncap;
	}
	memcpy(cp->out + cp->out_len, buf, n);
	cp->out_len += n;
	cp->out[cp->out_len] = '\0';
	return true;
}

/* Signals due now: the interrupt (polite first), its grace, the timeout. */
static void enforce(struct child_process *cp, uint64_t deadline, uint64_t *grace)
{
	if (interrupted && !cp->interrupted) {
		/* a polite signal first lets a native run restore what it changed */
		cp->interrupted = true;
		kill_child(cp, cp->interrupt_signal ? cp->interrupt_signal : SIGKILL);
		*grace = now_ns() + 10000000000ull;
	}
	if (*grace && now_ns() > *grace) {
		kill_child(cp, SIGKILL);
		*grace = 0;
	}
	if (deadline && !cp->timed_out && now_ns() > deadline) {
		cp->timed_out = true;
		kill_child(cp, SIGKILL);
	}
}

static int verdict(struct child_process *cp, struct errmsg *e)
{
	int status = cp->status;

	if (!cp->out && cp->capture_out) {
		cp->out = calloc(1, 1);
		if (!cp->out)
			return errmsg_set(e, -ENOMEM, "out of memory");
	}
	if (cp->interrupted)
		return errmsg_set(e, -EINTR, "%s interrupted", cp->argv[0]);
	if (cp->timed_out)
		return errmsg_set(e, -ETIMEDOUT, "%s timed out after %u s", cp->argv[0],
				  cp->timeout_ms / 1000);
	if (WIFSIGNALED(status))
		return errmsg_set(e, -ECHILD, "%s died of signal %d", cp->argv[0],
				  WTERMSIG(status));
	if (WIFEXITED(status) && WEXITSTATUS(status))
		return errmsg_set(e, -ECHILD, "%s exited with status %d", cp->argv[0],
				  WEXITSTATUS(status));
	return 0;
}

int child_finish(struct child_process *cp, struct errmsg *e)
{
	uint64_t deadline = cp->timeout_ms ? now_ns() + cp->timeout_ms * 1000000ull : 0;
	uint64_t grace = 0;
	int fd = cp->out_fd;
	size_t cap = 0;
	int status = 0;
	pid_t r;

	for (;;) {
		enforce(cp, deadline, &grace);
		if (fd >= 0) {
			struct pollfd p = { .fd = fd, .events = POLLIN };

			if (poll(&p, 1, 100) > 0 && !capture_some(cp, fd, &cap)) {
				close(fd);
				fd = -1;
			}
			continue;
		}
		r = waitpid(cp->pid, &status, WNOHANG);
		if (r == cp->pid)
			break;
		if (r < 0 && errno != EINTR) {
			status = 0;
			break;
		}
		usleep(20000);
	}
	cp->out_fd = -1;
	if (cp->new_pgrp) {
		/* leftovers of the group (qemu helpers) go too */
		kill(-cp->pid, SIGKILL);
		live_del(cp->pid);
	}
	cp->status = status;
	cp->pid = 0;
	return verdict(cp, e);
}

int child_stop(struct child_process *cp, int sig, unsigned int grace_ms, struct errmsg *e)
{
	int err;

	if (cp->pid <= 0)
		return 0;
	kill_child(cp, sig);
	cp->timeout_ms = grace_ms;
	err = child_finish(cp, e);
	if (err == -ECHILD && WIFSIGNALED(cp->status) && WTERMSIG(cp->status) == sig)
		return 0;
	return err;
}

int run_command(struct child_process *cp, struct errmsg *e)
{
	int err = child_start(cp, e);

	if (err)
		return err;
	return child_finish(cp, e);
}

void child_release(struct child_process *cp)
{
	free(cp->out);
	cp->out = NULL;
	cp->out_len = 0;
}

int run_rm_rf(const char *path)
{
	const char *argv[] = { "rm", "-rf", "--", path, NULL };
	struct child_process cp = CHILD_PROCESS_INIT;

	cp.argv = argv;
	cp.quiet = true;
	return run_command(&cp, NULL);
}

int run_command_find(const char *name, char *out, size_t len)
{
	const char *path = getenv("PATH");
	char buf[4096], *dir, *save;

	snprintf(buf, sizeof(buf), "%s", path && *path ? path : "/usr/bin:/bin");
	for (dir = strtok_r(buf, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		snprintf(out, len, "%s/%s", *dir ? dir : ".", name);
		if (!access(out, X_OK))
			return 0;
	}
	out[0] = '\0';
	return -ENOENT;
}
