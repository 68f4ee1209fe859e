// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/safe_dir.h"

/* room left under PATH_MAX for the names written inside (perf-c<id>.data, temp names) */
#define NAME_ROOM 64

void safe_random_hex(char *buf, size_t nbytes)
{
	unsigned char r[32];
	size_t i;

	if (nbytes > sizeof(r))
		nbytes = sizeof(r);
	if (getrandom(r, nbytes, GRND_NONBLOCK) != (ssize_t)nbytes) {
		/* no entropy yet: O_EXCL | O_NOFOLLOW still refuse a planted name */
		struct timespec ts;
		uint64_t x;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		x = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 40);
		for (i = 0; i < nbytes; i++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			r[i] = x >> 56;
		}
	}
	for (i = 0; i < nbytes; i++)
		snprintf(buf + 2 * i, 3, "%02x", r[i]);
	buf[2 * nbytes] = '\0';
}

/* -EPERM is kept for "unsafe"; the kernel's own refusals are permission problems */
static int sys_err(int err)
{
	return err == EPERM ? -EACCES : -err;
}

static int say(struct errmsg *e, int err, const char *what, const char *path)
{
	return errmsg_set(e, err, "%s %s: %s", what, path, strerror(-err));
}

/*
 * Can anyone but root and us rename an entry of this folder, or, for the
 * folder we fill (@ours), write into it at all?
 */
static int check_dir(const struct stat *st, const char *shown, bool final, int flags,
		     struct errmsg *e)
{
	uid_t me = geteuid();
	bool ours = final && !(flags & SAFE_DIR_SHARED);

	if (!S_ISDIR(st->st_mode))
		return errmsg_set(e, -ENOTDIR, "%s: not a folder", shown);
	if (ours) {
		if (st->st_uid != me)
			return errmsg_set(e, -EPERM, "%s: owned by uid %u, not by uid %u that runs "
					  "mlockbench; refusing to write there", shown,
					  (unsigned int)st->st_uid, (unsigned int)me);
		if (st->st_mode & (S_IWGRP | S_IWOTH))
			return errmsg_set(e, -EPERM, "%s: group or others can write it (mode %04o); "
					  "refusing to write there (chmod go-w)", shown,
					  (unsigned int)(st->st_mode & 07777));
		return 0;
	}
	if (st->st_uid != me && st->st_uid != 0)
		return errmsg_set(e, -EPERM, "%s: owned by uid %u, who could swap what is written "
				  "below it; refusing to write there", shown,
				  (unsigned int)st->st_uid);
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) && !(st->st_mode & S_ISVTX))
		return errmsg_set(e, -EPERM, "%s: group or others can write it and it is not "
				  "sticky; refusing to write below it", shown);
	return 0;
}

/* Open NAME in FD (O_PATH, no link followed) and check it; the new fd or -errno. */
static int step(int fd, const char *name, const char *shown, bool final, int flags,
		struct errmsg *e)
{
	struct stat st;
	int nfd, err;

