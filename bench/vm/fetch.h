/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel images on disk: Debian packages fetched with apt-get download
 * through a private apt configuration (its own sources list, lists and
 * cache under the cache folder; the machine's apt state is never touched),
 * unpacked with dpkg-deb -x; or a local image.
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

/*
 * The Debian mirror this machine's apt uses: the first non-security URI of
 * /etc/apt/sources.list.d/ *.sources or /etc/apt/sources.list.  $MLOCKBENCH_MIRROR
 * overrides.  @root: "" for /, else a prefix (tests).
 */
int fetch_find_mirror(const char *root, char *buf, size_t len, struct errmsg *e);

/* Pick the newest of @names (one a line) matching the anchored regex @pattern. */
int fetch_pick_newest(const char *names, const char *pattern, char *out, size_t len,
		      struct errmsg *e);

/*
 * Make the kernel's files available.  Reuses the cache unless @refresh; for
 * Debian kernels goes to the network only when nothing is cached.
 */
int kernel_fetch(const struct kernel_desc *d, bool refresh, struct kernel_files *kf,
		 struct errmsg *e);

/* Only look: 0 when the files are cached (or local and present), -ENOENT otherwise. */
int kernel_cached(const struct kernel_desc *d, struct kernel_files *kf, struct errmsg *e);

#endif
