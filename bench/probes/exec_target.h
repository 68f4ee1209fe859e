/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exec workload's target program (exec_target.c, built static as the
 * CMake target of this name): it lives beside the mlockbench binary, in
 * the build folder natively and in /bin of a guest's initramfs.
 */
#ifndef MLB_EXEC_TARGET_H
#define MLB_EXEC_TARGET_H

#define MLB_EXEC_TARGET_NAME "mlb-exec-target"

#endif
