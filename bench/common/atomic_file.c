// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/atomic_file.h"
#include "common/safe_dir.h"

#define TEMP_HEX_BYTES 8
#define CREATE_TRIES 16

int (*atomic_file_fault)(const char *step, const char *name);

static int fault(const char *step, const char *name)
{
	return atomic_file_fault ? atomic_file_fault(step, name) : 0;
}

bool atomic_file_is_temp(const char *name)
{
	size_t n = strlen(name), i;

	/* "." NAME "." 16 hex ".tmp" */
	if (name[0] != '.' || n < 1 + 1 + 1 + 2 * TEMP_HEX_BYTES + 4 ||
	    strcmp(name + n - 4, ".tmp") || name[n - 5 - 2 * TEMP_HEX_BYTES] != '.')
		return false;
	for (i = n - 4 - 2 * TEMP_HEX_BYTES; i < n - 4; i++)
		if (!strchr("0123456789abcdef", name[i]) || !name[i])
			return false;
	return true;
}

int atomic_file_openat(struct atomic_file *af, int dirfd, const char *shown, const char *name,
		       struct errmsg *e)
{
	char hex[2 * TEMP_HEX_BYTES + 1];
	int fd = -1, err = 0, i;

	af->f = NULL;
	af->dirfd = -1;
	snprintf(af->shown, sizeof(af->shown), "%s/%s", shown, name);
	if (!*name || strchr(name, '/') || strlen(name) + 2 * TEMP_HEX_BYTES + 7 > NAME_MAX)
		return errmsg_set(e, -EINVAL, "%s: not a file name this tool writes", af->shown);
	snprintf(af->name, sizeof(af->name), "%s", name);
	af->dirfd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
	if (af->dirfd < 0)
		return errmsg_set(e, -errno, "%s: %s", af->shown, strerror(errno));
	/* a name taken (planted, or ours from a killed run) is never opened: draw again */
	for (i = 0; i < CREATE_TRIES && fd < 0; i++) {
		safe_random_hex(hex, TEMP_HEX_BYTES);
		snprintf(af->tmp, sizeof(af->tmp), ".%s.%s.tmp", name, hex);
		err = fault("create", name);
		if (err)
			break;
		fd = openat(af->dirfd, af->tmp,
			    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		err = fd < 0 ? -errno : 0;
		if (err && err != -EEXIST)
			break;
	}
	if (fd >= 0)
		af->f = fdopen(fd, "w");
	if (!af->f) {
		if (fd >= 0) {
			err = -errno;
			close(fd);
			unlinkat(af->dirfd, af->tmp, 0);
		}
		close(af->dirfd);
		af->dirfd = -1;
		return errmsg_set(e, err, "%s: %s", af->shown, strerror(-err));
	}
	return 0;
}

int atomic_file_open(struct atomic_file *af, const char *path, struct errmsg *e)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int dfd, err;

	af->f = NULL;
	af->dirfd = -1;
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else if (snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path) >=
		 (int)sizeof(dir))
		return errmsg_set(e, -ENAMETOOLONG, "%.40s...: path too long", path);
	dfd = safe_dir_open(dir, SAFE_DIR_SHARED, e);
	if (dfd < 0)
		return dfd;
	err = atomic_file_openat(af, dfd, dir, slash ? slash + 1 : path, e);
	close(dfd);
	return err;
}

static void drop(struct atomic_file *af)
{
	unlinkat(af->dirfd, af->tmp, 0);
	close(af->dirfd);
	af->dirfd = -1;
}

int atomic_file_commit(struct atomic_file *af, struct errmsg *e)
{
	int err = 0;

	if (fflush(af->f) || fsync(fileno(af->f)))
		err = errno;
	if (fclose(af->f) && !err)
		err = errno;
	af->f = NULL;
	if (!err)
		err = -fault("rename", af->name);
	if (!err && renameat(af->dirfd, af->tmp, af->dirfd, af->name))
		err = errno;
	if (err) {
		drop(af);
		return errmsg_set(e, -err, "%s: %s", af->shown, strerror(err));
	}
	close(af->dirfd);
	af->dirfd = -1;
	return 0;
}

void atomic_file_abort(struct atomic_file *af)
{
	if (af->f)
		fclose(af->f);
	af->f = NULL;
	if (af->dirfd >= 0)
		drop(af);
}

static int dump_json(FILE *f, const void *arg)
{
	json_t *obj = (json_t *)arg;

	if (json_dumpf(obj, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) || fputc('\n', f) == EOF)
		return -EIO;
	return 0;
}

static int write_with(struct atomic_file *af, int (*fn)(FILE *f, const void *arg),
		      const void *arg, struct errmsg *e)
{
	int err = fn(af->f, arg);

	if (!err && ferror(af->f))
		err = -EIO;
	if (err) {
		atomic_file_abort(af);
		if (err == -EIO)
			return errmsg_set(e, err, "%s: write failed", af->shown);
		return err;
	}
	return atomic_file_commit(af, e);
}

int atomic_write_with(const char *path, int (*fn)(FILE *f, const void *arg), const void *arg,
		      struct errmsg *e)
{
	struct atomic_file af;
	int err = atomic_file_open(&af, path, e);

	return err ? err : write_with(&af, fn, arg, e);
}

int atomic_write_with_at(int dirfd, const char *shown, const char *name,
			 int (*fn)(FILE *f, const void *arg), const void *arg, struct errmsg *e)
{
	struct atomic_file af;
	int err = atomic_file_openat(&af, dirfd, shown, name, e);

	return err ? err : write_with(&af, fn, arg, e);
}

int atomic_write_json(const char *path, json_t *obj, struct errmsg *e)
{
	return atomic_write_with(path, dump_json, obj, e);
}

int atomic_write_json_at(int dirfd, const char *shown, const char *name, json_t *obj,
			 struct errmsg *e)
{
	return atomic_write_with_at(dirfd, shown, name, dump_json, obj, e);
}

int mkdir_p(const char *dir, struct errmsg *e)
{
	int fd = safe_dir_open(dir, SAFE_DIR_CREATE, e);

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}
