// SPDX-License-Identifier: GPL-2.0
/* Result folder reader: manifest.json (jansson) and the three CSV files. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "common/parse.h"
#include "result/reader.h"

const char *const result_sample_metrics[] = {
	"teardown_ns", "lat_max_ns",	/* primary */
	"setup_ns", "lat_median_ns", "skew_ns", "utime_us", "stime_us",
};
const size_t result_sample_nmetrics =
	sizeof(result_sample_metrics) / sizeof(result_sample_metrics[0]);

#define CSV_MAX_FIELDS 64

/* A (config, rep) pair excluded from some series. */
struct rep_key {
	int config, rep;
	bool warmup, instrumented;
};

struct load_ctx {
	struct result_folder *f;
	struct rep_key *reps;
	size_t nreps, repcap;
	struct errmsg *e;
};

/* Split @line in place; fields may be double-quoted with "" escapes. */
static int csv_split(char *line, char **fields, int max)
{
	int n = 0;
	char *r = line, *w;

	line[strcspn(line, "\r\n")] = 0;
	while (n < max) {
		fields[n++] = w = r;
		if (*r == '"') {
			r++;
			while (*r) {
				if (*r == '"' && r[1] == '"') {
					*w++ = '"';
					r += 2;
				} else if (*r == '"') {
					r++;
					break;
				} else {
					*w++ = *r++;
				}
			}
			while (*r && *r != ',')
				r++;
		} else {
			while (*r && *r != ',')
				*w++ = *r++;
		}
		if (!*r) {
			*w = 0;
			break;
		}
		*w = 0;
		r++;
	}
	return n;
}

static int col_index(char **hdr, int nh, const char *name)
{
	int i;

	for (i = 0; i < nh; i++)
		if (!strcmp(hdr[i], name))
			return i;
	return -1;
}

static int parse_num(const char *s, double *v)
{
	char *end;

	if (!s || !*s)
		return -ENODATA;
	*v = strtod(s, &end);
	return *end ? -EINVAL : 0;
}

static void copy_str(char *dst, size_t len, json_t *v)
{
	const char *s = json_string_value(v);

	snprintf(dst, len, "%s", s ? s : "");
}

static struct result_config *config_by_id(struct result_folder *f, int id)
{
	size_t i;

	for (i = 0; i < f->nconfigs; i++)
		if (f->configs[i].id == id)
			return &f->configs[i];
	return NULL;
}

static struct result_config *config_add(struct result_folder *f, int id)
{
	struct result_config *c = realloc(f->configs, (f->nconfigs + 1) * sizeof(*c));

	if (!c)
		return NULL;
	f->configs = c;
	c = &f->configs[f->nconfigs++];
	memset(c, 0, sizeof(*c));
	c->id = id;
	return c;
}

static struct result_series *series_get(struct result_config *c, const char *name,
					const char *unit, bool create)
{
	struct result_series *s;
	size_t i;

	for (i = 0; i < c->nseries; i++)
		if (!strcmp(c->series[i].name, name))
			return &c->series[i];
	if (!create)
		return NULL;
	s = realloc(c->series, (c->nseries + 1) * sizeof(*s));
	if (!s)
		return NULL;
	c->series = s;
	s = &c->series[c->nseries++];
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	snprintf(s->unit, sizeof(s->unit), "%s", unit);
	return s;
}

static int push(double **v, size_t *n, size_t *cap, double x)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		double *nv = realloc(*v, nc * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		*v = nv;
		*cap = nc;
	}
	(*v)[(*n)++] = x;
	return 0;
}

static const struct rep_key *rep_find(const struct load_ctx *x, int config, int rep)
{
	size_t i;

	for (i = 0; i < x->nreps; i++)
		if (x->reps[i].config == config && x->reps[i].rep == rep)
			return &x->reps[i];
	return NULL;
}

