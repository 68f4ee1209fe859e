// SPDX-License-Identifier: GPL-2.0
/*
 * exec: at the release each locker execve()s mlb-exec-target, a static
 * program that exits at once.  The old mm is torn down by exec_mmap ->
 * mmput -> exit_mmap in the execing task, before the new program runs:
 * the third teardown path beside exit and munmap.  Timed from the release
 * until the target is reaped, so its own start and exit (a static
 * program's, about 700 KiB mapped, nothing locked) are in the figure.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/self_exe.h"
#include "engine/workload.h"
#include "probes/exec_target.h"

/* Beside the running binary, never through $PATH; checked, then run by fd. */
static int open_target(struct errmsg *e)
{
	char path[PATH_MAX];
	int ret = self_exe_sibling(MLB_EXEC_TARGET_NAME, path, sizeof(path));

	if (ret)
		return errmsg_set(e, ret, "cannot find my own binary: %s", strerror(-ret));
	ret = open_trusted_program(path, e);
	if (ret < 0)
		return errmsg_prefix(e, ret, "--workload exec runs " MLB_EXEC_TARGET_NAME
				     " from beside this binary (it is built with it)");
	return ret;
}

/* On the running machine: refuse before anything is forked. */
static int exec_validate(const struct job *j, const struct job_limits *l, struct errmsg *e)
{
	int fd;

	if (!l)
		return 0;	/* a guest checks its own copy */
	fd = open_target(e);
	/* a missing or untrusted file is the machine's fault: exit 3, not 2 */
	if (fd < 0)
		return errmsg_prefix(e, fd == -ENOENT || fd == -EPERM ? -ENOEXEC : fd,
				     "job '%s'", j->name);
	close(fd);
	return 0;
}

static int exec_setup(struct locker_area *a, const char **step)
{
	int fd = open_target(NULL);

	*step = "open " MLB_EXEC_TARGET_NAME;
	if (fd < 0)
		return fd;
	a->priv[0] = fd;
	return 0;
}

/*
 * Returns only when the exec failed: the engine reports that locker's
 * errno.  Through the fd's /proc link, the file checked at set-up: on
 * Debian's 5.10 execveat(fd, "", AT_EMPTY_PATH) of it fails with ENOENT
 * in the guest, and one way on every kernel keeps the timing comparable.
 */
static int exec_teardown(struct locker_area *a, uint64_t *call_ns)
{
	char *const argv[] = { MLB_EXEC_TARGET_NAME, NULL };
	char *const envp[] = { NULL };
	char path[32];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", (int)a->priv[0]);
	execve(path, argv, envp);
	return -errno;
}

const struct workload_ops exec_workload = {
	.version = WORKLOAD_OPS_VERSION,
	.name = "exec",
	.help = "lockers execve() a tiny static program (" MLB_EXEC_TARGET_NAME
		"); exec_mmap tears the old mm down",
	.validate = exec_validate,
	.setup = exec_setup,
	.teardown = exec_teardown,
	.teardown_clock = WORKLOAD_CLOCK_REAP,
	.teardown_timed = "release to the target reaped",
};
