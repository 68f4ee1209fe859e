// SPDX-License-Identifier: GPL-2.0
/* Result folder reader: manifest.json (jansson) and the three CSV files. */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "common/parse.h"
#include "result/manifest.h"
#include "result/reader.h"

#define CSV_MAX_FIELDS 64
#define CMP_NUM(a, b) ((a) < (b) ? -1 : (a) > (b))

/*
 * Ranges of the numbers a folder may hold (docs/RESULTS.md).  Times are
 * integer ns (CPU times us): 10^15 is 11.6 days in ns, and every integer up
 * to it is exact in a double.  Anything outside is a corrupt file, not data.
 */
#define TIME_MAX 1000000000000000ULL
#define REP_MAX 10000000ULL		/* repetitions of one configuration */
#define PROCS_MAX (1ULL << 22)		/* lockers or plain mappers */
#define METRIC_MAX 1e18			/* |value| of a metrics.csv row */
#define NUM_MAX_CHARS 40		/* longer than any number above */

/* A (config, rep) row of samples.csv: which series its rows belong to. */
struct rep_key {
	int config, rep;
	int line;			/* of samples.csv, for duplicate rows */
	bool warmup, instrumented;
};

/* Manifest ids in ascending order: config_by_id() bisects it. */
struct id_index {
	int id;
	size_t idx;
};

struct load_ctx {
	struct result_folder *f;
	struct rep_key *reps;		/* sorted by (config, rep) once read */
	size_t nreps, repcap;
	struct id_index *ids;
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

/*
 * A decimal integer in [0, @max]: digits only (no sign, space, exponent,
 * "inf" or "nan"), so a value is exactly what the writer printed.
 */
static int parse_uint(const char *s, unsigned long long max, unsigned long long *v)
{
	size_t len = strlen(s);
	char *end;

	if (!len)
		return -ENODATA;
	if (len > NUM_MAX_CHARS || strspn(s, "0123456789") != len)
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || *v > max ? -ERANGE : 0;
}

/* A metrics.csv value: finite, |v| <= METRIC_MAX, nothing after it. */
static int parse_metric(const char *s, double *v)
{
	size_t len = strlen(s);
	char *end;

	if (!len)
		return -ENODATA;
	if (len > NUM_MAX_CHARS || strspn(s, "+-.0123456789eE") != len)
		return -EINVAL;	/* also refuses "inf", "nan", hex, spaces */
	*v = strtod(s, &end);
	return *end || !isfinite(*v) || fabs(*v) > METRIC_MAX ? -EINVAL : 0;
}

/* A field for an error message: at most NUM_MAX_CHARS, control bytes as '?'. */
static const char *shown(const char *s, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s[i] && i + 4 < len && i < NUM_MAX_CHARS; i++)
		buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	snprintf(buf + i, len - i, "%s", s[i] ? "..." : "");
	return buf;
}

/* Column @col of @path:@line holds @s, which is not an integer in [0, @max]. */
static int bad_uint(struct errmsg *e, const char *path, int line, const char *col,
		    const char *s, unsigned long long max)
{
	char buf[NUM_MAX_CHARS + 8];

	return errmsg_set(e, -EINVAL, "%s:%d: %s '%s' is not an integer from 0 to %llu",
			  path, line, col, shown(s, buf, sizeof(buf)), max);
}

/* Read column @col (@s) of @path:@line into *@v, an integer in [0, @max]. */
static int get_uint(struct load_ctx *x, const char *path, int line, const char *col,
		    const char *s, unsigned long long max, unsigned long long *v)
{
	return parse_uint(s, max, v) ? bad_uint(x->e, path, line, col, s, max) : 0;
}