static int manifest_load(struct load_ctx *x, const char *path, bool allow_incomplete)
{
	struct result_folder *f = x->f;
	json_t *m, *sys, *v, *cfgs;
	json_error_t jerr;
	size_t i;
	int err = 0;

	m = json_load_file(path, 0, &jerr);
	if (!m)
		return errmsg_set(x->e, -EINVAL, "%s:%d: %s", path, jerr.line, jerr.text);
	if (!json_is_object(m) || !json_string_value(json_object_get(m, "schema")) ||
	    strcmp(json_string_value(json_object_get(m, "schema")), RESULT_SCHEMA)) {
		err = errmsg_set(x->e, -EINVAL, "%s: not an mlockbench result (schema is not '%s')",
				 path, RESULT_SCHEMA);
		goto out;
	}
	v = json_object_get(m, "schema_version");
	if (!json_is_integer(v) || json_integer_value(v) != RESULT_SCHEMA_VERSION) {
		err = errmsg_set(x->e, -EINVAL, "%s: schema_version %s, this tool reads %d", path,
				 json_is_integer(v) ? "is not 1" : "missing", RESULT_SCHEMA_VERSION);
		goto out;
	}
	copy_str(f->status, sizeof(f->status), json_object_get(m, "status"));
	if (strcmp(f->status, "complete") && !allow_incomplete) {
		err = errmsg_set(x->e, -EINVAL,
				 "%s: status is '%s', not complete (--allow-incomplete reads it anyway)",
				 f->path, f->status[0] ? f->status : "missing");
		goto out;
	}
	copy_str(f->kernel_id, sizeof(f->kernel_id), json_object_get(m, "kernel_id"));
	copy_str(f->expected_design, sizeof(f->expected_design),
		 json_object_get(m, "expected_design"));
	copy_str(f->start, sizeof(f->start), json_object_get(m, "start"));
	copy_str(f->end, sizeof(f->end), json_object_get(m, "end"));
	v = json_object_get(m, "tool");
	snprintf(f->tool, sizeof(f->tool), "%s %s (%s)",
		 json_string_value(json_object_get(v, "name")) ?: "?",
		 json_string_value(json_object_get(v, "version")) ?: "?",
		 json_string_value(json_object_get(v, "git")) ?: "?");
	v = json_object_get(m, "cmdline");
	for (i = 0; i < json_array_size(v); i++) {
		const char *a = json_string_value(json_array_get(v, i));
		size_t l = strlen(f->cmdline);

		snprintf(f->cmdline + l, sizeof(f->cmdline) - l, "%s%s", i ? " " : "", a ?: "");
	}
	sys = json_object_get(m, "system");
	v = json_object_get(sys, "kernel");
	copy_str(f->release, sizeof(f->release), json_object_get(v, "release"));
	copy_str(f->kversion, sizeof(f->kversion), json_object_get(v, "version"));
	copy_str(f->kcmdline, sizeof(f->kcmdline), json_object_get(v, "cmdline"));
	copy_str(f->design, sizeof(f->design),
		 json_object_get(json_object_get(sys, "design"), "name"));
	copy_str(f->cpu, sizeof(f->cpu), json_object_get(sys, "cpu_model"));
	v = json_object_get(sys, "thp");
	snprintf(f->thp, sizeof(f->thp), "enabled=%s shmem_enabled=%s",
		 json_string_value(json_object_get(v, "enabled")) ?: "?",
		 json_string_value(json_object_get(v, "shmem_enabled")) ?: "?");
	v = json_object_get(sys, "topology");
	snprintf(f->topology, sizeof(f->topology),
		 "%lld package(s), %lld NUMA node(s), %lld cores, %lld PUs",
		 json_integer_value(json_object_get(v, "packages")),
		 json_integer_value(json_object_get(v, "numa_nodes")),
		 json_integer_value(json_object_get(v, "cores")),
		 json_integer_value(json_object_get(v, "pus")));
	if (f->kernel_id[0] && strcmp(f->kernel_id, "native"))
		snprintf(f->label, sizeof(f->label), "%s", f->kernel_id);
	else if (f->release[0])
		snprintf(f->label, sizeof(f->label), "%s", f->release);
	else
		snprintf(f->label, sizeof(f->label), "%s", f->path);

	cfgs = json_object_get(m, "configs");
	for (i = 0; i < json_array_size(cfgs); i++) {
		json_t *cj = json_array_get(cfgs, i);
		struct result_config *c;

		if (!json_is_integer(json_object_get(cj, "id"))) {
			err = errmsg_set(x->e, -EINVAL, "%s: configs[%zu] has no integer id",
					 path, i);
			goto out;
		}
		c = config_add(f, json_integer_value(json_object_get(cj, "id")));
		if (!c) {
			err = -ENOMEM;
			goto out;
		}
		copy_str(c->job, sizeof(c->job), json_object_get(cj, "job"));
		copy_str(c->workload, sizeof(c->workload), json_object_get(cj, "workload"));
		copy_str(c->backing, sizeof(c->backing), json_object_get(cj, "backing"));
		copy_str(c->lock, sizeof(c->lock), json_object_get(cj, "lock"));
		copy_str(c->pin, sizeof(c->pin), json_object_get(cj, "pin"));
		c->procs = json_integer_value(json_object_get(cj, "procs"));
		c->plain = json_integer_value(json_object_get(cj, "plain"));
		c->size = json_integer_value(json_object_get(cj, "size"));
	}
out:
	json_decref(m);
	return err;
}

