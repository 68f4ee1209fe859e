// SPDX-License-Identifier: GPL-2.0
/* Atomic output files: a file that exists under its name is complete. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "report/outfile.h"

int outfile_open(struct outfile *o, const char *path, struct errmsg *e)
{
	snprintf(o->path, sizeof(o->path), "%s", path);
	snprintf(o->tmp, sizeof(o->tmp), "%s.tmp.%d", path, (int)getpid());
	o->fp = fopen(o->tmp, "w");
	if (!o->fp)
		return errmsg_set(e, -errno, "%s: %s", o->tmp, strerror(errno));
	return 0;
}

int outfile_commit(struct outfile *o, struct errmsg *e)
{
	int err = 0;

	if (fflush(o->fp) || ferror(o->fp) || fsync(fileno(o->fp)))
		err = -(errno ? errno : EIO);
	if (fclose(o->fp) && !err)
		err = -(errno ? errno : EIO);
	o->fp = NULL;
	if (!err && rename(o->tmp, o->path))
		err = -errno;
	if (err) {
		unlink(o->tmp);
		return errmsg_set(e, err, "%s: %s", o->path, strerror(-err));
	}
	return 0;
}

void outfile_abort(struct outfile *o)
{
	if (o->fp)
		fclose(o->fp);
	o->fp = NULL;
	unlink(o->tmp);
}
