// SPDX-License-Identifier: GPL-2.0
/* The kernel sources a descriptor can name: one line each. */
#include <stdio.h>
#include <string.h>

#include "vm/kernel_source.h"

extern const struct kernel_source_ops ksrc_debian, ksrc_local, ksrc_native;

const struct kernel_source_ops *const kernel_sources[] = {
	&ksrc_debian,
	&ksrc_local,
	&ksrc_native,
	NULL,
};

const struct kernel_source_ops *kernel_source_find(const char *name)
{
	for (const struct kernel_source_ops *const *s = kernel_sources; *s; s++)
		if (!strcmp((*s)->name, name))
			return *s;
	return NULL;
}

const struct kernel_source_ops *kernel_source_with_key(const char *key,
							const struct kdesc_key **k)
{
	for (const struct kernel_source_ops *const *s = kernel_sources; *s; s++)
		for (const struct kdesc_key *x = (*s)->keys; x->name; x++)
			if (!strcmp(x->name, key)) {
				if (k)
					*k = x;
				return *s;
			}
	return NULL;
}

void kernel_source_names(char *buf, size_t len)
{
	size_t off = 0, n = 0;

	while (kernel_sources[n])
		n++;
	buf[0] = '\0';
	for (size_t i = 0; i < n && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? i == n - 1 ? " or " : ", " : "",
				kernel_sources[i]->name);
}
