// SPDX-License-Identifier: GPL-2.0
/* Series of runs: folders grouped by kernel identity, one job per series. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "result/run_group.h"

static int group_add(struct run_group *g, struct result_folder *f, struct errmsg *e)
{
	char why[400];
	void *nr;
	size_t i;

	for (i = 0; i < g->nruns; i++)
		if (!strcmp(g->runs[i]->path, f->path))
			return errmsg_set(e, -EINVAL, "%s given twice", f->path);
	if (g->nruns && !result_folders_same_job(g->runs[0], f, why, sizeof(why)))
		return errmsg_set(e, -EINVAL, "runs of kernel %s ran different jobs: %s",
				  g->label, why);
	nr = realloc(g->runs, (g->nruns + 1) * sizeof(*g->runs));
	if (!nr)
		return errmsg_set(e, -ENOMEM, "out of memory");
	g->runs = nr;
	if (!g->nruns) {
		kernel_identity_of(f, &g->id);
		/* the reader's label before result_folders_unique_labels made it a run's */
		if (f->kernel_id[0] && strcmp(f->kernel_id, "native"))
			snprintf(g->label, sizeof(g->label), "%s", f->kernel_id);
		else
			snprintf(g->label, sizeof(g->label), "%s",
				 f->release[0] ? f->release : f->path);
	}
	g->runs[g->nruns++] = f;
	return 0;
}

int run_groups_build(struct result_folder **f, size_t nf, struct run_group **out, size_t *ng,
		     struct errmsg *e)
{
	struct run_group *g = calloc(nf ? nf : 1, sizeof(*g));
	size_t i, j, n = 0;
	int err;

	*out = NULL;
	*ng = 0;
	if (!g)
		return errmsg_set(e, -ENOMEM, "out of memory");
	for (i = 0; i < nf; i++) {
		struct kernel_identity k;

		kernel_identity_of(f[i], &k);
		for (j = 0; j < n; j++)
			if (!kernel_identity_cmp(&g[j].id, &k, NULL))
				break;
		for (size_t o = 0; o < n; o++)	/* twice in another series too */
			for (size_t r = 0; r < g[o].nruns; r++)
				if (o != j && !strcmp(g[o].runs[r]->path, f[i]->path)) {
					run_groups_free(g, n);
					return errmsg_set(e, -EINVAL, "%s given twice", f[i]->path);
				}
		err = group_add(&g[j], f[i], e);
		if (err) {
			run_groups_free(g, j == n ? n + 1 : n);
			return err;
		}
		n += j == n;
	}
	*out = g;
	*ng = n;
	return 0;
}

int run_group_single(struct result_folder **f, size_t nf, struct run_group *g,
		     struct errmsg *e)
{
	size_t i;
	int err;

	memset(g, 0, sizeof(*g));
	for (i = 0; i < nf; i++) {
		struct kernel_identity k;
		const char *field;

		kernel_identity_of(f[i], &k);
		if (i && kernel_identity_cmp(&g->id, &k, &field)) {
			char a[256], b[256];

			kernel_identity_describe(&g->id, a, sizeof(a));
			kernel_identity_describe(&k, b, sizeof(b));
			run_group_release(g);
			return errmsg_set(e, -EINVAL, "%s and %s are not one kernel (%s differs: "
					  "%s vs %s)", f[0]->path, f[i]->path, field, a, b);
		}
		err = group_add(g, f[i], e);
		if (err) {
			run_group_release(g);
			return err;
		}
	}
	return 0;
}

void run_group_release(struct run_group *g)
{
	free(g->runs);
	memset(g, 0, sizeof(*g));
}

void run_groups_free(struct run_group *g, size_t ng)
{
	size_t i;

	for (i = 0; g && i < ng; i++)
		run_group_release(&g[i]);
	free(g);
}
