/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A child process as a struct (git's run-command idea): argv, working
 * directory, optional stdout capture or redirection into files, extra file
 * descriptors handed down, a timeout, its own process group, and death with
 * the parent.  Never goes through a shell.  Every fork/exec of the harness
 * is meant to go through here.
 *
 *	struct child_process cp = CHILD_PROCESS_INIT;
 *	cp.argv = argv; cp.stdout_path = log; cp.timeout_ms = 60000;
 *	err = run_command(&cp, &e);		// start + wait
 *
 * or, for a helper that runs beside the measurement (perf record):
 *
 *	child_start(&cp, &e); ...; child_stop(&cp, SIGINT, 5000, &e);
 */
#ifndef MLB_RUN_COMMAND_H
#define MLB_RUN_COMMAND_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "common/errmsg.h"

#define CHILD_MAX_FDS 4

/* Parent's @from becomes the child's @to (e.g. a control pipe at fd 3). */
struct child_fd {
	int from, to;
};

struct child_process {
	const char *const *argv;	/* argv[0] looked up in PATH */
	const char *dir;		/* chdir before exec, NULL = stay */
	const char *const *env;		/* extra "K=V" entries, NULL-terminated, or NULL */
	bool capture_out;		/* collect stdout into out/out_len */
	const char *stdout_path;	/* else redirect stdout here (truncate) */
	const char *stderr_path;	/* stderr here (NULL: /dev/null when quiet, else inherit) */
	bool stderr_to_stdout;		/* 2>&1, after stdout is set up */
	bool quiet;			/* stderr to /dev/null unless stderr_path */
	/* stdout_path/stderr_path are opened O_NOFOLLOW; fresh_files adds O_EXCL */
	bool fresh_files;
	struct child_fd fds[CHILD_MAX_FDS];	/* handed down; nfds of them */
	unsigned int nfds;
	bool close_fds;			/* close every other fd >= 3 at exec */
	bool new_pgrp;			/* own process group: a timeout kills all of it */
	int death_signal;		/* sent when the parent dies (0 = SIGKILL) */
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

/* Start the child; fills cp->pid.  -errno (message) when it cannot be run. */
int child_start(struct child_process *cp, struct errmsg *e);
/* Wait for it (collects stdout, enforces the timeout, kills the group on timeout). */
int child_finish(struct child_process *cp, struct errmsg *e);
/*
 * Stop a running child: @sig (e.g. SIGINT, so perf writes its file), SIGKILL
 * after @grace_ms, reaped.  Returns child_finish's verdict, except that the
 * child dying of @sig itself counts as success.
 */
int child_stop(struct child_process *cp, int sig, unsigned int grace_ms, struct errmsg *e);
/*
 * start + finish.  Returns 0 when the child ran and exited 0, -ETIMEDOUT on
 * timeout, -EINTR when interrupted, -ECHILD when it exited non-zero or died
 * of a signal (message says which), other -errno when it could not start.
 */
int run_command(struct child_process *cp, struct errmsg *e);
void child_release(struct child_process *cp);
/* rm -rf -- PATH, quietly; run_command's return. */
int run_rm_rf(const char *path);

/* @name's path through $PATH (default /usr/bin:/bin) into @out: 0 or -ENOENT. */
int run_command_find(const char *name, char *out, size_t len);

/* A signal handler may set this: child_finish then kills the child and returns -EINTR. */
void run_command_interrupt(void);
bool run_command_interrupted(void);
/* Kill every process group started with new_pgrp that is still running (atexit-safe). */
void run_command_kill_all(void);

#endif
