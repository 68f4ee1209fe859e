// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collectors/lock_classify.h"

/* One source of truth: the .tsv itself is assembled into the binary. */
__asm__(".pushsection .rodata\n"
	".global lock_classes_builtin\n"
	".type lock_classes_builtin, @object\n"
	"lock_classes_builtin:\n"
	".incbin \"" MLB_SOURCE_DIR "/bench/collectors/lock-classes.tsv\"\n"
	".byte 0\n"
	".popsection\n");

void lock_classifier_init(struct lock_classifier *c)
{
	memset(c, 0, sizeof(*c));
	c->names[0] = strdup("other");
	c->nnames = 1;
}

void lock_classifier_release(struct lock_classifier *c)
{
	size_t i;
	int j;

	for (i = 0; i < c->nentries; i++)
		free(c->entries[i].prefix);
	free(c->entries);
	for (j = 0; j < c->nnames; j++)
		free(c->names[j]);
	memset(c, 0, sizeof(*c));
}

static int name_id(struct lock_classifier *c, const char *name, bool profile)
{
	int i;

	for (i = 0; i < c->nnames; i++)
		if (!strcmp(c->names[i], name) && c->is_profile[i] == profile)
			return i;
	if (c->nnames == LOCK_CLASS_MAX)
		return -ENOSPC;
	c->names[c->nnames] = strdup(name);
	if (!c->names[c->nnames])
		return -ENOMEM;
	c->is_profile[c->nnames] = profile;
	return c->nnames++;
}

int lock_class_id(const struct lock_classifier *c, const char *name)
{
	int i;

	for (i = 0; i < c->nnames; i++)
		if (!strcmp(c->names[i], name) && !c->is_profile[i])
			return i;
	return -1;
}

static int add_entry(struct lock_classifier *c, const char *prefix, const char *cls)
{
	enum lock_entry_kind kind = LOCK_ENTRY_CLASS;
	struct lock_entry *le;
	int id = -1;
	size_t i;

	if (!strcmp(cls, "wait")) {
		kind = LOCK_ENTRY_WAIT;
	} else if (!strncmp(cls, "profile:", 8) && cls[8]) {
		kind = LOCK_ENTRY_PROFILE;
		id = name_id(c, cls + 8, true);
	} else {
		id = name_id(c, cls, false);
	}
	if (id < 0 && kind != LOCK_ENTRY_WAIT)
		return id;
	for (i = 0; i < c->nentries; i++) {
		le = &c->entries[i];
		if (le->kind == kind && !strcmp(le->prefix, prefix)) {
			le->class_id = id;
			return 0;
		}
		/* a lock class and a wait marker for one prefix exclude each other */
		if (kind != LOCK_ENTRY_PROFILE && le->kind != LOCK_ENTRY_PROFILE &&
		    !strcmp(le->prefix, prefix)) {
			le->kind = kind;
			le->class_id = id;
			return 0;
		}
	}
	if (c->nentries == c->alloc) {
		size_t want = c->alloc ? c->alloc * 2 : 128;

		le = realloc(c->entries, want * sizeof(*le));
		if (!le)
			return -ENOMEM;
		c->entries = le;
		c->alloc = want;
	}
	le = &c->entries[c->nentries];
	le->prefix = strdup(prefix);
	if (!le->prefix)
		return -ENOMEM;
	le->len = strlen(prefix);
	le->kind = kind;
	le->class_id = id;
	c->nentries++;
	return 0;
}

static void note_source(struct lock_classifier *c, const char *what)
{
	size_t l = strlen(c->sources);

	snprintf(c->sources + l, sizeof(c->sources) - l, "%s%s", l ? ", " : "", what);
}

int lock_classifier_add_text(struct lock_classifier *c, const char *text, const char *what,
			     struct errmsg *e)
{
	const char *p = text;
	int lineno = 0, ret;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char line[256], *tab, *cls, *end;

