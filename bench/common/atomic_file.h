/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Atomic file replacement, safe for root in a folder others can see: the
 * data goes to ".NAME.<random>.tmp", created with O_CREAT | O_EXCL |
 * O_NOFOLLOW relative to a directory fd that safe_dir_open() checked,
 * then is fsynced and renamed over NAME in that same folder (a link at
 * NAME is replaced, never followed).  A file that exists under its real
 * name is always complete.
 */
#ifndef MLB_ATOMIC_FILE_H
#define MLB_ATOMIC_FILE_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "common/errmsg.h"

struct atomic_file {
	int dirfd;			/* owned */
	char name[NAME_MAX + 1];
	char tmp[NAME_MAX + 1];
	char shown[PATH_MAX];		/* for messages */
	FILE *f;
};

/*
 * PATH's folder is opened with safe_dir_open(SAFE_DIR_SHARED): it may be a
 * sticky shared folder such as /tmp, but no link and nobody else's.
 */
int atomic_file_open(struct atomic_file *af, const char *path, struct errmsg *e);
/* NAME (no '/') in the folder DIRFD (not taken over; SHOWN names it in messages) */
int atomic_file_openat(struct atomic_file *af, int dirfd, const char *shown, const char *name,
		       struct errmsg *e);
/* Flush, fsync, rename; on any error the temp file is removed. */
int atomic_file_commit(struct atomic_file *af, struct errmsg *e);
void atomic_file_abort(struct atomic_file *af);

int atomic_write_json(const char *path, json_t *obj, struct errmsg *e);
int atomic_write_json_at(int dirfd, const char *shown, const char *name, json_t *obj,
			 struct errmsg *e);
/*
 * Write PATH atomically with FN(f, ARG); an error from FN drops the temp
 * file and is returned as it is (e is left alone then).
 */
int atomic_write_with(const char *path, int (*fn)(FILE *f, const void *arg), const void *arg,
		      struct errmsg *e);
int atomic_write_with_at(int dirfd, const char *shown, const char *name,
			 int (*fn)(FILE *f, const void *arg), const void *arg, struct errmsg *e);

/* Is NAME one of our temporary names (".X.<16 hex>.tmp")? */
bool atomic_file_is_temp(const char *name);

/*
 * Tests only: called before each step that changes the file system
 * ("create", "rename") with the final name; a nonzero return (-errno)
 * makes that step fail as if the system had refused it.
 */
extern int (*atomic_file_fault)(const char *step, const char *name);

/*
 * mkdir -p through safe_dir_open(SAFE_DIR_CREATE): the folder ends up
 * ours, writable by nobody else, reached without links.
 */
int mkdir_p(const char *dir, struct errmsg *e);

#endif
