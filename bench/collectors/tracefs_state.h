/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracefs changes that survive a crash: every change is written to a
 * journal (/run/mlockbench/tracefs-state, or $MLOCKBENCH_STATE_DIR) before
 * it is made, so that close() -- or the next open() after a killed run --
 * can undo it.  Changes: mounting tracefs, and dynamic events (kprobes,
 * kretprobes, uprobes) of our group, which the next open() also sweeps even
 * if unrecorded.  libtracefs makes and removes the events; it has no
 * journal, hence this file.
 *
 * Root reads the journal, so it is hostile input: it is used only when it
 * is a regular file owned by us, mode 0600, in a folder owned by us that
 * no one else can write (made 0700).  Its owner is live only if pid, the
 * process's start time and the boot id all match.  Its tracefs path must
 * be a tracing mount, its files one of the dynamic-event files, its events
 * of our group.  A journal that cannot be undone is moved aside with a
 * one-line hint, so it never blocks later runs.
 */
#ifndef MLB_TRACEFS_STATE_H
#define MLB_TRACEFS_STATE_H

#include <stdbool.h>
#include <sys/types.h>

#include "common/errmsg.h"

#define TRACEFS_KPROBE_GROUP "mlockbench"
#define TRACEFS_STATE_MAX_KPROBES 16
#define TRACEFS_STATE_FILE "tracefs-state"

struct tracefs_dynevent;

struct tracefs_state {
	char statedir[256];	/* the journal's folder */
	char dir[256];		/* tracefs mount point */
	int dfd;		/* the journal's folder, -1: none */
	bool dir_trusted;	/* ours, no one else can write it */
	bool mounted;		/* we mounted it */
	bool stale_cleaned;	/* open() undid a killed run's changes */
	char note[256];		/* what open() refused or could not undo, one line */
	int nkprobes;
	struct tracefs_dynevent *kprobes[TRACEFS_STATE_MAX_KPROBES];
	bool active;		/* we own the journal */
	pid_t foreign_owner;	/* a live run owns it: we may read, not change */
};

/*
 * Undo what a dead run left and locate (if needed, mount) tracefs.  The
 * journal is created at the first change; a change while another live
 * run owns it fails with -EBUSY.  A journal that cannot be undone fails
 * once with a one-line hint and is moved to tracefs-state.failed.
 */
int tracefs_state_open(struct tracefs_state *s, struct errmsg *e);
/*
 * Record, then create, dynamic event @dev (of group TRACEFS_KPROBE_GROUP,
 * from tracefs_kprobe_alloc() and the like).  Takes @dev, also on error.
 * -EOPNOTSUPP when the kernel lacks that kind of event.
 */
int tracefs_state_add_dynevent(struct tracefs_state *s, struct tracefs_dynevent *dev,
			       struct errmsg *e);
/*
 * Record, then create, kretprobe TRACEFS_KPROBE_GROUP/@event at @addr able
 * to track @maxactive calls at once (libtracefs 1.6 cannot write one).
 */
int tracefs_state_add_kretprobe(struct tracefs_state *s, const char *event, const char *addr,
				unsigned int maxactive, struct errmsg *e);
/* Undo everything and remove the journal; idempotent. */
void tracefs_state_close(struct tracefs_state *s);
/* The journal's folder. */
void tracefs_state_dir(char *buf, size_t len);

/* pure helpers, exposed for the tests */

/* Is @name ("kprobe_events", ...) a file whose events we may remove? */
bool tracefs_state_file_allowed(const char *name);
/* Is @event "group/name" an event of our group with a plain name? */
bool tracefs_state_event_allowed(const char *event);
/* Start time of @pid (clock ticks since boot, /proc/PID/stat), 0 if gone. */
unsigned long long tracefs_state_start_time(pid_t pid);

#endif
