// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/timeutil.h"
#include "vm/run_command.h"

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

static int open_or_null(const char *path, int flags)
{
	return open(path ? path : "/dev/null", flags, 0644);
}

int child_start(struct child_process *cp, struct errmsg *e)
{
	int pipefd[2] = { -1, -1 }, errpipe[2];
	pid_t parent = getpid();
	int child_errno = 0;
	ssize_t n;

	cp->out = NULL;
	cp->out_len = 0;
	cp->timed_out = false;
	cp->interrupted = false;
	if (cp->capture_out && pipe2(pipefd, O_CLOEXEC))
		return errmsg_set(e, -errno, "pipe: %s", strerror(errno));
	if (pipe2(errpipe, O_CLOEXEC))
		return errmsg_set(e, -errno, "pipe: %s", strerror(errno));

	cp->pid = fork();
	if (cp->pid < 0) {
		int err = errno;

		if (pipefd[0] >= 0) {
			close(pipefd[0]);
			close(pipefd[1]);
		}
		close(errpipe[0]);
		close(errpipe[1]);
		return errmsg_set(e, -err, "fork: %s", strerror(err));
	}
	if (cp->pid == 0) {
		int fd;

		if (cp->new_pgrp)
			setpgid(0, 0);
		/* die with the parent: no orphaned qemu after a crash */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		fd = open("/dev/null", O_RDONLY);
		if (fd >= 0) {
			dup2(fd, 0);
			close(fd);
		}
		if (cp->capture_out) {
			dup2(pipefd[1], 1);
		} else if (cp->stdout_path) {
			fd = open(cp->stdout_path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0644);
			if (fd < 0)
				goto fail;
			dup2(fd, 1);
			close(fd);
		}
		if (cp->stderr_path || cp->quiet) {
			fd = open_or_null(cp->stderr_path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW);
			if (fd < 0)
				goto fail;
			dup2(fd, 2);
			close(fd);
		}
		if (cp->dir && chdir(cp->dir))
			goto fail;
		if (cp->env)
			for (const char *const *v = cp->env; *v; v++)
				putenv((char *)*v);
		execvp(cp->argv[0], (char *const *)cp->argv);
fail:
		child_errno = errno;
		n = write(errpipe[1], &child_errno, sizeof(child_errno));
		(void)n;
		_exit(127);
	}
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

int child_finish(struct child_process *cp, struct errmsg *e)
{
	uint64_t deadline = cp->timeout_ms ? now_ns() + cp->timeout_ms * 1000000ull : 0;
	uint64_t grace = 0;
	int fd = cp->out_fd;
	size_t cap = 0;
	int status = 0;
	pid_t r;

	for (;;) {
		int wait_ms = 100;

		if (interrupted && !cp->interrupted) {
			/* a polite signal first lets a native run restore what it changed */
			cp->interrupted = true;
			kill_child(cp, cp->interrupt_signal ? cp->interrupt_signal : SIGKILL);
			grace = now_ns() + 10000000000ull;
		}
		if (grace && now_ns() > grace) {
			kill_child(cp, SIGKILL);
			grace = 0;
		}
		if (deadline && !cp->timed_out && now_ns() > deadline) {
			cp->timed_out = true;
			kill_child(cp, SIGKILL);
		}
		if (fd >= 0) {
			struct pollfd p = { .fd = fd, .events = POLLIN };

			if (poll(&p, 1, wait_ms) > 0) {
				char buf[65536];
				ssize_t n = read(fd, buf, sizeof(buf));

				if (n > 0) {
					if (cp->out_len + n + 1 > cap) {
						char *nb;

						cap = (cp->out_len + n + 1) * 2;
						nb = realloc(cp->out, cap);
						if (!nb) {
							kill_child(cp, SIGKILL);
							close(fd);
							fd = -1;
							continue;
						}
						cp->out = nb;
					}
					memcpy(cp->out + cp->out_len, buf, n);
					cp->out_len += n;
					cp->out[cp->out_len] = '\0';
					continue;
				}
				if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
					close(fd);
					fd = -1;
				}
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
		usleep(wait_ms * 1000 / 5);
	}
	if (cp->new_pgrp) {
		/* leftovers of the group (qemu helpers) go too */
		kill(-cp->pid, SIGKILL);
		live_del(cp->pid);
	}
	cp->status = status;
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
