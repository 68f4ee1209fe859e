// SPDX-License-Identifier: GPL-2.0
/* Building manifest.json, and the campaign's patch of it (docs/RESULTS.md). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "common/atomic_file.h"
#include "common/timeutil.h"
#include "result/manifest.h"

json_t *manifest_new(void)
{
	json_t *m = json_pack("{s:s, s:i, s:s, s:[], s:[]}", "schema", RESULT_SCHEMA,
			      "schema_version", RESULT_SCHEMA_VERSION, "status", "running",
			      "configs", "collectors");

	return m;
}

bool manifest_is_result(const json_t *m)
{
	const char *s = json_string_value(json_object_get(m, "schema"));

	return s && !strcmp(s, RESULT_SCHEMA);
}

static json_t *job_json(const struct job *j)
{
	json_t *opts = json_object();
	size_t i;

	for (i = 0; i < job_option_count(); i++) {
		const char *v = job_option_value(j, i);

		if (v)
			json_object_set_new(opts, job_option_name(i), json_string(v));
	}
	return json_pack("{s:s, s:s, s:o}", "name", j->name, "workload", j->workload,
			 "options", opts);
}

int manifest_set_head(json_t *m, const struct run_head *h)
{
	json_t *argv = json_array(), *jobs = json_array();
	char now[32];
	size_t i;
	int err = 0;

	for (i = 0; i < (size_t)h->argc; i++)
		json_array_append_new(argv, json_string(h->argv[i]));
	for (i = 0; i < h->njobs; i++)
		json_array_append_new(jobs, job_json(&h->jobs[i]));
	iso8601_now(now, sizeof(now));
	err |= json_object_set_new(m, "tool", json_pack("{s:s, s:s, s:s}", "name", "mlockbench",
							"version", MLB_VERSION, "git",
							MLB_GIT_REV));
	err |= json_object_set_new(m, "cmdline", argv);
	err |= json_object_set_new(m, "start", json_string(now));
	err |= json_object_set_new(m, "kernel_id", json_string("native"));
	err |= json_object_set_new(m, "system", manifest_system_json(h->si));
	if (h->audit)
		err |= json_object_set_new(m, "audit", sysaudit_to_json(h->audit));
	err |= json_object_set_new(m, "jobs", jobs);
	return err ? -ENOMEM : 0;
}

/*
 * Every identity option of the option table with this configuration's
 * value: a sweep's by the configuration, the others by the job.
 */
static json_t *identity_json(const struct config *c)
{
	json_t *o = json_object();
	char buf[PATH_MAX + 16];
	size_t i;

	for (i = 0; o && i < job_option_count(); i++) {
		const char *name = job_option_name(i);

		if (!job_option_identity(i))
			continue;
		if (!strcmp(name, "procs") || !strcmp(name, "plain") || !strcmp(name, "size"))
			snprintf(buf, sizeof(buf), "%llu", (unsigned long long)
				 (!strcmp(name, "procs") ? c->procs :
				  !strcmp(name, "plain") ? c->plain : c->size));
		else if (!strcmp(name, "prot"))
			snprintf(buf, sizeof(buf), "%s", prot_mode_name(c->prot));
		else
			job_option_format(c->job, i, buf, sizeof(buf));
		json_object_set_new(o, name, json_string(buf));
	}
	return o;
}

int manifest_add_config(json_t *m, const struct config *c)
{
	const struct job *j = c->job;
	json_t *o = json_object();

	if (!o)
		return -ENOMEM;
	json_object_set_new(o, "id", json_integer(c->id));
	json_object_set_new(o, "job", json_string(j->name));
	json_object_set_new(o, "workload", json_string(c->wl->name));
	json_object_set_new(o, "procs", json_integer(c->procs));
	json_object_set_new(o, "plain", json_integer(c->plain));
	json_object_set_new(o, "size", json_integer(c->size));
	json_object_set_new(o, "backing", json_string(backing_name(j->backing)));
	if (j->backing == BACKING_FILE)
		json_object_set_new(o, "backing_dir", json_string(j->backing_dir));
	json_object_set_new(o, "lock", json_string(lock_method_name(j->lock)));
	json_object_set_new(o, "prot", json_string(prot_mode_name(c->prot)));
	json_object_set_new(o, "pin", json_string(pin_policy_name(j->pin)));
	json_object_set_new(o, "membind", j->membind >= 0 ? json_integer(j->membind)
							  : json_null());
	json_object_set_new(o, "interleave", json_boolean(j->interleave));
	json_object_set_new(o, "reps", json_integer(j->reps));
	json_object_set_new(o, "warmup", json_integer(j->warmup));
	json_object_set_new(o, "identity", identity_json(c));
	return json_array_append_new(json_object_get(m, "configs"), o) ? -ENOMEM : 0;
}

