/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A kernel's files on disk, through its source's ops (vm/kernel_source.h):
 * a Debian package fetched with apt (ksrc_debian.c), a local image
 * (ksrc_local.c), or nothing for the running kernel.
 *
 * Cache layout ($MLOCKBENCH_CACHE, default ~/.cache/mlockbench):
 *   apt/sources.list apt/lists/ apt/cache/ debs/
 *   kernels/<package>_<version>/     the unpacked package
 *   kernels/<id>.resolved            "package version folder" of the last fetch
 */
#ifndef MLB_FETCH_H
#define MLB_FETCH_H

#include <stdbool.h>

#include "common/errmsg.h"
#include "vm/descriptor.h"

struct kernel_files {
	char package[256];	/* resolved package name ("" for local/native) */
	char version[128];	/* package version */
	char root[1024];	/* unpacked package folder */
	char image[1024];	/* vmlinuz / bzImage */
	char modules[1024];	/* lib/modules/<release> or "" */
	char release[128];	/* kernel release from the file name, if known */
	bool from_cache;	/* no network was used */
};

/* The cache folder (created on demand by the fetch). */
int fetch_cache_dir(char *buf, size_t len);

/* The source has files to fetch or find (false: the running kernel). */
bool kernel_has_files(const struct kernel_desc *d);

/*
 * Make the kernel's files available.  Reuses the cache unless @refresh; a
 * source with a network fetch goes to the network only when nothing is cached.
 */
int kernel_fetch(const struct kernel_desc *d, bool refresh, struct kernel_files *kf,
		 struct errmsg *e);

/* Only look: 0 when the files are cached (or local and present, or none needed). */
int kernel_cached(const struct kernel_desc *d, struct kernel_files *kf, struct errmsg *e);

#endif
