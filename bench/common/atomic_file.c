// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/atomic_file.h"

int atomic_file_open(struct atomic_file *af, const char *path, struct errmsg *e)
{
	snprintf(af->path, sizeof(af->path), "%s", path);
	snprintf(af->tmp, sizeof(af->tmp), "%s.tmp.%d", path, (int)getpid());
	af->f = fopen(af->tmp, "w");
	if (!af->f)
		return errmsg_set(e, -errno, "%s: %s", af->tmp, strerror(errno));
	return 0;
}

int atomic_file_commit(struct atomic_file *af, struct errmsg *e)
{
	int err = 0;

	if (fflush(af->f) || fsync(fileno(af->f)))
		err = errno;
	if (fclose(af->f) && !err)
		err = errno;
	af->f = NULL;
	if (!err && rename(af->tmp, af->path))
		err = errno;
	if (err) {
		unlink(af->tmp);
		return errmsg_set(e, -err, "%s: %s", af->path, strerror(err));
	}
	return 0;
}

void atomic_file_abort(struct atomic_file *af)
{
	if (af->f)
		fclose(af->f);
	af->f = NULL;
	unlink(af->tmp);
}

int atomic_write_json(const char *path, json_t *obj, struct errmsg *e)
{
	struct atomic_file af;
	int ret;

	ret = atomic_file_open(&af, path, e);
	if (ret)
		return ret;
	if (json_dumpf(obj, af.f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ||
	    fputc('\n', af.f) == EOF) {
		atomic_file_abort(&af);
		return errmsg_set(e, -EIO, "%s: write failed", path);
	}
	return atomic_file_commit(&af, e);
}

int atomic_write_with(const char *path, int (*fn)(FILE *f, const void *arg), const void *arg,
		      struct errmsg *e)
{
	struct atomic_file af;
	int err;

	err = atomic_file_open(&af, path, e);
	if (err)
		return err;
	err = fn(af.f, arg);
	if (err) {
		atomic_file_abort(&af);
		return err;
	}
	return atomic_file_commit(&af, e);
}

int mkdir_p(const char *dir, struct errmsg *e)
{
	char buf[PATH_MAX], *p;

	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
		return errmsg_set(e, -ENAMETOOLONG, "%s: path too long", dir);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0755) && errno != EEXIST)
			return errmsg_set(e, -errno, "mkdir %s: %s", buf, strerror(errno));
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		return errmsg_set(e, -errno, "mkdir %s: %s", buf, strerror(errno));
	return 0;
}
