/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Runs grouped into series: the folders of one kernel identity
 * (identity.h), in the order of first appearance.  A series is one kernel
 * and one job: folders of one kernel whose configurations differ are
 * refused, since their runs would not be replicates of one measurement.
 */
#ifndef MLB_RESULT_RUN_GROUP_H
#define MLB_RESULT_RUN_GROUP_H

#include <stddef.h>

#include "common/errmsg.h"
#include "result/identity.h"

struct run_group {
	struct kernel_identity id;	/* of runs[0] */
	char label[128];		/* runs[0]'s label */
	struct result_folder **runs;	/* borrowed folders, in the order given */
	size_t nruns;
};

/*
 * Group @nf folders by kernel identity into *@out (*@ng groups, caller
 * frees with run_groups_free).  -EINVAL with one line naming the
 * difference when two runs of one kernel ran different jobs, or when a
 * folder is given twice; -ENOMEM.
 */
int run_groups_build(struct result_folder **f, size_t nf, struct run_group **out, size_t *ng,
		     struct errmsg *e);
/*
 * All @nf folders as one group (a gate side); -EINVAL naming the field
 * when they are not one kernel identity or not one job.
 */
int run_group_single(struct result_folder **f, size_t nf, struct run_group *g,
		     struct errmsg *e);
void run_group_release(struct run_group *g);
void run_groups_free(struct run_group *g, size_t ng);

#endif