		lineno++;
		if (n >= sizeof(line))
			return errmsg_set(e, -EINVAL, "%s:%d: line too long", what, lineno);
		memcpy(line, p, n);
		line[n] = '\0';
		p += n + (nl ? 1 : 0);
		end = line + n;
		while (end > line && (end[-1] == '\r' || end[-1] == ' '))
			*--end = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		tab = strchr(line, '\t');
		if (!tab || tab == line)
			return errmsg_set(e, -EINVAL, "%s:%d: expected symbol-prefix<TAB>class",
					  what, lineno);
		*tab = '\0';
		cls = tab + 1;
		while (*cls == '\t')
			cls++;
		if (!*cls || strchr(cls, '\t') || strchr(line, ' '))
			return errmsg_set(e, -EINVAL, "%s:%d: expected symbol-prefix<TAB>class",
					  what, lineno);
		ret = add_entry(c, line, cls);
		if (ret == -ENOSPC)
			return errmsg_set(e, ret, "%s:%d: more than %d classes", what, lineno,
					  LOCK_CLASS_MAX);
		if (ret)
			return errmsg_set(e, ret, "%s:%d: %s", what, lineno, strerror(-ret));
	}
	note_source(c, what);
	return 0;
}

int lock_classifier_add_file(struct lock_classifier *c, const char *path, struct errmsg *e)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f, *m;
	int ret, ch;

	f = fopen(path, "r");
	if (!f)
		return errmsg_set(e, -errno, "%s: %s", path, strerror(errno));
	m = open_memstream(&buf, &len);
	if (!m) {
		fclose(f);
		return errmsg_set(e, -ENOMEM, "out of memory");
	}
	while ((ch = getc(f)) != EOF)
		putc(ch, m);
	fclose(f);
	fclose(m);
	ret = lock_classifier_add_text(c, buf, path, e);
	free(buf);
	return ret;
}

int lock_classifier_load_default(struct lock_classifier *c, struct errmsg *e)
{
	const char *env = getenv("MLOCKBENCH_LOCK_CLASSES");
	const char *src = MLB_SOURCE_DIR "/bench/collectors/lock-classes.tsv";
	int ret;

	lock_classifier_init(c);
	ret = lock_classifier_add_text(c, lock_classes_builtin, "built-in", e);
	if (!ret && access(src, R_OK) == 0)
		ret = lock_classifier_add_file(c, src, e);
	if (!ret && env && *env)
		ret = lock_classifier_add_file(c, env, e);
	if (ret)
		lock_classifier_release(c);
	return ret;
}

/* Longest matching entry of @kind (WAIT and CLASS count as one kind) for @sym. */
static const struct lock_entry *match(const struct lock_classifier *c, const char *sym,
				      bool profile)
{
	const struct lock_entry *best = NULL;
	size_t i;

	for (i = 0; i < c->nentries; i++) {
		const struct lock_entry *le = &c->entries[i];

		if ((le->kind == LOCK_ENTRY_PROFILE) != profile)
			continue;
		if (strncmp(sym, le->prefix, le->len))
			continue;
		if (!best || le->len > best->len)
			best = le;
	}
	return best;
}

int lock_classify(const struct lock_classifier *c, const char *const *syms, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct lock_entry *le;

		if (!syms[i])
			continue;
		le = match(c, syms[i], false);
		if (le && le->kind == LOCK_ENTRY_CLASS)
			return le->class_id;
	}
	return LOCK_CLASS_OTHER;
}

bool lock_chain_waits(const struct lock_classifier *c, const char *const *syms, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct lock_entry *le;

		if (!syms[i])
			continue;
		le = match(c, syms[i], false);
		if (le && le->kind == LOCK_ENTRY_WAIT)
			return true;
	}
	return false;
}

int lock_profile_bucket(const struct lock_classifier *c, const char *const *syms, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct lock_entry *le;

		if (!syms[i])
			continue;
		le = match(c, syms[i], true);
		if (le)
			return le->class_id;
	}
	return -1;
}
