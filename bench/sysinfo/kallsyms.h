/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading kallsyms-format streams ("addr type name [module]" per line), as
 * /proc/kallsyms and System.map print them.  Addresses are ignored: they read
 * as zero for unprivileged users, the names do not.
 */
#ifndef MLB_KALLSYMS_H
#define MLB_KALLSYMS_H

#include <stdbool.h>
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

/*
 * Call @fn for each core-kernel symbol of @f (module symbols are skipped:
 * the mm code fingerprinted here is never modular).  Stops early, returning
 * @fn's value, when @fn returns non-zero.  -errno on a read error.
 */
int ksym_scan(FILE *f, int (*fn)(const char *name, void *arg), void *arg);

/* Does @path (kallsyms format) hold any of the NULL-terminated @names? */
int ksym_file_has_any(const char *path, const char *const *names, bool *found);

#endif
