// SPDX-License-Identifier: GPL-2.0
/* Reading manifest.json into a struct result_folder (docs/RESULTS.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result/manifest.h"

/* Bounds of the manifest's configuration numbers (docs/RESULTS.md). */
#define PROCS_MAX (1ULL << 22)		/* lockers or plain mappers */
#define SIZE_MAX_BYTES (1ULL << 52)	/* bytes per locker: 4 PiB */
#define REPS_MAX (1ULL << 22)		/* repetitions or warm-ups of a configuration */
#define IDENT_VALUE_MAX 64		/* longer than any canonical option value */

/* The identity options outside the typed fields, with their defaults. */
struct ident_defaults {
	const char *name[JOB_MAX_OPTS];
	char def[JOB_MAX_OPTS][IDENT_VALUE_MAX];
	size_t n;
};

static void ident_defaults_init(struct ident_defaults *d)
{
	struct job j;
	size_t i;

	job_init(&j, "default");
	d->n = 0;
	for (i = 0; i < job_option_count() && d->n < JOB_MAX_OPTS; i++) {
		if (!job_option_identity(i) || result_identity_is_typed(job_option_name(i)))
			continue;
		d->name[d->n] = job_option_name(i);
		job_option_format(&j, i, d->def[d->n], sizeof(d->def[d->n]));
		d->n++;
	}
}

static void copy_str(char *dst, size_t len, const json_t *v)
{
	const char *s = json_string_value(v);

	snprintf(dst, len, "%s", s ? s : "");
}

static int check_schema(const json_t *m, const char *path, bool allow_incomplete,
			struct result_folder *f, struct errmsg *e)
{
	const json_t *v;

	if (!json_is_object(m) || !manifest_is_result(m))
		return errmsg_set(e, -EINVAL, "%s: not an mlockbench result (schema is not '%s')",
				  path, RESULT_SCHEMA);
	v = json_object_get(m, "schema_version");
	if (!json_is_integer(v) || json_integer_value(v) != RESULT_SCHEMA_VERSION)
		return errmsg_set(e, -EINVAL, "%s: schema_version %s, this tool reads %d", path,
				  json_is_integer(v) ? "is not 1" : "missing",
				  RESULT_SCHEMA_VERSION);
	copy_str(f->status, sizeof(f->status), json_object_get(m, "status"));
	if (strcmp(f->status, "complete") && !allow_incomplete)
		return errmsg_set(e, -EINVAL, "%s: status is '%s', not complete "
				  "(--allow-incomplete reads it anyway)", f->path,
				  f->status[0] ? f->status : "missing");
	return 0;
}

static void read_head(const json_t *m, struct result_folder *f)
{
	const json_t *v;
	size_t i;

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
	manifest_system_read(json_object_get(m, "system"), f);
	if (f->kernel_id[0] && strcmp(f->kernel_id, "native"))
		snprintf(f->label, sizeof(f->label), "%s", f->kernel_id);
	else if (f->release[0])
		snprintf(f->label, sizeof(f->label), "%s", f->release);
	else
		snprintf(f->label, sizeof(f->label), "%s", f->path);
}

/*
 * The audit object @key ("audit": the run's environment; "host_audit": a
 * campaign's host) into @a; a manifest without it leaves @has false.
 */
static int read_audit(const json_t *m, const char *key, const char *path,
		      struct sysaudit *a, bool *has, struct errmsg *e)
{
	const json_t *o = json_object_get(m, key);
	int err;

	sysaudit_init(a);
	*has = false;
	if (!o)
		return 0;
	err = sysaudit_from_json(o, a, e);
	if (err)
		return errmsg_prefix(e, err, "%s: %s", path, key);
	*has = true;
	return 0;
}

