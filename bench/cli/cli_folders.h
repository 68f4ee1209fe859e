/* SPDX-License-Identifier: GPL-2.0 */
/* What compare, gate and plot share: --metric lists and result folders. */
#ifndef MLB_CLI_FOLDERS_H
#define MLB_CLI_FOLDERS_H

#include <stdbool.h>
#include <stddef.h>

#include "result/reader.h"

/*
 * Append the comma list LIST (cut up in place) to METRICS, which holds *N of
 * at most MAX; -E2BIG, said on stderr as "mlockbench CMD: ...", when full.
 */
int cli_add_metrics(const char *cmd, char *list, const char **metrics, size_t *n, size_t max);

/*
 * Load the N folders DIRS into *F (*NF of them loaded); on an error it is
 * said on stderr and -errno returned, and what was loaded is still for
 * cli_free_folders.  A folder without manifest.json expands: a campaign
 * folder (campaign.json) to every complete boot it lists, in run order (a
 * campaign of the older layout, one folder per kernel, to those folders);
 * a campaign's kernel folder to its complete boot-N folders, by N.  Runs
 * that are not complete are left out with a note (all of them kept with
 * ALLOW_INCOMPLETE); none left is an error.
 */
int cli_load_folders(const char *cmd, char **dirs, size_t n, bool allow_incomplete,
		     struct result_folder ***f, size_t *nf);
void cli_free_folders(struct result_folder **f, size_t nf);

#endif
