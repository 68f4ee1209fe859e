/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a campaign's kernel comes from and how its jobs run on it: one
 * file per source (ksrc_debian.c, ksrc_local.c, ksrc_native.c) filling
 * these ops, listed in ksrc_registry.c.  A new source is one file plus one
 * line there.  The descriptor parser, `kernel list|show|fetch` and the
 * campaign know sources only through this table.
 */
#ifndef MLB_KERNEL_SOURCE_H
#define MLB_KERNEL_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/errmsg.h"

struct kernel_desc;
struct kernel_files;
struct kernel_run;

/* A descriptor key only this source takes: a string field of kernel_desc. */
struct kdesc_key {
	const char *name;
	size_t offset, size;	/* where in struct kernel_desc */
	bool required;
	bool path;		/* a relative value is relative to the descriptor */
};

#define KSRC_KEYS_MAX 4

struct kernel_source_ops {
	const char *name;		/* the descriptor's source = NAME */
	const char *help;		/* one line for `kernel --help` */
	struct kdesc_key keys[KSRC_KEYS_MAX];	/* ends at a NULL name */
	/* "what" for `kernel list` and progress lines: a package, an image... */
	void (*describe)(const struct kernel_desc *d, char *buf, size_t len);
	/*
	 * Only look: 0 when the files are there (kf filled), -ENOENT with a
	 * message otherwise.  NULL: nothing to fetch (the running kernel).
	 */
	int (*cached)(const struct kernel_desc *d, struct kernel_files *kf, struct errmsg *e);
	/* Make the files available; may use the network.  NULL: like cached. */
	int (*fetch)(const struct kernel_desc *d, bool refresh, struct kernel_files *kf,
		     struct errmsg *e);
	/* The machine has what run needs (qemu...): -errno and the fix otherwise. */
	int (*check_tools)(struct errmsg *e);
	/* Run the campaign's jobs on this kernel into kr->staging (vm_run.c or native). */
	void (*run)(struct kernel_run *kr);
	/* The VM gets the descriptor's modules folder (kf->modules) in /lib/modules. */
	bool guest_modules;
};

extern const struct kernel_source_ops *const kernel_sources[];

/* NULL when no source has that name. */
const struct kernel_source_ops *kernel_source_find(const char *name);
/* The source (if any) that takes descriptor key @key: for "source X takes no KEY". */
const struct kernel_source_ops *kernel_source_with_key(const char *key,
							const struct kdesc_key **k);
/* "debian, local or native" */
void kernel_source_names(char *buf, size_t len);

#endif
