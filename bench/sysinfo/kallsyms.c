// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sysinfo/kallsyms.h"

bool ksym_match(const char *name, const char *want)
{
	size_t n = strlen(want);

	return !strncmp(name, want, n) && (name[n] == '\0' || name[n] == '.');
}

static char *next_field(char **s)
{
	char *tok = strsep(s, " \t\n");

	while (tok && !*tok)
		tok = strsep(s, " \t\n");
	return tok;
}

static int parse_full(char *line, struct ksym_line *l, char **name, char **module)
{
	char *s = line, *addr, *type, *mod, *end;

	addr = next_field(&s);
	type = next_field(&s);
	*name = next_field(&s);
	if (!addr || !type || !*name || strlen(type) != 1)
		return -EINVAL;
	errno = 0;
	l->addr = strtoull(addr, &end, 16);
	if (*end || errno)
		return -EINVAL;
	l->type = type[0];
	mod = next_field(&s);
	*module = NULL;
	if (mod && mod[0] == '[') {
		mod[strcspn(mod, "]")] = '\0';
		*module = mod + 1;
	}
	l->name = *name;
	l->module = *module;
	return 0;
}

int ksym_parse_line(char *line, char **name, char **module)
{
	struct ksym_line l;

	return parse_full(line, &l, name, module);
}

int ksym_scan_lines(FILE *f, int (*fn)(const struct ksym_line *l, void *arg), void *arg)
{
	char *line = NULL, *name, *module;
	struct ksym_line l;
	size_t cap = 0;
	int ret = 0;

	errno = 0;
	while (getline(&line, &cap, f) > 0) {
		if (parse_full(line, &l, &name, &module))
			continue;
		ret = fn(&l, arg);
		if (ret)
			break;
	}
	if (!ret && ferror(f))
		ret = errno ? -errno : -EIO;
	free(line);
	return ret;
}

struct core_ctx {
	int (*fn)(const char *name, void *arg);
	void *arg;
};

static int core_cb(const struct ksym_line *l, void *arg)
{
	const struct core_ctx *c = arg;

	return l->module ? 0 : c->fn(l->name, c->arg);
}

int ksym_scan(FILE *f, int (*fn)(const char *name, void *arg), void *arg)
{
	struct core_ctx c = { fn, arg };

	return ksym_scan_lines(f, core_cb, &c);
}

struct any_ctx {
	const char *const *names;
};

static int any_cb(const char *name, void *arg)
{
	const struct any_ctx *c = arg;
	size_t i;

	for (i = 0; c->names[i]; i++)
		if (ksym_match(name, c->names[i]))
			return 1;
	return 0;
}

int ksym_file_has_any(const char *path, const char *const *names, bool *found)
{
	struct any_ctx c = { names };
	FILE *f = fopen(path, "re");
	int ret;

	*found = false;
	if (!f)
		return -errno;
	ret = ksym_scan(f, any_cb, &c);
	fclose(f);
	if (ret < 0)
		return ret;
	*found = ret == 1;
	return 0;
}
