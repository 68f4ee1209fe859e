// SPDX-License-Identifier: GPL-2.0
/* Kernel and run identity of a result folder. */
#include <stdio.h>
#include <string.h>

#include "result/identity.h"

void kernel_identity_of(const struct result_folder *f, struct kernel_identity *k)
{
	k->release = f->release;
	k->version = f->kversion;
	k->design = f->design;
	k->kernel_id = f->kernel_id;
}

void run_identity_of(const struct result_folder *f, struct run_identity *r)
{
	r->boot_id = f->has_audit ? f->audit.boot_id : AUDIT_NA;
	r->start = f->start;
	r->path = f->path;
}

int kernel_identity_cmp(const struct kernel_identity *a, const struct kernel_identity *b,
			const char **field)
{
	const char *const names[] = { "release", "version", "design", "kernel_id" };
	const char *const av[] = { a->release, a->version, a->design, a->kernel_id };
	const char *const bv[] = { b->release, b->version, b->design, b->kernel_id };
	size_t i;

	for (i = 0; i < 4; i++)
		if (strcmp(av[i], bv[i])) {
			if (field)
				*field = names[i];
			return (int)i + 1;
		}
	return 0;
}

void kernel_identity_describe(const struct kernel_identity *k, char *buf, size_t len)
{
	snprintf(buf, len, "%s (kernel_id %s, design %s)", k->release[0] ? k->release : "?",
		 k->kernel_id[0] ? k->kernel_id : "?", k->design[0] ? k->design : "?");
}

/* The first configuration with values of @a that @b lacks, or NULL. */
static const struct result_config *only_in(const struct result_folder *a,
					   const struct result_folder *b)
{
	size_t i;

	for (i = 0; i < a->nconfigs; i++)
		if (a->configs[i].nseries && !result_folder_match(b, &a->configs[i]))
			return &a->configs[i];
	return NULL;
}

const struct result_config *result_folders_measured_otherwise(const struct result_folder *a,
							     const struct result_folder *b,
							     const struct result_config **other)
{
	size_t i;

	for (i = 0; i < a->nconfigs; i++) {
		const struct result_config *x = &a->configs[i];
		const struct result_config *y = result_folder_match(b, x);

		if (y && x->method[0] && y->method[0] && strcmp(x->method, y->method)) {
			*other = y;
			return x;
		}
	}
	return NULL;
}

bool result_folders_same_job(const struct result_folder *a, const struct result_folder *b,
			     char *why, size_t len)
{
	const struct result_config *c = only_in(a, b), *y;
	const struct result_folder *has = a, *lacks = b;
	char cfg[160];

	if (!c && (c = result_folders_measured_otherwise(a, b, &y))) {
		if (why) {
			result_config_describe(c, cfg, sizeof(cfg));
			snprintf(why, len, "%s measured %s with %s, %s with %s", a->path, cfg,
				 c->method, b->path, y->method);
		}
		return false;
	}

	if (!c) {
		c = only_in(b, a);
		has = b;
		lacks = a;
	}
	if (!c)
		return true;
	if (why) {
		result_config_describe(c, cfg, sizeof(cfg));
		snprintf(why, len, "%s has %s, %s does not", has->path, cfg, lacks->path);
	}
	return false;
}
