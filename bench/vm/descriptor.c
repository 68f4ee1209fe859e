// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <ini.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vm/descriptor.h"

const char *kernel_source_name(enum kernel_source s)
{
	switch (s) {
	case KSRC_DEBIAN:
		return "debian";
	case KSRC_LOCAL:
		return "local";
	case KSRC_NATIVE:
		return "native";
	default:
		return "none";
	}
}

struct kparse {
	struct kernel_desc *d;
	struct errmsg *e;
	const char *origin;
	int err;
	int line;
	int seen_section;
};

static int set_str(char *dst, size_t len, const char *v)
{
	if (strlen(v) >= len)
		return -ENAMETOOLONG;
	strcpy(dst, v);
	return 0;
}

static int kparse_handler(void *user, const char *section, const char *name,
			  const char *value)
{
	struct kparse *p = user;
	struct kernel_desc *d = p->d;
	int err = 0;

	/* inih: non-zero = keep going; errors are kept in p->err */

	if (p->err)
		return 1;
	if (strcmp(section, "kernel")) {
		p->err = errmsg_set(p->e, -EINVAL, "%s: unknown section [%s] (want [kernel])",
				    p->origin, section);
		return 1;
	}
	p->seen_section = 1;
	if (!strcmp(name, "id")) {
		err = set_str(d->id, sizeof(d->id), value);
	} else if (!strcmp(name, "source")) {
		if (!strcmp(value, "debian"))
			d->source = KSRC_DEBIAN;
		else if (!strcmp(value, "local"))
			d->source = KSRC_LOCAL;
		else if (!strcmp(value, "native"))
			d->source = KSRC_NATIVE;
		else
			p->err = errmsg_set(p->e, -EINVAL,
					    "%s: unknown source '%s' (want debian, local or native)",
					    p->origin, value);
	} else if (!strcmp(name, "package")) {
		err = set_str(d->package, sizeof(d->package), value);
	} else if (!strcmp(name, "suite")) {
		err = set_str(d->suite, sizeof(d->suite), value);
	} else if (!strcmp(name, "image")) {
		err = set_str(d->image, sizeof(d->image), value);
	} else if (!strcmp(name, "modules")) {
		err = set_str(d->modules, sizeof(d->modules), value);
	} else if (!strcmp(name, "expected_design")) {
		if (strcmp(value, "rmap-walk") && strcmp(value, "mlock_count") &&
		    strcmp(value, "unknown"))
			p->err = errmsg_set(p->e, -EINVAL,
					    "%s: bad expected_design '%s' (want rmap-walk, mlock_count or unknown)",
					    p->origin, value);
		else
			err = set_str(d->expected_design, sizeof(d->expected_design), value);
	} else if (!strcmp(name, "append")) {
		err = set_str(d->append, sizeof(d->append), value);
	} else if (!strcmp(name, "description")) {
		err = set_str(d->description, sizeof(d->description), value);
	} else {
		p->err = errmsg_set(p->e, -EINVAL, "%s: unknown key '%s'", p->origin, name);
	}
	if (err)
		p->err = errmsg_set(p->e, err, "%s: value of '%s' too long", p->origin, name);
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

static int kdesc_validate(struct kernel_desc *d, const char *origin, struct errmsg *e)
{
	if (!d->id[0])
		return errmsg_set(e, -EINVAL, "%s: missing key 'id'", origin);
	if (!id_valid(d->id))
		return errmsg_set(e, -EINVAL, "%s: bad id '%s' (letters, digits, . _ -)",
				  origin, d->id);
	switch (d->source) {
	case KSRC_NONE:
		return errmsg_set(e, -EINVAL, "%s: missing key 'source'", origin);
	case KSRC_DEBIAN:
		if (!d->package[0])
			return errmsg_set(e, -EINVAL, "%s: missing key 'package' (source debian)",
					  origin);
		if (!d->suite[0])
			return errmsg_set(e, -EINVAL, "%s: missing key 'suite' (source debian)",
					  origin);
		break;
	case KSRC_LOCAL:
		if (!d->image[0])
			return errmsg_set(e, -EINVAL, "%s: missing key 'image' (source local)",
					  origin);
		break;
	case KSRC_NATIVE:
		if (d->image[0] || d->package[0])
			return errmsg_set(e, -EINVAL,
					  "%s: source native takes no image or package", origin);
		break;
	}
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
	return kdesc_validate(p->d, p->origin, p->e);
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
	char base[KDESC_STR], dir[KDESC_STR], *dot;
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
	/* a relative image or modules path is relative to the descriptor */
	snprintf(dir, sizeof(dir), "%s", path);
	for (char *f = d->image; f; f = f == d->image ? d->modules : NULL) {
		char abs[KDESC_STR * 2 + 2];

		if (!f[0] || f[0] == '/')
			continue;
		snprintf(abs, sizeof(abs), "%s/%s", dirname(dir), f);
		snprintf(dir, sizeof(dir), "%s", path);
		if (strlen(abs) >= KDESC_STR)
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