void manifest_drop_config(json_t *m, unsigned int id)
{
	json_t *cfgs = json_object_get(m, "configs");
	size_t i;

	for (i = json_array_size(cfgs); i-- > 0;)
		if (json_integer_value(json_object_get(json_array_get(cfgs, i), "id")) ==
		    (json_int_t)id)
			json_array_remove(cfgs, i);
}

/* {"config id": teardown ratio} for one collector, from the sink's rows. */
static json_t *overhead_json(const struct metric_sink *s, const char *collector)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < s->nrows; i++) {
		const struct metric_row *r = &s->rows[i];
		char id[16];

		if (r->rep != -1 || strcmp(r->collector, collector) ||
		    strcmp(r->metric, "overhead.teardown_ratio"))
			continue;
		snprintf(id, sizeof(id), "%u", r->config);
		json_object_set_new(o, id, r->available ? json_real(r->value) : json_null());
	}
	return o;
}

int manifest_add_collector(json_t *m, const struct job *j, const struct active_collector *ac,
			   const struct metric_sink *s)
{
	json_t *o = json_pack("{s:s, s:s, s:b}", "name", ac->ops->name, "job", j->name,
			      "perturbs", ac->ops->perturbs);

	if (!o)
		return -ENOMEM;
	if (ac->ops->describe)
		ac->ops->describe(ac->state, o);
	if (ac->ops->perturbs)
		json_object_set_new(o, "overhead", overhead_json(s, ac->ops->name));
	return json_array_append_new(json_object_get(m, "collectors"), o) ? -ENOMEM : 0;
}

static json_t *checks_json(const struct metric_sink *s)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < s->nchecks; i++)
		json_array_append_new(arr, json_pack("{s:i, s:s, s:s, s:b, s:s}",
						     "config", s->checks[i].config,
						     "collector", s->checks[i].collector,
						     "name", s->checks[i].name,
						     "ok", s->checks[i].ok,
						     "detail", s->checks[i].detail));
	return arr;
}

int manifest_finish(json_t *m, const char *status, const char *error,
		    const struct metric_sink *s)
{
	char now[32];
	int err = 0;

	iso8601_now(now, sizeof(now));
	err |= json_object_set_new(m, "status", json_string(status));
	err |= json_object_set_new(m, "end", json_string(now));
	err |= json_object_set_new(m, "checks", checks_json(s));
	if (error)
		err |= json_object_set_new(m, "error", json_string(error));
	return err ? -ENOMEM : 0;
}

int manifest_dir_status(const char *dir, char *status, size_t len, bool *is_result)
{
	char path[PATH_MAX + 16];
	const char *s;
	json_t *j;

	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	j = json_load_file(path, 0, NULL);
	if (!j)
		return -ENOENT;
	s = json_string_value(json_object_get(j, "status"));
	snprintf(status, len, "%s", s ? s : "");
	*is_result = manifest_is_result(j);
	json_decref(j);
	return 0;
}

bool manifest_dir_complete(const char *dir)
{
	char status[32];
	bool is_result;

	return !manifest_dir_status(dir, status, sizeof(status), &is_result) && is_result &&
	       !strcmp(status, "complete");
}

int manifest_patch_campaign(const char *dir, const struct manifest_campaign *p,
			    struct errmsg *e)
{
	char path[PATH_MAX + 16];
	const char *st;
	json_t *j;
	int err;

	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	j = json_load_file(path, 0, NULL);
	if (!j) {
		/* nothing came back: a manifest that says so, never "complete" */
		j = manifest_new();
		if (!j)
			return errmsg_set(e, -ENOMEM, "out of memory");
		json_object_set_new(j, "status", json_string("failed"));
	}
	json_object_set_new(j, "kernel_id", json_string(p->kernel_id));
	json_object_set_new(j, "campaign", json_string(p->campaign));
	if (p->expected_design && p->expected_design[0])
		json_object_set_new(j, "expected_design", json_string(p->expected_design));
	if (p->design_mismatch)
		json_object_set_new(j, "design_mismatch", json_true());
	st = json_string_value(json_object_get(j, "status"));
	if (p->failed && st && !strcmp(st, "complete"))
		json_object_set_new(j, "status", json_string("failed"));
	if (p->failed)
		json_object_set_new(j, "campaign_error", json_string(p->error ? p->error : ""));
	if (p->host)
		json_object_set_new(j, "host_audit", sysaudit_to_json(p->host));
	err = atomic_write_json(path, j, e);
	json_decref(j);
	return err;
}