static int id_cmp(const void *a, const void *b)
{
	const struct id_index *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static struct result_config *config_by_id(const struct load_ctx *x, unsigned long long id)
{
	struct id_index key = { .id = id <= INT_MAX ? (int)id : -1 }, *hit;

	if (!x->f->nconfigs || key.id < 0)
		return NULL;
	hit = bsearch(&key, x->ids, x->f->nconfigs, sizeof(*x->ids), id_cmp);
	return hit ? &x->f->configs[hit->idx] : NULL;
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

static int rep_cmp(const void *a, const void *b)
{
	const struct rep_key *x = a, *y = b;

	if (x->config != y->config)
		return x->config < y->config ? -1 : 1;
	if (x->rep != y->rep)
		return x->rep < y->rep ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static const struct rep_key *rep_find(const struct load_ctx *x, int config, int rep)
{
	struct rep_key key = { .config = config, .rep = rep };
	size_t lo = 0, hi = x->nreps;

	/* rep_cmp also orders by line: find the first row of (config, rep) */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct rep_key *k = &x->reps[mid];

		if (k->config < key.config || (k->config == key.config && k->rep < key.rep))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < x->nreps && x->reps[lo].config == config && x->reps[lo].rep == rep)
		return &x->reps[lo];
	return NULL;
}

/* Sort the repetitions for rep_find(); a (config, rep) seen twice is an error. */
static int reps_index(struct load_ctx *x, const char *path)
{
	size_t i;

	if (x->nreps)
		qsort(x->reps, x->nreps, sizeof(*x->reps), rep_cmp);
	for (i = 1; i < x->nreps; i++)
		if (x->reps[i].config == x->reps[i - 1].config &&
		    x->reps[i].rep == x->reps[i - 1].rep)
			return errmsg_set(x->e, -EINVAL, "%s:%d: config %d rep %d again (first on "
					  "line %d)", path, x->reps[i].line, x->reps[i].config,
					  x->reps[i].rep, x->reps[i - 1].line);
	return 0;
}

/* Index the manifest's ids for config_by_id(); two configurations with one id are an error. */
static int ids_index(struct load_ctx *x, const char *path)
{
	struct result_folder *f = x->f;
	size_t i;

	x->ids = calloc(f->nconfigs ? f->nconfigs : 1, sizeof(*x->ids));
	if (!x->ids)
		return -ENOMEM;
	for (i = 0; i < f->nconfigs; i++)
		x->ids[i] = (struct id_index){ f->configs[i].id, i };
	if (f->nconfigs)
		qsort(x->ids, f->nconfigs, sizeof(*x->ids), id_cmp);
	for (i = 1; i < f->nconfigs; i++)
		if (x->ids[i].id == x->ids[i - 1].id)
			return errmsg_set(x->e, -EINVAL, "%s: configs[%zu] and configs[%zu] both "
					  "have id %d", path, x->ids[i - 1].idx, x->ids[i].idx,
					  x->ids[i].id);
	return 0;
}

static FILE *open_in(const struct result_folder *f, const char *name, char *path,
		     size_t len)
{
	snprintf(path, len, "%s/%s", f->path, name);
	return fopen(path, "r");
}

/* A column of samples.csv that repeats the configuration, so the CSV stands alone. */
struct echo_col {
	const char *name;
	bool num;			/* an unsigned long long, else a string */
	size_t off;			/* in struct result_config */
};

static const struct echo_col echo_cols[] = {
	{ "job", false, offsetof(struct result_config, job) },
	{ "workload", false, offsetof(struct result_config, workload) },
	{ "backing", false, offsetof(struct result_config, backing) },
	{ "lock", false, offsetof(struct result_config, lock) },
	{ "procs", true, offsetof(struct result_config, procs) },
	{ "plain", true, offsetof(struct result_config, plain) },
	{ "size", true, offsetof(struct result_config, size) },
};
#define NECHO (sizeof(echo_cols) / sizeof(echo_cols[0]))

/*
 * The row's copy of its configuration must be the manifest's: a folder
 * where they differ holds rows of another run (an --overwrite that failed
 * half-way), and reading them as this configuration would be a false verdict.
 */
static int row_matches_config(struct load_ctx *x, const char *path, int line,
			      const struct result_config *c, char **fld, const int *icol)
{
	char got[NUM_MAX_CHARS + 8], want[NUM_MAX_CHARS + 8];
	size_t i;

	for (i = 0; i < NECHO; i++) {
		const struct echo_col *ec = &echo_cols[i];
		const char *v;

		if (icol[i] < 0)
			continue;
		v = fld[icol[i]];
		if (!ec->num) {
			const char *m = (const char *)c + ec->off;

			if (!strcmp(v, m))
				continue;
			shown(m, want, sizeof(want));
		} else {
			unsigned long long n, m = *(const unsigned long long *)((const char *)c +
										ec->off);

			if (!parse_uint(v, ULLONG_MAX, &n) && n == m)
				continue;
			snprintf(want, sizeof(want), "%llu", m);
		}
		return errmsg_set(x->e, -EINVAL, "%s:%d: config %d has %s=%s here but %s in "
				  "manifest.json (rows of another run?)", path, line, c->id,
				  ec->name, shown(v, got, sizeof(got)), want);
	}
	return 0;
}

#define SERIES_MAX 16		/* samples.csv series columns (result/schema.c) */

/* Where samples.csv keeps each column this reader needs (-1: absent). */
struct samples_cols {
	int nh, icfg, irep, iwu, iinst;
	int imet[SERIES_MAX], iecho[NECHO];
	size_t nmet;
	int itime[CSV_MAX_FIELDS];	/* every ns/us column, series or not */
	const char *time_name[CSV_MAX_FIELDS];
	size_t ntime;
};

/*
 * Required: the keys, the configuration's echo and the primary series; a
 * folder without one is not ours.  Older folders lack the columns added
 * later (result_column_optional), and the other series may be absent.
 */
static bool samples_col_required(const struct result_column *col)
{
	if (result_column_optional(col))
		return false;
	return col->dir == RESULT_DIR_NONE || result_series_is_primary(col);
}

/* The required columns are there, and where the times are. */
static int samples_schema_cols(struct load_ctx *x, const char *path, char **hdr,
			       struct samples_cols *sc)
{
	const struct result_table *t = &result_samples_table;
	size_t i;

	sc->ntime = 0;
	for (i = 0; i < t->ncols; i++) {
		const struct result_column *col = &t->cols[i];
		int at = col_index(hdr, sc->nh, col->name);

		if (at < 0 && samples_col_required(col))
			return errmsg_set(x->e, -EINVAL, "%s: no '%s' column", path, col->name);
		if (at >= 0 && (!strcmp(col->unit, "ns") || !strcmp(col->unit, "us"))) {
			sc->time_name[sc->ntime] = col->name;
			sc->itime[sc->ntime++] = at;
		}
	}
	return 0;
}

static int samples_header(struct load_ctx *x, const char *path, char *hdr_line,
			  struct samples_cols *sc)
{
	char *hdr[CSV_MAX_FIELDS];
	size_t i;
	int err;

	sc->nh = csv_split(hdr_line, hdr, CSV_MAX_FIELDS);
	err = samples_schema_cols(x, path, hdr, sc);
	if (err)
		return err;
	sc->icfg = col_index(hdr, sc->nh, "config");
	sc->irep = col_index(hdr, sc->nh, "rep");
	sc->iwu = col_index(hdr, sc->nh, "warmup");
	sc->iinst = col_index(hdr, sc->nh, "instrumented");
	sc->nmet = result_series_count();
	if (sc->nmet > SERIES_MAX)
		sc->nmet = SERIES_MAX;
	for (i = 0; i < sc->nmet; i++)
		sc->imet[i] = col_index(hdr, sc->nh, result_series_column(i)->name);
	for (i = 0; i < NECHO; i++)
		sc->iecho[i] = col_index(hdr, sc->nh, echo_cols[i].name);
	return 0;
}

/* A new (config, rep) key of samples.csv line @lineno. */
static struct rep_key *rep_add(struct load_ctx *x)
{
	if (x->nreps == x->repcap) {
		size_t nc = x->repcap ? 2 * x->repcap : 64;
		struct rep_key *nr = realloc(x->reps, nc * sizeof(*nr));

		if (!nr)
			return NULL;
		x->reps = nr;
		x->repcap = nc;
	}
	return &x->reps[x->nreps++];
}

/* The series columns of one row: checked on every row, kept for timed ones. */
static int samples_values(struct load_ctx *x, const char *path, int lineno,
			  const struct samples_cols *sc, char **fld, struct result_config *c,
			  bool timed)
{
	unsigned long long v;
	size_t i;
	int err;

	/* every time, series or not: a bad one is a bad file whatever reads it */
	for (i = 0; i < sc->ntime; i++) {
		if (!fld[sc->itime[i]][0])
			continue;	/* n/a */
		err = get_uint(x, path, lineno, sc->time_name[i], fld[sc->itime[i]], TIME_MAX,
			       &v);
		if (err)
			return err;
	}
	for (i = 0; i < sc->nmet; i++) {
		const struct result_column *col = result_series_column(i);
		struct result_series *s;

		if (sc->imet[i] < 0 || !fld[sc->imet[i]][0])
			continue;	/* column absent, or n/a */
		/* a bad warm-up is a bad file too */
		err = get_uint(x, path, lineno, col->name, fld[sc->imet[i]], TIME_MAX, &v);
		if (err)
			return err;
		if (!timed)
			continue;
		s = series_get(c, col->name, col->unit, true);
		if (!s)
			return -ENOMEM;
		s->primary = result_series_is_primary(col);
		s->from_samples = true;
		err = push(&s->v, &s->n, &s->cap, v);
		if (err)
			return err;
	}
	return 0;
}

static int samples_row(struct load_ctx *x, const char *path, int lineno, char *line,
		       const struct samples_cols *sc)
{
	unsigned long long cfg, rep, wu, inst = 0;
	char *fld[CSV_MAX_FIELDS];
	struct result_config *c;
	struct rep_key *k;
	int n = csv_split(line, fld, CSV_MAX_FIELDS), err;

	if (n != sc->nh)
		return errmsg_set(x->e, -EINVAL, "%s:%d: malformed row (%d fields, the header "
				  "has %d)", path, lineno, n, sc->nh);
	err = get_uint(x, path, lineno, "config", fld[sc->icfg], INT_MAX, &cfg);
	if (!err)
		err = get_uint(x, path, lineno, "rep", fld[sc->irep], REP_MAX, &rep);
	if (!err)
		err = get_uint(x, path, lineno, "warmup", fld[sc->iwu], 1, &wu);
	if (!err && sc->iinst >= 0)
		err = get_uint(x, path, lineno, "instrumented", fld[sc->iinst], 1, &inst);
	if (err)
		return err;
	c = config_by_id(x, cfg);
	if (!c)
		return errmsg_set(x->e, -EINVAL, "%s:%d: config %llu is not in manifest.json "
				  "(rows of another run?)", path, lineno, cfg);
	err = row_matches_config(x, path, lineno, c, fld, sc->iecho);
	if (err)
		return err;
	k = rep_add(x);
	if (!k)
		return -ENOMEM;
	*k = (struct rep_key){ .config = cfg, .rep = rep, .line = lineno, .warmup = wu,
			       .instrumented = inst };
	err = samples_values(x, path, lineno, sc, fld, c, !wu && !inst);
	c->nrows += !err && !wu && !inst;
	return err;
}

static int samples_load(struct load_ctx *x)
{
	char path[PATH_MAX + 32], *line = NULL, *hdr_line = NULL;
	struct samples_cols sc;
	int lineno = 1, err = 0;
	size_t cap = 0;
	FILE *fp;

	fp = open_in(x->f, "samples.csv", path, sizeof(path));
	if (!fp)
		return errmsg_set(x->e, -errno, "%s: %s", path, strerror(errno));
	if (getline(&hdr_line, &cap, fp) < 0)
		err = errmsg_set(x->e, -EINVAL, "%s: empty file", path);
	if (!err)
		err = samples_header(x, path, hdr_line, &sc);
	cap = 0;
	while (!err && getline(&line, &cap, fp) >= 0) {
		lineno++;
		if (line[strspn(line, " \t\r\n")] != 0)
			err = samples_row(x, path, lineno, line, &sc);
	}
	if (!err)
		err = reps_index(x, path);
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

/*
 * The configuration and repetition of a latencies.csv or metrics.csv row;
 * @k NULL: a per-configuration row (no repetition).
 */
static int row_rep(struct load_ctx *x, const char *path, int line, const char *cfg_s,
		   unsigned long long rep, struct result_config **c, const struct rep_key **k)
{
	unsigned long long cfg;
	int err = get_uint(x, path, line, "config", cfg_s, INT_MAX, &cfg);

	if (err)
		return err;
	*c = config_by_id(x, cfg);
	if (!*c)
		return errmsg_set(x->e, -EINVAL, "%s:%d: config %llu is not in manifest.json "
				  "(rows of another run?)", path, line, cfg);
	if (!k)
		return 0;
	*k = rep_find(x, cfg, rep);
	if (!*k)
		return errmsg_set(x->e, -EINVAL, "%s:%d: config %llu rep %llu is not in "
				  "samples.csv (rows of another run?)", path, line, cfg, rep);
	return 0;
}

static int latencies_row(struct load_ctx *x, const char *path, int lineno, char *line)
{
	char *fld[CSV_MAX_FIELDS];
	const struct rep_key *k;
	struct result_config *c;
	unsigned long long rep, child, lat;
	int n = csv_split(line, fld, CSV_MAX_FIELDS), err;

	if (n != 4)
		return errmsg_set(x->e, -EINVAL, "%s:%d: malformed row (%d fields, not 4)", path,
				  lineno, n);
	err = get_uint(x, path, lineno, "rep", fld[1], REP_MAX, &rep);
	if (!err)
		err = row_rep(x, path, lineno, fld[0], rep, &c, &k);
	if (!err)
		err = get_uint(x, path, lineno, "child", fld[2], PROCS_MAX, &child);
	if (!err)
		err = get_uint(x, path, lineno, "latency_ns", fld[3], TIME_MAX, &lat);
	if (err)
		return err;
	if (child >= c->procs)
		return errmsg_set(x->e, -EINVAL, "%s:%d: child %llu of config %d, which has "
				  "procs=%llu in manifest.json", path, lineno, child, c->id,
				  c->procs);
	if (k->warmup || k->instrumented)
		return 0;
	return push(&c->lat, &c->nlat, &c->latcap, lat);
}

static int metrics_row(struct load_ctx *x, const char *path, int lineno, char *line)
{
	char *fld[CSV_MAX_FIELDS], name[160], buf[NUM_MAX_CHARS + 8];
	const struct rep_key *k = NULL;
	struct result_config *c;
	struct result_series *s;
	unsigned long long rep = 0;
	int n = csv_split(line, fld, CSV_MAX_FIELDS), err = 0;
	bool summary;
	double v;

	if (n != 6)
		return errmsg_set(x->e, -EINVAL, "%s:%d: malformed row (%d fields, not 6)", path,
				  lineno, n);
	summary = !strcmp(fld[1], "-1");
	if (!summary)
		err = get_uint(x, path, lineno, "rep", fld[1], REP_MAX, &rep);
	if (!err)
		err = row_rep(x, path, lineno, fld[0], rep, &c, summary ? NULL : &k);
	if (err)
		return err;
	if (!fld[4][0])
		return 0;	/* n/a */
	if (parse_metric(fld[4], &v))
		return errmsg_set(x->e, -EINVAL, "%s:%d: value '%s' is not a finite number of "
				  "at most %g", path, lineno, shown(fld[4], buf, sizeof(buf)),
				  METRIC_MAX);
	if (summary || k->warmup)
		return 0;	/* a per-configuration summary, or a warm-up */
	snprintf(name, sizeof(name), "%s.%s", fld[2], fld[3]);
	s = series_get(c, name, fld[5], true);
	if (!s)
		return -ENOMEM;
	return push(&s->v, &s->n, &s->cap, v);
}

static int by_key_cmp(const void *a, const void *b, void *configs)
{
	const struct result_config *c = configs;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int d = result_config_cmp(&c[x], &c[y]);

	return d ? d : CMP_NUM(x, y);	/* equal keys: manifest order */
}

/* Sort the configurations by key for result_folder_match(). */
static int folder_index(struct result_folder *f)
{
	size_t i;

	f->by_key = malloc((f->nconfigs ? f->nconfigs : 1) * sizeof(*f->by_key));
	if (!f->by_key)
		return -ENOMEM;
	for (i = 0; i < f->nconfigs; i++)
		f->by_key[i] = i;
	if (f->nconfigs)
		qsort_r(f->by_key, f->nconfigs, sizeof(*f->by_key), by_key_cmp, f->configs);
	return 0;
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
	err = manifest_read(path, allow_incomplete, x.f, e);
	if (!err)
		err = ids_index(&x, path);
	if (!err)
		err = samples_load(&x);
	if (!err)
		err = optional_csv_load(&x, "latencies.csv", latencies_row);
	if (!err)
		err = optional_csv_load(&x, "metrics.csv", metrics_row);
	if (err)
		goto fail;
	free(x.reps);
	free(x.ids);
	err = folder_index(x.f);
	if (err) {
		result_folder_free(x.f);
		return errmsg_set(e, err, "%s: out of memory", dir);
	}
	*out = x.f;
	return 0;
fail:
	if (err == -ENOMEM)
		errmsg_set(e, err, "%s: out of memory", dir);
	free(x.reps);
	free(x.ids);
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
	free(f->by_key);
	free(f);
}

/* Whether files @pa and @pb have the same bytes (false when either cannot be read). */
static bool same_bytes(const char *pa, const char *pb)
{
	FILE *fa = fopen(pa, "r"), *fb = fopen(pb, "r");
	char ba[8192], bb[8192];
	bool same = fa && fb;
	size_t na, nb;

	while (same) {
		na = fread(ba, 1, sizeof(ba), fa);
		nb = fread(bb, 1, sizeof(bb), fb);
		same = na == nb && !memcmp(ba, bb, na) && !ferror(fa) && !ferror(fb);
		if (na < sizeof(ba))
			break;
	}
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
}

bool result_folder_same_run(const struct result_folder *a, const struct result_folder *b)
{
	char ra[PATH_MAX], rb[PATH_MAX], pa[PATH_MAX + 16], pb[PATH_MAX + 16];

	if (realpath(a->path, ra) && realpath(b->path, rb) && !strcmp(ra, rb))
		return true;
	snprintf(pa, sizeof(pa), "%s/samples.csv", a->path);
	snprintf(pb, sizeof(pb), "%s/samples.csv", b->path);
	return same_bytes(pa, pb);
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

int result_config_cmp(const struct result_config *a, const struct result_config *b)
{
	int d = strcmp(a->workload, b->workload);

	if (!d)
		d = strcmp(a->backing, b->backing);
	if (!d)
		d = strcmp(a->lock, b->lock);
	if (!d)
		d = CMP_NUM(a->procs, b->procs);
	if (!d)
		d = CMP_NUM(a->plain, b->plain);
	if (!d)
		d = CMP_NUM(a->size, b->size);
	if (!d)
		d = strcmp(a->extra, b->extra);
	return d;
}

bool result_config_same(const struct result_config *a, const struct result_config *b)
{
	return !result_config_cmp(a, b);
}

const struct result_config *result_folder_match(const struct result_folder *f,
						const struct result_config *key)
{
	size_t lo = 0, hi = f->nconfigs;

	if (!f->by_key)
		return NULL;
	while (lo < hi) {	/* the first one not below @key */
		size_t mid = lo + (hi - lo) / 2;

		if (result_config_cmp(&f->configs[f->by_key[mid]], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < f->nconfigs && result_config_same(&f->configs[f->by_key[lo]], key))
		return &f->configs[f->by_key[lo]];
	return NULL;
}

void result_config_describe(const struct result_config *c, char *buf, size_t len)
{
	char sz[32];

	format_size(c->size, sz, sizeof(sz));
	snprintf(buf, len, "%s %s %s procs=%llu plain=%llu size=%s%s%s", c->workload,
		 c->backing, c->lock, c->procs, c->plain, sz, c->extra[0] ? " " : "", c->extra);
}
