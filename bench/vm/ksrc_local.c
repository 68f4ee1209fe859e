// SPDX-License-Identifier: GPL-2.0
/* source = local: an image someone built (image = PATH, modules = FOLDER), booted in QEMU. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>

#include "vm/descriptor.h"
#include "vm/fetch.h"
#include "vm/kernel_run.h"
#include "vm/kernel_source.h"

#define KEY(n, req, p) { #n, offsetof(struct kernel_desc, n), \
			 sizeof(((struct kernel_desc *)0)->n), req, p }

static void local_describe(const struct kernel_desc *d, char *buf, size_t len)
{
	snprintf(buf, len, "%s", d->image);
}

static int local_cached(const struct kernel_desc *d, struct kernel_files *kf,
			struct errmsg *e)
{
	if (access(d->image, R_OK))
		return errmsg_set(e, -ENOENT, "%s: image %s not readable", d->id, d->image);
	snprintf(kf->image, sizeof(kf->image), "%s", d->image);
	snprintf(kf->modules, sizeof(kf->modules), "%s", d->modules);
	if (kf->modules[0] && access(kf->modules, R_OK))
		return errmsg_set(e, -ENOENT, "%s: modules folder %s not readable", d->id,
				  d->modules);
	kf->from_cache = true;
	return 0;
}

const struct kernel_source_ops ksrc_local = {
	.name = "local",
	.help = "a kernel image you built (image = PATH, modules = FOLDER, optional)",
	.keys = { KEY(image, true, true), KEY(modules, false, true) },
	.describe = local_describe,
	.cached = local_cached,
	.check_tools = vm_check_tools,
	.run = vm_run_kernel,
	.guest_modules = true,
};
