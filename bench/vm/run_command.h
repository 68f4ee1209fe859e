/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A child process as a struct (git's run-command idea): argv, working
 * directory, optional stdout capture or redirection, a timeout, its own
 * process group, and death with the parent.  Never goes through a shell.
 */
#ifndef MLB_RUN_COMMAND_H
#define MLB_RUN_COMMAND_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "common/errmsg.h"

struct child_process {
	const char *const *argv;	/* argv[0] looked up in PATH */
	const char *dir;		/* chdir before exec, NULL = stay */
	const char *const *env;		/* extra "K=V" entries, NULL-terminated, or NULL */
	bool capture_out;		/* collect stdout into out/out_len */
	const char *stdout_path;	/* else redirect stdout here (truncate) */
	const char *stderr_path;	/* stderr here (NULL: /dev/null when quiet, else inherit) */
	bool quiet;			/* stderr to /dev/null unless stderr_path */
	bool new_pgrp;			/* own process group: a timeout kills all of it */
	unsigned int timeout_ms;	/* 0 = none */
	int interrupt_signal;		/* on interrupt (0 = SIGKILL); SIGKILL 10 s on */

	/* results */
	pid_t pid;
	char *out;			/* malloc'd, NUL-terminated; caller frees */
	size_t out_len;
	int status;			/* raw wait status */
	bool timed_out;
	bool interrupted;		/* run_command_interrupted() was set while waiting */
	int out_fd;			/* private: read end of the capture pipe */
};

#define CHILD_PROCESS_INIT { 0 }

/* Start the child; fills cp->pid. */
int child_start(struct child_process *cp, struct errmsg *e);
/* Wait for it (collects stdout, enforces the timeout, kills the group on timeout). */
int child_finish(struct child_process *cp, struct errmsg *e);
/*
 * start + finish.  Returns 0 when the child ran and exited 0, -ETIMEDOUT on
 * timeout, -EINTR when interrupted, -ECHILD when it exited non-zero or died
 * of a signal (message says which), other -errno when it could not start.
 */
int run_command(struct child_process *cp, struct errmsg *e);
void child_release(struct child_process *cp);
/* rm -rf -- PATH, quietly; run_command's return. */
int run_rm_rf(const char *path);

/* A signal handler may set this: child_finish then kills the child and returns -EINTR. */
void run_command_interrupt(void);
bool run_command_interrupted(void);
/* Kill every process group started with new_pgrp that is still running (atexit-safe). */
void run_command_kill_all(void);

#endif
