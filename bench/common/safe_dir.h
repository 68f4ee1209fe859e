/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output folders that root can write into without following a link.
 *
 * The path is resolved once (realpath of the part that exists), then every
 * folder on the resolved path is opened again from "/" with O_NOFOLLOW and
 * checked: no user other than root and the caller may be able to rename an
 * entry in it (owned by root or the caller; writable by group or others
 * only when sticky, like /tmp), so nobody can swap a link in later for the
 * tools that write by path (perf record, gnuplot).  Folders that do not
 * exist yet are made with mkdirat() and opened with O_NOFOLLOW.  The
 * folder itself must not be a link.
 *
 * Errors (-errno, said in e): -ENAMETOOLONG, -ENOTDIR (a component is a
 * file), -ELOOP (the folder is a link), -EPERM (owned by another user, or
 * writable by others: unsafe), -EACCES / -EROFS (the machine will not let
 * us), -ENOENT (missing and not to be created).
 */
#ifndef MLB_SAFE_DIR_H
#define MLB_SAFE_DIR_H

#include "common/errmsg.h"

enum safe_dir_flags {
	SAFE_DIR_CREATE = 1,	/* make the missing folders (mkdir -p) */
	/*
	 * The folder itself may be shared (root's, sticky): it only holds a
	 * file we create (compare -o, gate --junit).  Without it the folder
	 * is one we fill and must be the caller's, writable by nobody else.
	 */
	SAFE_DIR_SHARED = 2,
	/* check only: create nothing, but prove that creating would work */
	SAFE_DIR_PROBE = 4,
};

/*
 * Open (and with SAFE_DIR_CREATE make) the folder PATH for writing:
 * returns a directory fd (O_RDONLY | O_DIRECTORY | O_CLOEXEC) or -errno.
 * With SAFE_DIR_PROBE nothing is created and 0 is returned on success (no
 * fd): a folder that exists is checked and a file is created and removed
 * in it; a missing one is checked by making and removing a folder where
 * it would be created.
 */
int safe_dir_open(const char *path, int flags, struct errmsg *e);

/*
 * Write NBYTES random bytes as hex into BUF (room for 2 * NBYTES + 1),
 * for temporary names nobody can guess.
 */
void safe_random_hex(char *buf, size_t nbytes);

#endif
