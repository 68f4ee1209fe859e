// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collectors/lock_classify.h"
#include "common/parse.h"

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

static const char *const kind_names[] = {
	[LOCK_KIND_ANY] = "any", [LOCK_KIND_SPIN] = "spin", [LOCK_KIND_RWLOCK] = "rwlock",
	[LOCK_KIND_RWSEM] = "rwsem", [LOCK_KIND_MUTEX] = "mutex",
};

static int parse_kind(const char *s)
{
	int k;

	return parse_name(s, kind_names, LOCK_KIND_N, &k) ? -EINVAL : k;
}

static int add_entry(struct lock_classifier *c, const char *prefix, const char *cls,
		     const char *kind_s)
{
	enum lock_entry_kind kind = LOCK_ENTRY_CLASS;
	int id = -1, lk = LOCK_KIND_ANY;
	struct lock_entry *le;
	size_t i;

	if (kind_s) {
		lk = parse_kind(kind_s);
		if (lk < 0)
			return lk;
	}
	if (!strcmp(cls, "wait") || !strncmp(cls, "wait:", 5)) {
		kind = LOCK_ENTRY_WAIT;
		if (cls[4] == ':') {
			lk = parse_kind(cls + 5);
			if (lk < 0)
				return lk;
		}
	} else if (!strcmp(cls, "stop")) {
		kind = LOCK_ENTRY_STOP;
	} else if (!strncmp(cls, "profile:", 8) && cls[8]) {
		kind = LOCK_ENTRY_PROFILE;
		id = name_id(c, cls + 8, true);
	} else {
		id = name_id(c, cls, false);
	}
	if (id < 0 && kind != LOCK_ENTRY_WAIT && kind != LOCK_ENTRY_STOP)
		return id;
	for (i = 0; i < c->nentries; i++) {
		le = &c->entries[i];
		if (strcmp(le->prefix, prefix))
			continue;
		/* the same key: profile entries apart; class entries per lock kind */
		if ((le->kind == LOCK_ENTRY_PROFILE) != (kind == LOCK_ENTRY_PROFILE))
			continue;
		if (kind == LOCK_ENTRY_CLASS && le->kind == LOCK_ENTRY_CLASS &&
		    le->lock_kind != lk)
			continue;
		le->kind = kind;
		le->class_id = id;
		le->lock_kind = lk;
		return 0;
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
	le->lock_kind = lk;
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
		char line[256], *tab, *cls, *end, *kind;

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
			return errmsg_set(e, -EINVAL,
					  "%s:%d: expected symbol-prefix<TAB>class[<TAB>lock-kind]",
					  what, lineno);
		*tab = '\0';
		cls = tab + 1;
		while (*cls == '\t')
			cls++;
		kind = strchr(cls, '\t');
		if (kind) {
			*kind++ = '\0';
			while (*kind == '\t')
				kind++;
			if (!*kind)
				kind = NULL;
		}
		if (!*cls || (kind && strchr(kind, '\t')) || strchr(line, ' '))
			return errmsg_set(e, -EINVAL,
					  "%s:%d: expected symbol-prefix<TAB>class[<TAB>lock-kind]",
					  what, lineno);
		ret = add_entry(c, line, cls, kind);
		if (ret == -EINVAL)
			return errmsg_set(e, ret, "%s:%d: unknown lock kind (spin, rwlock, rwsem, "
					  "mutex)", what, lineno);
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

/*
 * Longest matching entry for @sym: profile buckets, or else the others
 * (class entries only if made for @lk or for any kind).
 */
static const struct lock_entry *match(const struct lock_classifier *c, const char *sym,
				      bool profile, int lk)
{
	const struct lock_entry *best = NULL;
	size_t i;

	for (i = 0; i < c->nentries; i++) {
		const struct lock_entry *le = &c->entries[i];

		if ((le->kind == LOCK_ENTRY_PROFILE) != profile)
			continue;
		if (le->kind == LOCK_ENTRY_CLASS && le->lock_kind != LOCK_KIND_ANY &&
		    le->lock_kind != lk)
			continue;
		if (strncmp(sym, le->prefix, le->len))
			continue;
		/* longest prefix; at equal length a kind-specific entry beats "any" */
		if (!best || le->len > best->len ||
		    (le->len == best->len && le->lock_kind != LOCK_KIND_ANY))
			best = le;
	}
	return best;
}

/*
 * Walk the chain from its innermost frame: the first entry of @kind (class
 * entries for @lk), or NULL when none comes before a stop entry or the end.
 */
static const struct lock_entry *chain_first(const struct lock_classifier *c,
					    const char *const *syms, size_t n,
					    enum lock_entry_kind kind, int lk)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct lock_entry *le;

		if (!syms[i])
			continue;
		le = match(c, syms[i], false, lk);
		if (le && le->kind == kind)
			return le;
		if (le && le->kind == LOCK_ENTRY_STOP)
			break;
	}
	return NULL;
}

int lock_chain_kind(const struct lock_classifier *c, const char *const *syms, size_t n)
{
	const struct lock_entry *le = chain_first(c, syms, n, LOCK_ENTRY_WAIT, LOCK_KIND_ANY);

	return le ? le->lock_kind : LOCK_KIND_ANY;
}

int lock_classify_kind(const struct lock_classifier *c, const char *const *syms, size_t n,
		       int lk)
{
	const struct lock_entry *le;

	if (lk == LOCK_KIND_ANY)
		lk = lock_chain_kind(c, syms, n);
	le = chain_first(c, syms, n, LOCK_ENTRY_CLASS, lk);
	return le ? le->class_id : LOCK_CLASS_OTHER;
}

int lock_classify(const struct lock_classifier *c, const char *const *syms, size_t n)
{
	return lock_classify_kind(c, syms, n, LOCK_KIND_ANY);
}

bool lock_chain_waits(const struct lock_classifier *c, const char *const *syms, size_t n)
{
	return chain_first(c, syms, n, LOCK_ENTRY_WAIT, LOCK_KIND_ANY) != NULL;
}

int lock_profile_bucket(const struct lock_classifier *c, const char *const *syms, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct lock_entry *le;

		if (!syms[i])
			continue;
		le = match(c, syms[i], false, LOCK_KIND_ANY);
		if (le && le->kind == LOCK_ENTRY_STOP)
			break;
		le = match(c, syms[i], true, LOCK_KIND_ANY);
		if (le)
			return le->class_id;
	}
	return -1;
}

/* The built-in table, parsed once: it is immutable, so a static is enough. */
static struct lock_classifier builtin;
static const char *builtin_order[LOCK_CLASS_MAX];
static size_t builtin_n;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

static void builtin_load(void)
{
	int c;

	lock_classifier_init(&builtin);
	if (lock_classifier_add_text(&builtin, lock_classes_builtin, "built-in", NULL))
		return;		/* the table is compiled in and unit-tested */
	for (c = 1; c < builtin.nnames; c++)
		if (!builtin.is_profile[c])
			builtin_order[builtin_n++] = builtin.names[c];
	builtin_order[builtin_n++] = builtin.names[LOCK_CLASS_OTHER];
}

size_t lock_class_count(void)
{
	pthread_once(&builtin_once, builtin_load);
	return builtin_n;
}

const char *lock_class_name(size_t i)
{
	return i < lock_class_count() ? builtin_order[i] : NULL;
}
