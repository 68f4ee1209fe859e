// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <ini.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vm/descriptor.h"

#define KPARSE_MAX_GIVEN 16

struct kparse {
	struct kernel_desc *d;
	struct errmsg *e;
	const char *origin;
	int err;
	int seen_section;
	/* source keys as given, checked against the source once it is known */
	const char *given[KPARSE_MAX_GIVEN];
	size_t ngiven;
};

static int set_str(char *dst, size_t len, const char *v)
{
	if (strlen(v) >= len)
		return -ENAMETOOLONG;
	strcpy(dst, v);
	return 0;
}

static int source_key(struct kparse *p, const char *name, const char *value)
{
	const struct kdesc_key *k;

	if (!kernel_source_with_key(name, &k))
		return errmsg_set(p->e, -EINVAL, "%s: unknown key '%s'", p->origin, name);
	if (p->ngiven == KPARSE_MAX_GIVEN)
		return errmsg_set(p->e, -E2BIG, "%s: too many keys", p->origin);
	p->given[p->ngiven++] = k->name;
	if (set_str((char *)p->d + k->offset, k->size, value))
		return errmsg_set(p->e, -ENAMETOOLONG, "%s: value of '%s' too long", p->origin,
				  name);
	return 0;
}

static int common_key(struct kparse *p, const char *name, const char *value)
{
	struct kernel_desc *d = p->d;
	char names[128];
	int err = 0;

	if (!strcmp(name, "id")) {
		err = set_str(d->id, sizeof(d->id), value);
	} else if (!strcmp(name, "source")) {
		d->source = kernel_source_find(value);
		if (!d->source) {
			kernel_source_names(names, sizeof(names));
			return errmsg_set(p->e, -EINVAL, "%s: unknown source '%s' (want %s)",
					  p->origin, value, names);
		}
	} else if (!strcmp(name, "expected_design")) {
		if (strcmp(value, "rmap-walk") && strcmp(value, "mlock_count") &&
		    strcmp(value, "unknown"))
			return errmsg_set(p->e, -EINVAL,
					  "%s: bad expected_design '%s' (want rmap-walk, mlock_count or unknown)",
					  p->origin, value);
		err = set_str(d->expected_design, sizeof(d->expected_design), value);
	} else if (!strcmp(name, "append")) {
		err = set_str(d->append, sizeof(d->append), value);
	} else if (!strcmp(name, "description")) {
		err = set_str(d->description, sizeof(d->description), value);
	} else {
		return source_key(p, name, value);
	}
	if (err)
		return errmsg_set(p->e, err, "%s: value of '%s' too long", p->origin, name);
	return 0;
}

static int kparse_handler(void *user, const char *section, const char *name,
			  const char *value)
{
	struct kparse *p = user;

	/* inih: non-zero = keep going; errors are kept in p->err */
	if (p->err)
		return 1;
	if (strcmp(section, "kernel")) {
		p->err = errmsg_set(p->e, -EINVAL, "%s: unknown section [%s] (want [kernel])",
				    p->origin, section);
		return 1;
	}
	p->seen_section = 1;
	p->err = common_key(p, name, value);
	return 1;
}

static int id_valid(const char *id)
{
	if (!*id)
		return 0;
	for (const char *c = id; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || strchr("._-", *c)))
			return 0;
	return 1;
}

static bool source_takes(const struct kernel_source_ops *s, const char *key)
{
	for (const struct kdesc_key *k = s->keys; k->name; k++)
		if (!strcmp(k->name, key))
			return true;
	return false;
}

static int kdesc_validate(const struct kparse *p)
{
	const struct kernel_desc *d = p->d;
	const char *origin = p->origin;
	struct errmsg *e = p->e;

	if (!d->id[0])
		return errmsg_set(e, -EINVAL, "%s: missing key 'id'", origin);
	if (!id_valid(d->id))
		return errmsg_set(e, -EINVAL, "%s: bad id '%s' (letters, digits, . _ -)",
				  origin, d->id);
	if (!d->source)
		return errmsg_set(e, -EINVAL, "%s: missing key 'source'", origin);
	for (size_t i = 0; i < p->ngiven; i++)
		if (!source_takes(d->source, p->given[i]))
			return errmsg_set(e, -EINVAL, "%s: source %s takes no %s", origin,
					  d->source->name, p->given[i]);
	for (const struct kdesc_key *k = d->source->keys; k->name; k++)
		if (k->required && !*((const char *)d + k->offset))
			return errmsg_set(e, -EINVAL, "%s: missing key '%s' (source %s)", origin,
					  k->name, d->source->name);
	return 0;
}

