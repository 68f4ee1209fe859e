/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Atomic file replacement: write to "PATH.tmp.PID", fsync, rename over
 * PATH.  A file that exists under its real name is always complete.
 */
#ifndef MLB_ATOMIC_FILE_H
#define MLB_ATOMIC_FILE_H

#include <limits.h>
#include <stdio.h>

#include <jansson.h>

#include "common/errmsg.h"

struct atomic_file {
	char path[PATH_MAX];
	char tmp[PATH_MAX + 32];
	FILE *f;
};

int atomic_file_open(struct atomic_file *af, const char *path, struct errmsg *e);
/* Flush, fsync, rename; on any error the temp file is removed. */
int atomic_file_commit(struct atomic_file *af, struct errmsg *e);
void atomic_file_abort(struct atomic_file *af);

int atomic_write_json(const char *path, json_t *obj, struct errmsg *e);
/*
 * Write PATH atomically with FN(f, ARG); an error from FN drops the temp
 * file and is returned as it is (e is left alone then).
 */
int atomic_write_with(const char *path, int (*fn)(FILE *f, const void *arg), const void *arg,
		      struct errmsg *e);

/* mkdir -p */
int mkdir_p(const char *dir, struct errmsg *e);

#endif
