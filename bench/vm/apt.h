/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Debian packages through a private apt configuration: its own sources
 * list, lists and cache under the cache folder, so the machine's apt state
 * is never touched.  Used by the debian kernel source (ksrc_debian.c).
 */
#ifndef MLB_APT_H
#define MLB_APT_H

#include <stddef.h>

#include "common/errmsg.h"

/*
 * The Debian mirror this machine's apt uses: the first non-security URI of
 * /etc/apt/sources.list.d/ *.sources or /etc/apt/sources.list.  $MLOCKBENCH_MIRROR
 * overrides.  @root: "" for /, else a prefix (tests).
 */
int fetch_find_mirror(const char *root, char *buf, size_t len, struct errmsg *e);

/* Pick the newest of @names (one a line) matching the anchored regex @pattern. */
int fetch_pick_newest(const char *names, const char *pattern, char *out, size_t len,
		      struct errmsg *e);

struct apt {
	char cache[1024];		/* the mlockbench cache folder */
	char dir[1100];			/* <cache>/apt */
	char log[1200];			/* <cache>/apt/apt.log */
	char o_list[1200], o_lists[1200], o_cache[1200];
};

/* The private configuration for one suite (writes its sources.list); @why names it. */
int apt_open(struct apt *a, const char *suite, const char *why, struct errmsg *e);
/* apt-get update; -ENETUNREACH when no package list for @suite arrived. */
int apt_update(struct apt *a, const char *suite, struct errmsg *e);
/* The newest package whose name matches the anchored regex @pattern. */
int apt_newest(struct apt *a, const char *pattern, char *out, size_t len, struct errmsg *e);
/* apt-get download into <cache>/debs: the .deb's path and its version. */
int apt_download(struct apt *a, const char *package, char *deb, size_t deblen,
		 char *version, size_t vlen, struct errmsg *e);
/* dpkg-deb -x into @root (a temporary folder renamed into place, then @root/.complete). */
int deb_unpack(const char *deb, const char *root, struct errmsg *e);

#endif
