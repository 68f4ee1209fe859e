/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel descriptors: kernels/<id>.ini, one [kernel] section:
 *
 *   id              = debian-6.1           (must match the file name)
 *   source          = debian | local | native   (vm/kernel_source.h)
 *   ...             the source's own keys (its ops' key table):
 *     package = linux-image-6.1.*-cloud-amd64-unsigned   (debian: a regex,
 *               anchored; the newest matching package wins)
 *     suite   = bookworm             (debian)
 *     image   = /path/to/bzImage     (local; relative to the descriptor)
 *     modules = /path/to/lib/modules/VERSION   (local, optional)
 *   expected_design = rmap-walk | mlock_count | unknown
 *   append          = extra kernel command line (optional)
 *   description     = free text (optional)
 */
#ifndef MLB_DESCRIPTOR_H
#define MLB_DESCRIPTOR_H

#include <stddef.h>

#include "common/errmsg.h"
#include "vm/kernel_source.h"

#define KDESC_STR 512

struct kernel_desc {
	char id[64];
	const struct kernel_source_ops *source;
	/* the sources' own keys (kdesc_key tables), "" when not given */
	char package[256];		/* debian */
	char suite[64];			/* debian */
	char image[KDESC_STR];		/* local */
	char modules[KDESC_STR];	/* local */
	char expected_design[32];	/* "" when not given */
	char append[KDESC_STR];
	char description[256];
	char path[KDESC_STR];		/* the descriptor file */
};

/* Parse one descriptor file; all errors say file:line and the key. */
int kdesc_load(const char *path, struct kernel_desc *d, struct errmsg *e);
/* Parse from a string (tests); @origin names it in messages. */
int kdesc_parse_string(const char *text, const char *origin, struct kernel_desc *d,
		       struct errmsg *e);

/* The descriptor folder: $MLOCKBENCH_KERNELS, else the source tree's kernels/. */
const char *kdesc_dir(void);
/* Load <dir>/<id>.ini. -ENOENT with a message listing nothing else. */
int kdesc_find(const char *id, struct kernel_desc *d, struct errmsg *e);

/* Every .ini file in the descriptor folder, sorted by id; caller frees *out. */
int kdesc_list(struct kernel_desc **out, size_t *n, struct errmsg *e);

#endif
