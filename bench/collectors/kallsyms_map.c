// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "collectors/kallsyms_map.h"
#include "sysinfo/kallsyms.h"

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

struct load_ctx {
	struct kallsyms_map *m;
	size_t alloc, nonzero;
};

/* Text symbols only: callchains point into code. */
static int load_cb(const struct ksym_line *l, void *arg)
{
	struct load_ctx *c = arg;
	struct kallsyms_map *m = c->m;
	long off;

	if (l->type != 't' && l->type != 'T' && l->type != 'w' && l->type != 'W')
		return 0;
	if (l->addr)
		c->nonzero++;
	if (m->nsyms == c->alloc) {
		size_t alloc = c->alloc ? c->alloc * 2 : 65536;
		struct ksym *p = realloc(m->syms, alloc * sizeof(*p));

		if (!p)
			return -ENOMEM;
		m->syms = p;
		c->alloc = alloc;
	}
	off = pool_add(m, l->name);
	if (off < 0)
		return -ENOMEM;
	m->syms[m->nsyms].addr = l->addr;
	/* pool may move: store the offset now, fix pointers at the end */
	m->syms[m->nsyms].name = (const char *)(uintptr_t)off;
	m->nsyms++;
	return 0;
}

int kallsyms_map_load_stream(struct kallsyms_map *m, FILE *f, struct errmsg *e)
{
	struct load_ctx c = { .m = m };
	size_t i;
	int ret;

	memset(m, 0, sizeof(*m));
	ret = ksym_scan_lines(f, load_cb, &c);
	if (ret) {
		kallsyms_map_release(m);
		return ret == -ENOMEM ? errmsg_set(e, ret, "out of memory loading kallsyms")
				      : errmsg_set(e, ret, "reading kallsyms: %s", strerror(-ret));
	}
	if (m->nsyms && !c.nonzero) {
		kallsyms_map_release(m);
		return errmsg_set(e, -EPERM, "kallsyms addresses are hidden (kptr_restrict)");
	}
	for (i = 0; i < m->nsyms; i++)
		m->syms[i].name = m->pool + (uintptr_t)m->syms[i].name;
	qsort(m->syms, m->nsyms, sizeof(*m->syms), cmp_ksym);
	return 0;
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
		if (!found && ksym_match(m->syms[i].name, name))
			found = m->syms[i].name;
	}
	return found;
}