/* configs[@i].@key of @path: an integer in [@min, @max]. */
static int config_uint(const char *path, size_t i, const json_t *cj, const char *key,
		       unsigned long long min, unsigned long long max,
		       unsigned long long *v, struct errmsg *e)
{
	const json_t *j = json_object_get(cj, key);
	json_int_t n = json_integer_value(j);

	if (!json_is_integer(j) || n < 0 || (unsigned long long)n < min ||
	    (unsigned long long)n > max)
		return errmsg_set(e, -EINVAL, "%s: configs[%zu].%s is %s (an integer from %llu "
				  "to %llu)", path, i, key,
				  json_is_integer(j) ? "out of range" : "missing or not an integer",
				  min, max);
	*v = n;
	return 0;
}

/* configs[@i].@key, when present, is an integer in [@min, @max] too: a manifest is whole or refused. */
static int config_opt_uint(const char *path, size_t i, const json_t *cj, const char *key,
			   unsigned long long min, unsigned long long max, struct errmsg *e)
{
	unsigned long long v;

	if (!json_object_get(cj, key))
		return 0;
	return config_uint(path, i, cj, key, min, max, &v, e);
}

/* A value of the identity object (*@out NULL when absent): a short printable string. */
static int ident_value(const json_t *ident, const char *name, const char *path, size_t i,
		       const char **out, struct errmsg *e)
{
	const json_t *v = json_object_get(ident, name);
	const char *s = json_string_value(v);
	size_t k;

	*out = NULL;
	if (!v)
		return 0;
	if (!s || strlen(s) >= IDENT_VALUE_MAX)
		return errmsg_set(e, -EINVAL, "%s: configs[%zu].identity.%s is not a string of "
				  "at most %d characters", path, i, name, IDENT_VALUE_MAX - 1);
	for (k = 0; s[k]; k++)
		if ((unsigned char)s[k] <= ' ' || s[k] == 0x7f)
			return errmsg_set(e, -EINVAL, "%s: configs[%zu].identity.%s holds a space "
					  "or control byte", path, i, name);
	*out = s;
	return 0;
}

/*
 * The extra key of configuration @i: its non-default identity values
 * outside the typed fields, "name=value" in option-table order.  A folder
 * without "identity" (written before it existed) has only "pin".
 */
static int read_identity(const json_t *cj, const char *path, size_t i,
			 const struct ident_defaults *d, struct result_config *c,
			 struct errmsg *e)
{
	const json_t *ident = json_object_get(cj, "identity");
	size_t k, off = 0;
	int err;

	if (ident && !json_is_object(ident))
		return errmsg_set(e, -EINVAL, "%s: configs[%zu].identity is not an object", path,
				  i);
	c->extra[0] = 0;
	for (k = 0; k < d->n; k++) {
		const char *v = NULL;

		if (ident) {
			err = ident_value(ident, d->name[k], path, i, &v, e);
			if (err)
				return err;
		} else if (!strcmp(d->name[k], "pin")) {
			v = c->pin;
		}
		if (!v || !v[0] || !strcmp(v, d->def[k]))
			continue;
		off += snprintf(c->extra + off, sizeof(c->extra) - off, "%s%s=%s",
				off ? " " : "", d->name[k], v);
		if (off >= sizeof(c->extra))
			return errmsg_set(e, -EINVAL, "%s: configs[%zu].identity is too long", path,
					  i);
	}
	return 0;
}

/*
 * The options of the job that shape a measurement but not its identity, and
 * what a folder older than the option did (probe: none was run).
 */
static const struct {
	const char *name, *absent;
} method_options[] = {
	{ "collect", "-" }, { "perf-record", "-" }, { "probe", "none" }, { "reps", "-" },
	{ "seed", "-" }, { "warmup", "-" },
};

/* The options object of the job named @name in the manifest's jobs, or NULL. */
static const json_t *job_options(const json_t *jobs, const char *name)
{
	size_t i;

	for (i = 0; i < json_array_size(jobs); i++) {
		const json_t *j = json_array_get(jobs, i);
		const char *n = json_string_value(json_object_get(j, "name"));

		if (n && !strcmp(n, name))
			return json_object_get(j, "options");
	}
	return NULL;
}