	nfd = openat(fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (nfd < 0) {
		if (errno == ELOOP || errno == ENOTDIR)
			return errmsg_set(e, -ELOOP, "%s: changed into a link or a file while "
					  "being checked", shown);
		return say(e, sys_err(errno), "cannot open", shown);
	}
	if (fstat(nfd, &st)) {
		err = sys_err(errno);
		close(nfd);
		return say(e, err, "cannot stat", shown);
	}
	err = check_dir(&st, shown, final, flags, e);
	if (err) {
		close(nfd);
		return err;
	}
	return nfd;
}

/* Create and remove a file (or, @as_dir, a folder) in FD: can we write there? */
static int probe(int fd, bool as_dir, const char *shown, struct errmsg *e)
{
	char name[64], hex[33];
	int t, err = 0;

	safe_random_hex(hex, 8);
	snprintf(name, sizeof(name), ".mlockbench-probe-%s", hex);
	if (as_dir) {
		if (mkdirat(fd, name, 0700))
			err = sys_err(errno);
		else
			unlinkat(fd, name, AT_REMOVEDIR);
	} else {
		t = openat(fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (t < 0) {
			err = sys_err(errno);
		} else {
			close(t);
			unlinkat(fd, name, 0);
		}
	}
	if (err)
		return errmsg_set(e, err, "%s: cannot write there: %s", shown, strerror(-err));
	return 0;
}

/*
 * Split WANT into the longest prefix that exists (BASE) and the rest;
 * returns the offset of the rest in WANT (strlen(WANT) when it all exists).
 */
static int existing_prefix(const char *want, char *base, size_t len, size_t *rest,
			   struct errmsg *e)
{
	struct stat st;
	char *cut;

	snprintf(base, len, "%s", want);
	*rest = strlen(want);
	while (stat(base, &st)) {
		if (errno != ENOENT)
			return say(e, sys_err(errno), "cannot use", want);
		cut = strrchr(base, '/');
		if (!cut) {
			*rest = 0;
			snprintf(base, len, ".");
			return 0;
		}
		*rest = cut - base + 1;
		if (cut == base) {
			base[1] = '\0';
			return 0;
		}
		*cut = '\0';
	}
	return 0;
}

/* Copy PATH into WANT without trailing slashes; refuse a link or a non-folder there. */
static int normalize_request(const char *path, char *want, size_t len, struct errmsg *e)
{
	size_t n = strlen(path);
	struct stat st;

	if (!n)
		return errmsg_set(e, -EINVAL, "empty folder name");
	if (n >= PATH_MAX - NAME_ROOM)
		return errmsg_set(e, -ENAMETOOLONG, "%.40s...: path too long (%zu characters, "
				  "at most %d)", path, n, PATH_MAX - NAME_ROOM - 1);
	snprintf(want, len, "%s", path);
	while (n > 1 && want[n - 1] == '/')
		want[--n] = '\0';
	if (!lstat(want, &st)) {
		if (S_ISLNK(st.st_mode))
			return errmsg_set(e, -ELOOP, "%s: is a symbolic link; give the folder "
					  "itself", path);
		if (!S_ISDIR(st.st_mode))
			return errmsg_set(e, -ENOTDIR, "%s: exists and is not a folder", path);
	} else if (errno != ENOENT) {
		return say(e, errno == ENOTDIR ? -ENOTDIR : sys_err(errno), "cannot use", path);
	}
	return 0;
}

/*
 * Open the part of WANT that exists, every folder from / down opened again
 * without following links (realpath alone would race a swapped link).
 * Sets *REST to the offset of the missing part; returns an O_PATH fd or -errno.
 */
static int open_existing(const char *path, const char *want, size_t *rest, int flags,
			 struct errmsg *e)
{
	char base[PATH_MAX], canon[PATH_MAX], cpath[PATH_MAX], shown[PATH_MAX];
	char *comp, *save = NULL;
	struct stat st;
	int fd, nfd, err;
	size_t at;
	bool final;

	err = existing_prefix(want, base, sizeof(base), rest, e);
	if (err)
		return err;
	if (!realpath(base, canon))
		return say(e, errno == ENOTDIR ? -ENOTDIR : sys_err(errno), "cannot resolve", base);
	if (strlen(canon) + 1 + strlen(want + *rest) >= PATH_MAX - NAME_ROOM)
		return errmsg_set(e, -ENAMETOOLONG, "%.40s...: path too long once resolved",
				  path);

	fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return say(e, sys_err(errno), "cannot open", "/");
	if (fstat(fd, &st) ||
	    (err = check_dir(&st, "/", !strcmp(canon, "/") && !want[*rest], flags, e))) {
		close(fd);
		return err ? err : say(e, sys_err(errno), "cannot stat", "/");
	}
	snprintf(cpath, sizeof(cpath), "%s", canon);
	for (comp = strtok_r(canon, "/", &save); comp; comp = strtok_r(NULL, "/", &save)) {
		at = comp - canon + strlen(comp);
		snprintf(shown, sizeof(shown), "%.*s", (int)at, cpath);
		final = !*save && !want[*rest];
		nfd = step(fd, comp, final ? path : shown, final, flags, e);
		close(fd);
		if (nfd < 0)
			return nfd;
		fd = nfd;
	}
	return fd;
}

/* A name of a folder that does not exist yet: no "." or ".." to resolve later. */
static int check_missing_name(const char *comp, const char *path, struct errmsg *e)
{
	if (strlen(comp) > NAME_MAX)
		return errmsg_set(e, -ENAMETOOLONG, "%.40s...: a folder name is longer "
				  "than %d characters", path, NAME_MAX);
	if (!strcmp(comp, ".") || !strcmp(comp, ".."))
		return errmsg_set(e, -EINVAL, "%s: '%s' after a folder that does not exist",
				  path, comp);
	return 0;
}

/*
 * SAFE_DIR_PROBE: would the folders in TAIL (under FD, which this closes)
 * be creatable?  The first missing folder tells; the other names are only checked.
 */
static int probe_missing(int fd, char *tail, const char *path, struct errmsg *e)
{
	char *comp, *save = NULL;
	int err;

	for (comp = strtok_r(tail, "/", &save); comp; comp = strtok_r(NULL, "/", &save)) {
		err = check_missing_name(comp, path, e);
		if (err) {
			if (fd >= 0)
				close(fd);
			return err;
		}
		if (fd >= 0) {
			err = probe(fd, true, path, e);
			close(fd);
			fd = -1;
			if (err)
				return err;
		}
	}
	if (fd < 0)
		return 0;
	err = probe(fd, false, path, e);
	close(fd);
	return err;
}

/* Create the folders in TAIL under FD (which this closes); returns the last one's fd. */
static int create_missing(int fd, char *tail, const char *path, int flags, struct errmsg *e)
{
	char *comp, *save = NULL;
	bool final;
	int nfd, err;

	for (comp = strtok_r(tail, "/", &save); comp; comp = strtok_r(NULL, "/", &save)) {
		final = !*save;
		err = check_missing_name(comp, path, e);
		if (err) {
			close(fd);
			return err;
		}
		if (!(flags & SAFE_DIR_CREATE)) {
			close(fd);
			return errmsg_set(e, -ENOENT, "%s: no such folder", path);
		}
		if (mkdirat(fd, comp, 0755) && errno != EEXIST) {
			err = sys_err(errno);
			close(fd);
			return errmsg_set(e, err, "cannot create %s: %s", path, strerror(-err));
		}
		nfd = step(fd, comp, path, final, flags, e);
		close(fd);
		if (nfd < 0)
			return nfd;
		fd = nfd;
	}
	return fd;
}

int safe_dir_open(const char *path, int flags, struct errmsg *e)
{
	char want[PATH_MAX];
	int fd, nfd, err;
	size_t rest;

	err = normalize_request(path, want, sizeof(want), e);
	if (err)
		return err;
	fd = open_existing(path, want, &rest, flags, e);
	if (fd < 0)
		return fd;
	if (flags & SAFE_DIR_PROBE)
		return probe_missing(fd, want + rest, path, e);
	fd = create_missing(fd, want + rest, path, flags, e);
	if (fd < 0)
		return fd;
	nfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	err = nfd < 0 ? sys_err(errno) : 0;
	close(fd);
	if (err)
		return say(e, err, "cannot open", path);
	return nfd;
}
