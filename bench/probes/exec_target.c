// SPDX-License-Identifier: GPL-2.0
/*
 * The exec workload's target (issue 10, --workload exec): at release each
 * locker execve()s this program, so the old mm is torn down by exec_mmap ->
 * mmput, the third teardown path beside exit and munmap.  Linked static,
 * so that its own cost (no dynamic loader, no libraries mapped) is as small
 * as a program's can be; it touches nothing and exits 0 at once.
 */
#include <unistd.h>

int main(void)
{
	_exit(0);
}
