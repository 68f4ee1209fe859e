/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading kallsyms-format streams ("addr type name [module]" per line), as
 * /proc/kallsyms and System.map print them: the one parser, for the design
 * detector (names only: addresses read as zero for unprivileged users) and
 * the collectors' address map (collectors/kallsyms_map.c).
 */
#ifndef MLB_KALLSYMS_H
#define MLB_KALLSYMS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/*
 * True when @name is @want or @want followed by a compiler suffix
 * (".isra.0", ".constprop.0", ...): the match ^want(\.|$).
 */
bool ksym_match(const char *name, const char *want);

/*
 * Split one line in place.  *name gets the symbol, *module the module or
 * NULL for the core kernel.  Returns -EINVAL for a malformed line.
 */
int ksym_parse_line(char *line, char **name, char **module);

/* One parsed line; the strings point into the reader's buffer. */
struct ksym_line {
	uint64_t addr;
	char type;		/* 't', 'T', 'w', ... */
	const char *name;
	const char *module;	/* NULL for the core kernel */
};

/*
 * Call @fn for each well-formed line of @f, module symbols included.  Stops
 * early, returning @fn's value, when it returns non-zero; -errno on a read
 * error.
 */
int ksym_scan_lines(FILE *f, int (*fn)(const struct ksym_line *l, void *arg), void *arg);

/*
 * Call @fn for each core-kernel symbol of @f (module symbols are skipped:
 * the mm code fingerprinted here is never modular).  Stops early, returning
 * @fn's value, when @fn returns non-zero.  -errno on a read error.
 */
int ksym_scan(FILE *f, int (*fn)(const char *name, void *arg), void *arg);

/* Does @path (kallsyms format) hold any of the NULL-terminated @names? */
int ksym_file_has_any(const char *path, const char *const *names, bool *found);

#endif
