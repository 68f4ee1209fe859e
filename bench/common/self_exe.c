// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/self_exe.h"

int sibling_path(const char *binary, const char *name, char *buf, size_t len)
{
	const char *slash = strrchr(binary, '/');
	int dir = slash ? (int)(slash - binary) : 1;
	int n;

	n = snprintf(buf, len, "%.*s/%s", dir, slash ? binary : ".", name);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int self_exe_sibling(const char *name, char *buf, size_t len)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		return n < 0 ? -errno : -ENOENT;
	self[n] = '\0';
	return sibling_path(self, name, buf, len);
}

static int check_program(int fd, const char *path, struct errmsg *e)
{
	struct stat st, self;

	if (fstat(fd, &st) || stat("/proc/self/exe", &self))
		return errmsg_set(e, -errno, "%s: stat: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode) || !(st.st_mode & S_IXUSR))
		return errmsg_set(e, -ENOEXEC, "%s is not an executable file", path);
	/* root executes it: only who could replace the harness itself may own it */
	if ((st.st_uid && st.st_uid != self.st_uid) || (st.st_mode & (S_IWGRP | S_IWOTH)))
		return errmsg_set(e, -EPERM,
				  "%s is owned by uid %u or writable by others: refusing to execute it",
				  path, (unsigned int)st.st_uid);
	return 0;
}

int open_trusted_program(const char *path, struct errmsg *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	int ret;

	if (fd < 0)
		return errmsg_set(e, -errno, "%s: %s", path, strerror(errno));
	ret = check_program(fd, path, e);
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}