static FILE *open_in(const struct result_folder *f, const char *name, char *path,
		     size_t len)
{
	snprintf(path, len, "%s/%s", f->path, name);
	return fopen(path, "r");
}

static int samples_load(struct load_ctx *x)
{
	static const char *const need[] = { "config", "rep", "warmup", "teardown_ns" };
	struct result_folder *f = x->f;
	char path[PATH_MAX + 32], *line = NULL, *hdr_line = NULL;
	char *hdr[CSV_MAX_FIELDS], *fld[CSV_MAX_FIELDS];
	int nh, icfg, irep, iwu, iinst, imet[16], lineno = 1, err = 0;
	size_t cap = 0, i;
	FILE *fp;

	fp = open_in(f, "samples.csv", path, sizeof(path));
	if (!fp)
		return errmsg_set(x->e, -errno, "%s: %s", path, strerror(errno));
	if (getline(&hdr_line, &cap, fp) < 0) {
		err = errmsg_set(x->e, -EINVAL, "%s: empty file", path);
		goto out;
	}
	cap = 0;
	nh = csv_split(hdr_line, hdr, CSV_MAX_FIELDS);
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (col_index(hdr, nh, need[i]) < 0) {
			err = errmsg_set(x->e, -EINVAL, "%s: no '%s' column", path, need[i]);
			goto out;
		}
	icfg = col_index(hdr, nh, "config");
	irep = col_index(hdr, nh, "rep");
	iwu = col_index(hdr, nh, "warmup");
	iinst = col_index(hdr, nh, "instrumented");
	for (i = 0; i < result_sample_nmetrics; i++)
		imet[i] = col_index(hdr, nh, result_sample_metrics[i]);

	while (getline(&line, &cap, fp) >= 0) {
		struct result_config *c;
		struct rep_key *k;
		double cfg, rep, wu, inst = 0;
		int n;

		lineno++;
		if (line[strspn(line, " \t\r\n")] == 0)
			continue;
		n = csv_split(line, fld, CSV_MAX_FIELDS);
		if (n != nh || parse_num(fld[icfg], &cfg) || parse_num(fld[irep], &rep) ||
		    parse_num(fld[iwu], &wu) || (iinst >= 0 && parse_num(fld[iinst], &inst))) {
			err = errmsg_set(x->e, -EINVAL, "%s:%d: malformed row", path, lineno);
			goto out;
		}
		c = config_by_id(f, (int)cfg);
		if (!c) {
			/* No manifest entry: the CSV stands alone. */
			int j;

			c = config_add(f, (int)cfg);
			if (!c) {
				err = -ENOMEM;
				goto out;
			}
			if ((j = col_index(hdr, nh, "job")) >= 0)
				snprintf(c->job, sizeof(c->job), "%s", fld[j]);
			if ((j = col_index(hdr, nh, "workload")) >= 0)
				snprintf(c->workload, sizeof(c->workload), "%s", fld[j]);
			if ((j = col_index(hdr, nh, "backing")) >= 0)
				snprintf(c->backing, sizeof(c->backing), "%s", fld[j]);
			if ((j = col_index(hdr, nh, "lock")) >= 0)
				snprintf(c->lock, sizeof(c->lock), "%s", fld[j]);
			if ((j = col_index(hdr, nh, "procs")) >= 0)
				c->procs = strtoull(fld[j], NULL, 10);
			if ((j = col_index(hdr, nh, "plain")) >= 0)
				c->plain = strtoull(fld[j], NULL, 10);
			if ((j = col_index(hdr, nh, "size")) >= 0)
				c->size = strtoull(fld[j], NULL, 10);
		}
		if (x->nreps == x->repcap) {
			size_t nc = x->repcap ? 2 * x->repcap : 64;
			struct rep_key *nr = realloc(x->reps, nc * sizeof(*nr));

			if (!nr) {
				err = -ENOMEM;
				goto out;
			}
			x->reps = nr;
			x->repcap = nc;
		}
		k = &x->reps[x->nreps++];
		k->config = (int)cfg;
		k->rep = (int)rep;
		k->warmup = wu != 0;
		k->instrumented = inst != 0;
		if (k->warmup || k->instrumented)
			continue;
		c->nrows++;
		for (i = 0; i < result_sample_nmetrics; i++) {
			const char *name = result_sample_metrics[i];
			struct result_series *s;
			double v;

			if (imet[i] < 0 || !fld[imet[i]][0])
				continue;	/* column absent, or n/a */
			if (parse_num(fld[imet[i]], &v)) {
				err = errmsg_set(x->e, -EINVAL, "%s:%d: %s '%s' is not a number",
						 path, lineno, name, fld[imet[i]]);
				goto out;
			}
			s = series_get(c, name, strstr(name, "_us") ? "us" : "ns", true);
			if (!s) {
				err = -ENOMEM;
				goto out;
			}
			s->primary = i < 2;
			s->from_samples = true;
			err = push(&s->v, &s->n, &s->cap, v);
			if (err)
				goto out;
		}
	}
out:
	free(line);
	free(hdr_line);
	fclose(fp);
	return err;
}

