/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Files that ship beside the running binary (the exec workload's target),
 * found from /proc/self/exe: never through $PATH, which root must not
 * trust.
 */
#ifndef MLB_SELF_EXE_H
#define MLB_SELF_EXE_H

#include <stddef.h>

#include "common/errmsg.h"

/* "<folder of @binary>/<name>" into @buf; -ENAMETOOLONG when it does not fit. */
int sibling_path(const char *binary, const char *name, char *buf, size_t len);
/* The same beside /proc/self/exe; -errno of readlink. */
int self_exe_sibling(const char *name, char *buf, size_t len);

/*
 * Open @path to execute it: a regular file with an execute bit, owned by
 * root or by the owner of the running binary, writable by nobody else.
 * Returns the fd (O_RDONLY|O_CLOEXEC|O_NOFOLLOW) or -errno with @e saying
 * what is wrong.
 */
int open_trusted_program(const char *path, struct errmsg *e);

#endif
