/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lock classes from kernel callchains.  The table (lock-classes.tsv) maps a
 * symbol prefix to a class; it is compiled in and may be extended or
 * overridden by a file.  See lock-classes.tsv for the format.
 */
#ifndef MLB_LOCK_CLASSIFY_H
#define MLB_LOCK_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "common/errmsg.h"

#define LOCK_CLASS_MAX 32
#define LOCK_CLASS_OTHER 0	/* class id 0 is always "other" */

enum lock_entry_kind {
	LOCK_ENTRY_CLASS,	/* a lock class */
	LOCK_ENTRY_WAIT,	/* a lock slow path */
	LOCK_ENTRY_STOP,	/* an interrupt entry: frames beyond belong to another context */
	LOCK_ENTRY_PROFILE,	/* profile-only bucket ("profile:NAME") */
};

/* What sort of lock: from the slow path on the chain, or the tracepoint flags. */
enum lock_kind {
	LOCK_KIND_ANY,
	LOCK_KIND_SPIN,
	LOCK_KIND_RWLOCK,
	LOCK_KIND_RWSEM,
	LOCK_KIND_MUTEX,
	LOCK_KIND_N
};

struct lock_entry {
	char *prefix;
	size_t len;
	enum lock_entry_kind kind;
	int class_id;		/* index into names; -1 for WAIT and STOP */
	int lock_kind;		/* CLASS: only for this kind (ANY: all); WAIT: its kind */
};

struct lock_classifier {
	struct lock_entry *entries;
	size_t nentries, alloc;
	char *names[LOCK_CLASS_MAX];	/* class and profile bucket names */
	bool is_profile[LOCK_CLASS_MAX];
	int nnames;
	char sources[512];		/* which tables were read, for describe() */
};

/* Empty classifier with only "other". */
void lock_classifier_init(struct lock_classifier *c);
void lock_classifier_release(struct lock_classifier *c);
/* Add the lines of a table; later lines override earlier ones of the same prefix and kind. */
int lock_classifier_add_text(struct lock_classifier *c, const char *text, const char *what,
			     struct errmsg *e);
int lock_classifier_add_file(struct lock_classifier *c, const char *path, struct errmsg *e);
/*
 * The default set-up: built-in table, then the source tree's
 * lock-classes.tsv if present, then $MLOCKBENCH_LOCK_CLASSES (must exist if set).
 */
int lock_classifier_load_default(struct lock_classifier *c, struct errmsg *e);

/* The compiled-in table (the text of lock-classes.tsv). */
extern const char lock_classes_builtin[];

/*
 * Class of a contention whose callchain (innermost first) has the given
 * symbol names (NULL for unresolved frames).  Returns a class id; never a
 * profile bucket.
 */
int lock_classify(const struct lock_classifier *c, const char *const *syms, size_t n);
/* The same, for a lock of kind @lk (LOCK_KIND_ANY: from the chain's slow path). */
int lock_classify_kind(const struct lock_classifier *c, const char *const *syms, size_t n,
		       int lk);
/* Kind of the innermost lock slow path on the chain, LOCK_KIND_ANY if none. */
int lock_chain_kind(const struct lock_classifier *c, const char *const *syms, size_t n);
/* Does the chain contain a lock slow path? */
bool lock_chain_waits(const struct lock_classifier *c, const char *const *syms, size_t n);
/* First profile bucket on the chain, or -1. */
int lock_profile_bucket(const struct lock_classifier *c, const char *const *syms, size_t n);
/* Class id of @name, or -1. */
int lock_class_id(const struct lock_classifier *c, const char *name);

/*
 * The lock classes of the built-in table, in its order, then "other": the
 * one list for every reader (plots, summaries).  Profile-only buckets are
 * not classes.  Names are static.
 */
size_t lock_class_count(void);
const char *lock_class_name(size_t i);	/* NULL past the end */

#endif
