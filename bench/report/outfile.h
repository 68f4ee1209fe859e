/* SPDX-License-Identifier: GPL-2.0 */
/* An output file written to "<path>.tmp.<pid>" and renamed into place on commit. */
#ifndef MLB_REPORT_OUTFILE_H
#define MLB_REPORT_OUTFILE_H

#include <limits.h>
#include <stdio.h>

#include "common/errmsg.h"

struct outfile {
	FILE *fp;
	char path[PATH_MAX], tmp[PATH_MAX + 32];
};

int outfile_open(struct outfile *o, const char *path, struct errmsg *e);
/* Flush, fsync, close and rename; on failure the temp file is removed. */
int outfile_commit(struct outfile *o, struct errmsg *e);
void outfile_abort(struct outfile *o);

#endif
