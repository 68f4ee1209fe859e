// SPDX-License-Identifier: GPL-2.0
/*
 * source = debian: the newest package matching a regex in a Debian suite,
 * fetched with apt-get download through a private apt configuration and
 * unpacked into the cache; booted in QEMU.
 */
#include <errno.h>
#include <glob.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/atomic_file.h"
#include "vm/apt.h"
#include "vm/descriptor.h"
#include "vm/fetch.h"
#include "vm/kernel_run.h"
#include "vm/kernel_source.h"

#define KEY(n, req, p) { #n, offsetof(struct kernel_desc, n), \
			 sizeof(((struct kernel_desc *)0)->n), req, p }

static void debian_describe(const struct kernel_desc *d, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s", d->package, d->suite);
}

static void resolved_path(const char *cache, const char *id, char *buf, size_t len)
{
	snprintf(buf, len, "%s/kernels/%s.resolved", cache, id);
}

/* Fill image/modules/release from an unpacked package root. */
static int locate_image(struct kernel_files *kf, struct errmsg *e)
{
	char pat[1100];
	glob_t g;

	snprintf(pat, sizeof(pat), "%s/boot/vmlinuz-*", kf->root);
	if (glob(pat, 0, NULL, &g) || !g.gl_pathc)
		return errmsg_set(e, -ENOENT, "no boot/vmlinuz-* in %s", kf->root);
	snprintf(kf->image, sizeof(kf->image), "%s", g.gl_pathv[g.gl_pathc - 1]);
	globfree(&g);
	snprintf(kf->release, sizeof(kf->release), "%s", strrchr(kf->image, '/') + 9);
	snprintf(kf->modules, sizeof(kf->modules), "%s/lib/modules/%s", kf->root, kf->release);
	if (access(kf->modules, F_OK))
		kf->modules[0] = '\0';
	return 0;
}

static int debian_cached(const struct kernel_desc *d, struct kernel_files *kf,
			 struct errmsg *e)
{
	char cache[1024], path[1200];
	FILE *f;
	int n;

	if (fetch_cache_dir(cache, sizeof(cache)))
		return errmsg_set(e, -ENOENT, "no cache folder");
	resolved_path(cache, d->id, path, sizeof(path));
	f = fopen(path, "r");
	if (!f)
		return errmsg_set(e, -ENOENT, "%s: %s not in the cache", d->id, d->package);
	n = fscanf(f, "%255s %127s %1023s", kf->package, kf->version, kf->root);
	fclose(f);
	if (n != 3)
		return errmsg_set(e, -ENOENT, "%s: bad cache record %s", d->id, path);
	snprintf(path, sizeof(path), "%s/.complete", kf->root);
	if (access(path, F_OK))
		return errmsg_set(e, -ENOENT, "%s: cached unpack %s incomplete", d->id, kf->root);
	kf->from_cache = true;
	return locate_image(kf, e);
}

/* "PACKAGE VERSION ROOT": what a descriptor id resolved to, for offline reuse. */
static int write_resolved(FILE *f, const void *arg)
{
	const struct kernel_files *kf = arg;

	return fprintf(f, "%s %s %s\n", kf->package, kf->version, kf->root) < 0 ? -EIO : 0;
}

/* kernels/<id>.resolved: which package and folder the descriptor resolved to. */
static int write_record(const struct apt *a, const struct kernel_desc *d,
			const struct kernel_files *kf, struct errmsg *e)
{
	char path[1200];

	resolved_path(a->cache, d->id, path, sizeof(path));
	return atomic_write_with(path, write_resolved, kf, e);
}

static int debian_fetch(const struct kernel_desc *d, bool refresh, struct kernel_files *kf,
			struct errmsg *e)
{
	char deb[1300];
	struct errmsg sub;
	struct apt a;
	int err;

	if (!refresh && !debian_cached(d, kf, &sub))
		return 0;
	memset(kf, 0, sizeof(*kf));
	err = apt_open(&a, d->suite, d->id, e);
	if (err)
		return err;
	err = apt_update(&a, d->suite, e);
	if (err == -EINTR)
		return err;
	if (err)
		return errmsg_set(e, -ENETUNREACH,
				  "cannot fetch %s (%s): apt-get update failed (offline?) and nothing cached; see %s",
				  d->package, d->suite, a.log);
	err = apt_newest(&a, d->package, kf->package, sizeof(kf->package), &sub);
	if (err)
		return errmsg_set(e, err, "%s: %s in %s: %s", d->id, d->package, d->suite,
				  sub.buf);
	err = apt_download(&a, kf->package, deb, sizeof(deb), kf->version, sizeof(kf->version),
			   e);
	if (err)
		return err;
	snprintf(kf->root, sizeof(kf->root), "%s/kernels/%s_%s", a.cache, kf->package,
		 kf->version);
	err = deb_unpack(deb, kf->root, e);
	if (!err)
		err = write_record(&a, d, kf, e);
	return err ? err : locate_image(kf, e);
}

const struct kernel_source_ops ksrc_debian = {
	.name = "debian",
	.help = "a Debian kernel package (package = REGEX, suite = SUITE), fetched with apt",
	.keys = { KEY(package, true, false), KEY(suite, true, false) },
	.describe = debian_describe,
	.cached = debian_cached,
	.fetch = debian_fetch,
	.check_tools = vm_check_tools,
	.run = vm_run_kernel,
	/* the cloud kernel boots without modules, and they are large */
	.guest_modules = false,
};
