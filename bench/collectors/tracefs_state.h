/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracefs changes that survive a crash: every change is written to a state
 * file (/run/mlockbench/tracefs-state, or $MLOCKBENCH_STATE_DIR) before it
 * is made, so that close() -- or the next open() after a killed run -- can
 * undo it.  Changes: mounting tracefs, kprobe (and uprobe) events of our
 * group, which the next open() also sweeps even if unrecorded.
 */
#ifndef MLB_TRACEFS_STATE_H
#define MLB_TRACEFS_STATE_H

#include <stdbool.h>
#include <sys/types.h>

#include "common/errmsg.h"

#define TRACEFS_KPROBE_GROUP "mlockbench"
#define TRACEFS_STATE_MAX_KPROBES 16

struct tracefs_state {
	char file[256];		/* the state file */
	char dir[256];		/* tracefs mount point */
	bool mounted;		/* we mounted it */
	bool stale_cleaned;	/* open() undid a killed run's changes */
	int nkprobes;
	char kprobes[TRACEFS_STATE_MAX_KPROBES][96];	/* "file group/event" */
	bool active;		/* we own the state file */
	pid_t foreign_owner;	/* a live run owns it: we may read, not change */
};

/*
 * Undo what a dead run left and locate (if needed, mount) tracefs.  The
 * state file is created at the first change; a change while another live
 * run owns the file fails with -EBUSY.
 */
int tracefs_state_open(struct tracefs_state *s, struct errmsg *e);
/*
 * Record, then create, a dynamic probe: @def is a line for tracefs @file
 * ("kprobe_events", "uprobe_events") defining @event ("group/name").
 * -EOPNOTSUPP when the kernel lacks @file.
 */
int tracefs_state_add_probe(struct tracefs_state *s, const char *file, const char *event,
			    const char *def, struct errmsg *e);
/* The same for kprobe_events. */
int tracefs_state_add_kprobe(struct tracefs_state *s, const char *event, const char *def,
			     struct errmsg *e);
/* Event id of "group/name" under tracefs events/, or -errno. */
int tracefs_event_id(const char *tracefs, const char *event, struct errmsg *e);
/* Undo everything and remove the state file; idempotent. */
void tracefs_state_close(struct tracefs_state *s);
/* Undo what the state file @file records (the owner must be dead). */
int tracefs_state_cleanup_file(const char *file, struct errmsg *e);
/* The state file's path. */
void tracefs_state_path(char *buf, size_t len);

#endif
