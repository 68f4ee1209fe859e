// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_folders.h"

int cli_add_metrics(const char *cmd, char *list, const char **metrics, size_t *n, size_t max)
{
	for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
		if (*n == max) {
			fprintf(stderr, "mlockbench %s: too many metrics\n", cmd);
			return -E2BIG;
		}
		metrics[(*n)++] = tok;
	}
	return 0;
}

int cli_load_folders(const char *cmd, char **dirs, size_t n, bool allow_incomplete,
		     struct result_folder ***f, size_t *nf)
{
	struct errmsg e = { "" };
	int err;

	*nf = 0;
	*f = calloc(n, sizeof(**f));
	if (!*f)
		return -ENOMEM;
	for (; *nf < n; (*nf)++) {
		err = result_folder_load(dirs[*nf], allow_incomplete, &(*f)[*nf], &e);
		if (err) {
			fprintf(stderr, "mlockbench %s: %s\n", cmd, e.buf);
			return err;
		}
	}
	return 0;
}

void cli_free_folders(struct result_folder **f, size_t nf)
{
	size_t i;

	for (i = 0; i < nf; i++)
		result_folder_free(f[i]);
	free(f);
}
