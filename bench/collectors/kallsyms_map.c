// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "collectors/kallsyms_map.h"

bool ksym_name_is(const char *sym, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(sym, name, n) && (sym[n] == '\0' || sym[n] == '.');
}

static int cmp_ksym(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static long pool_add(struct kallsyms_map *m, const char *s)
{
	size_t n = strlen(s) + 1;
	long off;

	if (m->pool_len + n > m->pool_alloc) {
		size_t want = m->pool_alloc ? m->pool_alloc * 2 : 1 << 20;
		char *p;

		while (want < m->pool_len + n)
			want *= 2;
		p = realloc(m->pool, want);
		if (!p)
			return -ENOMEM;
		m->pool = p;
		m->pool_alloc = want;
	}
	off = m->pool_len;
	memcpy(m->pool + off, s, n);
	m->pool_len += n;
	return off;
}

int kallsyms_map_load_stream(struct kallsyms_map *m, FILE *f, struct errmsg *e)
{
	size_t alloc = 0, i, nonzero = 0;
	char line[512], name[256], type;
	unsigned long long addr;

	memset(m, 0, sizeof(*m));
	while (fgets(line, sizeof(line), f)) {
		long off;

		if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3)
			continue;
		if (type != 't' && type != 'T' && type != 'w' && type != 'W')
			continue;
		if (addr)
			nonzero++;
		if (m->nsyms == alloc) {
			struct ksym *p;

			alloc = alloc ? alloc * 2 : 65536;
			p = realloc(m->syms, alloc * sizeof(*p));
			if (!p)
				goto nomem;
			m->syms = p;
		}
		off = pool_add(m, name);
		if (off < 0)
			goto nomem;
		m->syms[m->nsyms].addr = addr;
		/* pool may move: store the offset now, fix pointers below */
		m->syms[m->nsyms].name = (const char *)(uintptr_t)off;
		m->nsyms++;
	}
	if (m->nsyms && !nonzero) {
		kallsyms_map_release(m);
		return errmsg_set(e, -EPERM, "kallsyms addresses are hidden (kptr_restrict)");
	}
	for (i = 0; i < m->nsyms; i++)
		m->syms[i].name = m->pool + (uintptr_t)m->syms[i].name;
	qsort(m->syms, m->nsyms, sizeof(*m->syms), cmp_ksym);
	return 0;
nomem:
	kallsyms_map_release(m);
	return errmsg_set(e, -ENOMEM, "out of memory loading kallsyms");
}

int kallsyms_map_load(struct kallsyms_map *m, struct errmsg *e)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	int ret;

	if (!f)
		return errmsg_set(e, -errno, "open /proc/kallsyms: %s", strerror(errno));
	ret = kallsyms_map_load_stream(m, f, e);
	fclose(f);
	return ret;
}

void kallsyms_map_release(struct kallsyms_map *m)
{
	free(m->syms);
	free(m->pool);
	memset(m, 0, sizeof(*m));
}

const char *kallsyms_map_lookup(const struct kallsyms_map *m, uint64_t addr)
{
	size_t lo = 0, hi = m->nsyms;

	if (!m->nsyms || addr < m->syms[0].addr)
		return NULL;
	/* last symbol with addr <= @addr */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->syms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	return m->syms[lo].name;
}

const char *kallsyms_map_find(const struct kallsyms_map *m, const char *name)
{
	const char *found = NULL;
	size_t i;

	for (i = 0; i < m->nsyms; i++) {
		if (!strcmp(m->syms[i].name, name))
			return m->syms[i].name;
		if (!found && ksym_name_is(m->syms[i].name, name))
			found = m->syms[i].name;
	}
	return found;
}