/*
 * latencies.csv and metrics.csv are optional (older or failed collectors):
 * ROW gets each data row of NAME in turn, a non-zero return stops it.
 */
static int optional_csv_load(struct load_ctx *x, const char *name,
			     int (*row)(struct load_ctx *x, const char *path, int lineno,
					char *line))
{
	char path[PATH_MAX + 32], *line = NULL;
	size_t cap = 0;
	int lineno = 0, err = 0;
	FILE *fp;

	fp = open_in(x->f, name, path, sizeof(path));
	if (!fp)
		return errno == ENOENT ? 0 : errmsg_set(x->e, -errno, "%s: %s", path,
						       strerror(errno));
	while (!err && getline(&line, &cap, fp) >= 0) {
		if (++lineno == 1 || line[strspn(line, " \t\r\n")] == 0)
			continue;
		err = row(x, path, lineno, line);
	}
	free(line);
	fclose(fp);
	return err;
}

static int latencies_row(struct load_ctx *x, const char *path, int lineno, char *line)
{
	char *fld[CSV_MAX_FIELDS];
	const struct rep_key *k;
	struct result_config *c;
	double cfg, rep, lat;

	if (csv_split(line, fld, CSV_MAX_FIELDS) != 4 || parse_num(fld[0], &cfg) ||
	    parse_num(fld[1], &rep) || parse_num(fld[3], &lat))
		return errmsg_set(x->e, -EINVAL, "%s:%d: malformed row", path, lineno);
	k = rep_find(x, (int)cfg, (int)rep);
	c = config_by_id(x->f, (int)cfg);
	if (!c || (k && (k->warmup || k->instrumented)))
		return 0;
	return push(&c->lat, &c->nlat, &c->latcap, lat);
}

static int metrics_row(struct load_ctx *x, const char *path, int lineno, char *line)
{
	char *fld[CSV_MAX_FIELDS], name[160];
	const struct rep_key *k;
	struct result_config *c;
	struct result_series *s;
	double cfg, rep, v;
	int n;

	n = csv_split(line, fld, CSV_MAX_FIELDS);
	if (n != 6 || parse_num(fld[0], &cfg) || parse_num(fld[1], &rep))
		return errmsg_set(x->e, -EINVAL, "%s:%d: malformed row", path, lineno);
	if (!fld[4][0] || rep < 0)
		return 0;	/* n/a, or a per-configuration summary */
	if (parse_num(fld[4], &v))
		return errmsg_set(x->e, -EINVAL, "%s:%d: value '%s' is not a number",
				  path, lineno, fld[4]);
	k = rep_find(x, (int)cfg, (int)rep);
	c = config_by_id(x->f, (int)cfg);
	if (!c || (k && k->warmup))
		return 0;
	snprintf(name, sizeof(name), "%s.%s", fld[2], fld[3]);
	s = series_get(c, name, fld[5], true);
	if (!s)
		return -ENOMEM;
	return push(&s->v, &s->n, &s->cap, v);
}