static void read_method(const json_t *jobs, struct result_config *c)
{
	const json_t *opts = job_options(jobs, c->job);
	size_t i, off = 0;

	c->method[0] = 0;
	if (!json_is_object(opts))
		return;
	for (i = 0; i < sizeof(method_options) / sizeof(method_options[0]); i++) {
		const json_t *o = json_object_get(opts, method_options[i].name);
		const char *v = o ? json_string_value(o) : method_options[i].absent;

		/* bounded by the buffer: a hostile value is cut, never overflows */
		if (off < sizeof(c->method))
			off += snprintf(c->method + off, sizeof(c->method) - off, "%s%s=%.64s",
					off ? " " : "", method_options[i].name, v ? v : "-");
	}
}

static int read_config(const json_t *cj, const char *path, size_t i,
		       const struct ident_defaults *d, struct result_config *c,
		       struct errmsg *e)
{
	unsigned long long id;
	int err = config_uint(path, i, cj, "id", 0, INT_MAX, &id, e);

	if (err)
		return err;
	c->id = id;
	copy_str(c->job, sizeof(c->job), json_object_get(cj, "job"));
	copy_str(c->workload, sizeof(c->workload), json_object_get(cj, "workload"));
	copy_str(c->backing, sizeof(c->backing), json_object_get(cj, "backing"));
	copy_str(c->lock, sizeof(c->lock), json_object_get(cj, "lock"));
	copy_str(c->pin, sizeof(c->pin), json_object_get(cj, "pin"));
	err = config_uint(path, i, cj, "procs", 1, PROCS_MAX, &c->procs, e);
	if (!err)
		err = config_uint(path, i, cj, "plain", 0, PROCS_MAX, &c->plain, e);
	if (!err)
		err = config_uint(path, i, cj, "size", 1, SIZE_MAX_BYTES, &c->size, e);
	if (!err)
		err = config_opt_uint(path, i, cj, "reps", 1, REPS_MAX, e);
	if (!err)
		err = config_opt_uint(path, i, cj, "warmup", 0, REPS_MAX, e);
	if (!err)
		err = read_identity(cj, path, i, d, c, e);
	return err;
}

static int read_configs(const json_t *m, const char *path, struct result_folder *f,
			struct errmsg *e)
{
	const json_t *cfgs = json_object_get(m, "configs");
	struct ident_defaults d;
	size_t i, n = json_array_size(cfgs);
	int err;

	if (cfgs && !json_is_array(cfgs))
		return errmsg_set(e, -EINVAL, "%s: configs is not an array", path);
	f->configs = calloc(n ? n : 1, sizeof(*f->configs));
	if (!f->configs)
		return -ENOMEM;
	ident_defaults_init(&d);
	for (i = 0; i < n; i++) {
		err = read_config(json_array_get(cfgs, i), path, i, &d, &f->configs[i], e);
		if (err)
			return err;
		read_method(json_object_get(m, "jobs"), &f->configs[i]);
		f->nconfigs++;
	}
	return 0;
}

int manifest_read(const char *path, bool allow_incomplete, struct result_folder *f,
		  struct errmsg *e)
{
	json_error_t jerr;
	json_t *m;
	int err;

	m = json_load_file(path, 0, &jerr);
	if (!m)
		return errmsg_set(e, -EINVAL, "%s:%d: %s", path, jerr.line, jerr.text);
	err = check_schema(m, path, allow_incomplete, f, e);
	if (!err) {
		read_head(m, f);
		err = read_audit(m, "audit", path, &f->audit, &f->has_audit, e);
	}
	if (!err)
		err = read_audit(m, "host_audit", path, &f->host, &f->has_host, e);
	if (!err)
		err = read_configs(m, path, f, e);
	json_decref(m);
	return err;
}