static int kdesc_parse(struct kparse *p, int r)
{
	if (r < 0)
		return errmsg_set(p->e, -EIO, "%s: cannot read", p->origin);
	if (p->err)
		return p->err;
	if (r > 0)
		return errmsg_set(p->e, -EINVAL, "%s:%d: syntax error", p->origin, r);
	if (!p->seen_section)
		return errmsg_set(p->e, -EINVAL, "%s: no [kernel] section", p->origin);
	return kdesc_validate(p);
}

int kdesc_parse_string(const char *text, const char *origin, struct kernel_desc *d,
		       struct errmsg *e)
{
	struct kparse p = { .d = d, .e = e, .origin = origin };

	memset(d, 0, sizeof(*d));
	return kdesc_parse(&p, ini_parse_string(text, kparse_handler, &p));
}

int kdesc_load(const char *path, struct kernel_desc *d, struct errmsg *e)
{
	struct kparse p = { .d = d, .e = e, .origin = path };
	char base[KDESC_STR], dir[KDESC_STR], *dot, *folder;
	int err;

	memset(d, 0, sizeof(*d));
	err = kdesc_parse(&p, ini_parse(path, kparse_handler, &p));
	if (err)
		return err;
	snprintf(d->path, sizeof(d->path), "%s", path);
	snprintf(base, sizeof(base), "%s", path);
	dot = strrchr(basename(base), '.');
	if (dot)
		*dot = '\0';
	if (strcmp(basename(base), d->id))
		return errmsg_set(e, -EINVAL, "%s: id '%s' does not match the file name",
				  path, d->id);
	/* a relative path key is relative to the descriptor */
	snprintf(dir, sizeof(dir), "%s", path);
	folder = dirname(dir);
	for (const struct kdesc_key *k = d->source->keys; k->name; k++) {
		char *f = (char *)d + k->offset, abs[KDESC_STR * 2 + 2];

		if (!k->path || !f[0] || f[0] == '/')
			continue;
		snprintf(abs, sizeof(abs), "%s/%s", folder, f);
		if (strlen(abs) >= k->size)
			return errmsg_set(e, -ENAMETOOLONG, "%s: path too long", path);
		strcpy(f, abs);
	}
	return 0;
}

const char *kdesc_dir(void)
{
	const char *env = getenv("MLOCKBENCH_KERNELS");

	return env && *env ? env : MLB_SOURCE_DIR "/kernels";
}

int kdesc_find(const char *id, struct kernel_desc *d, struct errmsg *e)
{
	char path[KDESC_STR];

	if (!id_valid(id))
		return errmsg_set(e, -EINVAL, "bad kernel id '%s'", id);
	snprintf(path, sizeof(path), "%s/%s.ini", kdesc_dir(), id);
	if (access(path, R_OK))
		return errmsg_set(e, -ENOENT, "no kernel descriptor '%s' (looked for %s)", id,
				  path);
	return kdesc_load(path, d, e);
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct kernel_desc *)a)->id, ((const struct kernel_desc *)b)->id);
}

int kdesc_list(struct kernel_desc **out, size_t *n, struct errmsg *e)
{
	const char *dir = kdesc_dir();
	struct kernel_desc *v = NULL;
	struct dirent *de;
	size_t cnt = 0;
	DIR *dp;
	int err = 0;

	dp = opendir(dir);
	if (!dp)
		return errmsg_set(e, -errno, "cannot open %s: %s", dir, strerror(errno));
	while ((de = readdir(dp))) {
		size_t l = strlen(de->d_name);
		char path[KDESC_STR];
		struct kernel_desc *nv;

		if (l < 5 || strcmp(de->d_name + l - 4, ".ini"))
			continue;
		nv = realloc(v, (cnt + 1) * sizeof(*v));
		if (!nv) {
			err = errmsg_set(e, -ENOMEM, "out of memory");
			break;
		}
		v = nv;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		err = kdesc_load(path, &v[cnt], e);
		if (err)
			break;
		cnt++;
	}
	closedir(dp);
	if (err) {
		free(v);
		return err;
	}
	qsort(v, cnt, sizeof(*v), by_id);
	*out = v;
	*n = cnt;
	return 0;
}