int result_folder_load(const char *dir, bool allow_incomplete, struct result_folder **out,
		       struct errmsg *e)
{
	struct load_ctx x = { .e = e };
	char path[PATH_MAX + 32];
	struct stat st;
	size_t l;
	int err;

	*out = NULL;
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		return errmsg_set(e, -ENOENT, "%s: no such result folder", dir);
	x.f = calloc(1, sizeof(*x.f));
	if (!x.f)
		return -ENOMEM;
	snprintf(x.f->path, sizeof(x.f->path), "%s", dir);
	l = strlen(x.f->path);
	while (l > 1 && x.f->path[l - 1] == '/')
		x.f->path[--l] = 0;
	snprintf(path, sizeof(path), "%s/manifest.json", x.f->path);
	if (stat(path, &st)) {
		err = errmsg_set(e, -ENOENT, "%s: no manifest.json (not a result folder)", dir);
		goto fail;
	}
	err = manifest_load(&x, path, allow_incomplete);
	if (!err)
		err = samples_load(&x);
	if (!err)
		err = optional_csv_load(&x, "latencies.csv", latencies_row);
	if (!err)
		err = optional_csv_load(&x, "metrics.csv", metrics_row);
	if (err)
		goto fail;
	free(x.reps);
	*out = x.f;
	return 0;
fail:
	if (err == -ENOMEM)
		errmsg_set(e, err, "%s: out of memory", dir);
	free(x.reps);
	result_folder_free(x.f);
	return err;
}

void result_folder_free(struct result_folder *f)
{
	size_t i, j;

	if (!f)
		return;
	for (i = 0; i < f->nconfigs; i++) {
		for (j = 0; j < f->configs[i].nseries; j++)
			free(f->configs[i].series[j].v);
		free(f->configs[i].series);
		free(f->configs[i].lat);
	}
	free(f->configs);
	free(f);
}

void result_folders_unique_labels(struct result_folder **f, size_t nf)
{
	bool *dup = calloc(nf ? nf : 1, sizeof(*dup));
	size_t i, j;

	if (!dup)
		return;	/* cosmetic: keep the labels as they are */
	for (i = 0; i < nf; i++)
		for (j = i + 1; j < nf; j++)
			if (!strcmp(f[i]->label, f[j]->label))
				dup[i] = dup[j] = true;
	for (i = 0; i < nf; i++) {
		const char *base;
		char old[sizeof(f[i]->label)];

		if (!dup[i])
			continue;
		base = strrchr(f[i]->path, '/');
		base = base ? base + 1 : f[i]->path;
		memcpy(old, f[i]->label, sizeof(old));
		snprintf(f[i]->label, sizeof(f[i]->label), "%.*s (%s)", 80, old, base);
	}
	free(dup);
}

const struct result_series *result_config_series(const struct result_config *c,
						 const char *name)
{
	size_t i;

	for (i = 0; i < c->nseries; i++)
		if (!strcmp(c->series[i].name, name))
			return &c->series[i];
	return NULL;
}

bool result_config_same(const struct result_config *a, const struct result_config *b)
{
	return !strcmp(a->workload, b->workload) && !strcmp(a->backing, b->backing) &&
	       !strcmp(a->lock, b->lock) && a->procs == b->procs && a->plain == b->plain &&
	       a->size == b->size;
}

const struct result_config *result_folder_match(const struct result_folder *f,
						const struct result_config *key)
{
	size_t i;

	for (i = 0; i < f->nconfigs; i++)
		if (result_config_same(&f->configs[i], key))
			return &f->configs[i];
	return NULL;
}

void result_config_describe(const struct result_config *c, char *buf, size_t len)
{
	char sz[32];

	format_size(c->size, sz, sizeof(sz));
	snprintf(buf, len, "%s %s %s procs=%llu plain=%llu size=%s", c->workload, c->backing,
		 c->lock, c->procs, c->plain, sz);
}
