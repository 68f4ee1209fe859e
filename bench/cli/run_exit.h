/* SPDX-License-Identifier: GPL-2.0 */
/* Exit statuses of run for errors whose class the errno alone does not tell. */
#ifndef MLB_RUN_EXIT_H
#define MLB_RUN_EXIT_H

/*
 * A collector could not open (-errno @err): no permission (EACCES, EPERM:
 * perf as nobody, tracefs not writable), nothing to open (ENOENT, ENODEV,
 * EOPNOTSUPP, ENOSYS: no perf, no PMU, no kprobes), busy (EBUSY: another
 * run owns tracefs) or out of resources.  This machine or this user cannot
 * do it: MLB_EXIT_HARNESS, before or after the folder exists.  Only a job
 * naming too many collectors (E2BIG) is bad input.
 */
int collector_open_exit_status(int err);

#endif
