// SPDX-License-Identifier: GPL-2.0
/*
 * A boot's result folder: built in <id>/boot-<n>.partial, the manifest
 * patched with the campaign's view (kernel id, design check, failure),
 * campaign.json beside it, then renamed to <id>/boot-<n>.  A folder never
 * says "complete" unless the boot's run did.  The campaign's own
 * campaign.json lists every boot (compare, gate and plot expand it).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "common/atomic_file.h"
#include "common/run_command.h"
#include "common/timeutil.h"
#include "result/manifest.h"
#include "vm/kernel_run.h"

bool stage_manifest_complete(const char *dir)
{
	return manifest_dir_complete(dir);
}

int stage_write_text(const char *path, const char *text, struct errmsg *e)
{
	struct atomic_file af;
	int err = atomic_file_open(&af, path, e);

	if (err)
		return err;
	fputs(text, af.f);
	return atomic_file_commit(&af, e);
}

int stage_begin(struct kernel_run *kr)
{
	struct errmsg e = { "" };
	int err;

	snprintf(kr->staging, sizeof(kr->staging), "%s.partial", kr->final);
	run_rm_rf(kr->staging);
	err = mkdir_p(kr->staging, &e);
	if (err)
		kernel_fail(kr->r, KOUT_UNAVAILABLE, "%s", e.buf);
	return err;
}

/* kernel_id, expected_design, design_mismatch into the shipped manifest. */
static int patch_manifest(const struct kernel_run *kr, struct errmsg *e)
{
	const struct kernel_report *r = kr->r;

	return manifest_patch_campaign(kr->staging, &(struct manifest_campaign){
		.kernel_id = r->id, .campaign = kr->cs->c->name,
		.expected_design = r->expected, .design_mismatch = r->mismatch,
		.failed = r->outcome != KOUT_COMPLETE, .error = r->message,
		.host = r->have_host ? &r->host : NULL,
	}, e);
}

static json_t *descriptor_json(const struct kernel_run *kr)
{
	const struct kernel_desc *d = &kr->d;

	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", d->id, "source",
			 d->source->name, "package", d->package, "suite", d->suite, "image",
			 d->image, "append", d->append);
}

static int write_campaign_json(const struct kernel_run *kr, struct errmsg *e)
{
	const struct campaign *c = kr->cs->c;
	const struct kernel_report *r = kr->r;
	const struct kernel_files *kf = &kr->kf;
	const struct frame_stats *st = &kr->st;
	char path[1300], now[64];
	json_t *j;
	int err;

	iso8601_now(now, sizeof(now));
	snprintf(path, sizeof(path), "%s/campaign.json", kr->staging);
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:f, s:s}",
		      "campaign", c->name, "kernel_id", r->id, "outcome",
		      kernel_outcome_name(r->outcome), "message", r->message, "accel", r->accel,
		      "wall_s", r->wall_s, "finished", now);
	if (!j)
		return errmsg_set(e, -ENOMEM, "out of memory");
	if (r->boot_s >= 0)
		json_object_set_new(j, "guest_init_s", json_real(r->boot_s));
	json_object_set_new(j, "boot", json_integer(r->boot));
	json_object_set_new(j, "runs", json_integer(c->runs));
	json_object_set_new(j, "started", json_string(r->started));
	json_object_set_new(j, "design_detected", json_string(r->design));
	json_object_set_new(j, "expected_design", json_string(r->expected));
	json_object_set_new(j, "design_mismatch", json_boolean(r->mismatch));
	json_object_set_new(j, "descriptor", descriptor_json(kr));
	if (kr->have_files)
		json_object_set_new(j, "kernel",
				    json_pack("{s:s, s:s, s:s, s:s}", "package", kf->package,
					      "version", kf->version, "image", kf->image,
					      "release", kf->release));
	json_object_set_new(j, "vm",
			    json_pack("{s:i, s:i, s:i, s:i}", "smp", c->smp, "memory_mb",
				      c->mem_mb, "numa", c->numa, "timeout_s", c->timeout_s));
	if (kr->qemu_cmd[0])
		json_object_set_new(j, "qemu", json_string(kr->qemu_cmd));
	if (kr->have_transfer)
		json_object_set_new(j, "transfer",
				    json_pack("{s:i, s:i, s:b, s:i}", "frames_ok", st->ok,
					      "frames_bad", st->bad, "end_marker", st->done,
					      "guest_status", st->done_status));
	err = atomic_write_json(path, j, e);
	json_decref(j);
	return err;
}

void stage_finish(struct kernel_run *kr)
{
	struct kernel_report *r = kr->r;
	struct errmsg e = { "" };

	if (patch_manifest(kr, &e) || write_campaign_json(kr, &e)) {
		if (r->outcome == KOUT_COMPLETE)
			kernel_fail(r, KOUT_FAILED, "%s", e.buf);
		return;
	}
	if (r->outcome == KOUT_INTERRUPTED) {
		/* not a result: the next run starts this kernel afresh */
		snprintf(r->dir, sizeof(r->dir), "%s", kr->staging);
		return;
	}
	/* failed kernels keep their folder too (console.log explains), never "complete" */
	run_rm_rf(kr->final);
	if (rename(kr->staging, kr->final))
		kernel_fail(r, KOUT_FAILED, "cannot rename %s: %s", kr->staging, strerror(errno));
}

static json_t *boot_json(const struct kernel_report *r)
{
	char dir[128];
	json_t *j;

	snprintf(dir, sizeof(dir), "%s/boot-%u", r->id, r->boot);
	j = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:b, s:f, s:s, s:s, s:s}", "kernel",
		      r->id, "boot", r->boot, "dir", dir, "outcome",
		      kernel_outcome_name(r->outcome), "accel", r->accel, "design", r->design,
		      "design_mismatch", r->mismatch, "wall_s", r->wall_s, "started",
		      r->started, "finished", r->finished, "message", r->message);
	if (j && r->boot_s >= 0)
		json_object_set_new(j, "guest_init_s", json_real(r->boot_s));
	return j;
}

static bool boot_done(const struct kernel_report *r)
{
	return r->outcome == KOUT_COMPLETE || r->outcome == KOUT_SKIPPED;
}

/* A kernel's line: complete when all its boots are, else its first trouble. */
static json_t *kernel_json(const struct campaign *c, const char *id,
			   const struct kernel_report *reports, size_t n)
{
	const struct kernel_report *bad = NULL, *any = NULL;
	unsigned int done = 0;
	double wall = 0;

	for (size_t i = 0; i < n; i++) {
		const struct kernel_report *r = &reports[i];

		if (strcmp(r->id, id))
			continue;
		any = any && any->design[0] ? any : r;
		wall += r->wall_s;
		if (boot_done(r))
			done++;
		else if (!bad)
			bad = r;
	}
	if (!any)
		return NULL;
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:f, s:i, s:i, s:s}", "id", id, "outcome",
			 bad ? kernel_outcome_name(bad->outcome) : "complete", "design",
			 any->design, "expected_design", any->expected, "design_mismatch",
			 any->mismatch, "wall_s", wall, "boots", c->runs, "boots_complete", done,
			 "message", bad ? bad->message : "");
}

static bool kernel_selected(const struct campaign *c, const char *id)
{
	for (size_t k = 0; k < c->nkernels; k++)
		if (!strcmp(c->kernels[k], id))
			return true;
	return false;
}

/* Entries of @old (an array) for kernels this run did not select (--kernels). */
static json_t *kept_entries(const struct campaign *c, json_t *old, const char *key)
{
	json_t *keep = json_array(), *v;
	size_t i;

	json_array_foreach(old, i, v) {
		const char *id = json_string_value(json_object_get(v, key));

		if (id && !kernel_selected(c, id))
			json_array_append(keep, v);
	}
	return keep;
}

void stage_write_summary(const struct campaign_state *cs, const struct kernel_report *reports)
{
	const struct campaign *c = cs->c;
	size_t n = campaign_nboots(c);
	char path[1200], now[64];
	json_t *old, *ks, *bs, *j;

	snprintf(path, sizeof(path), "%s/campaign.json", cs->dir);
	iso8601_now(now, sizeof(now));
	/* a --kernels subset rewrites its kernels' entries and keeps the others */
	old = json_load_file(path, 0, NULL);
	ks = kept_entries(c, json_object_get(old, "kernels"), "id");
	bs = kept_entries(c, json_object_get(old, "boots"), "kernel");
	json_decref(old);
	for (size_t k = 0; k < c->nkernels; k++) {
		json_t *kj = kernel_json(c, c->kernels[k], reports, n);

		if (kj)
			json_array_append_new(ks, kj);
	}
	for (size_t i = 0; i < n; i++)
		json_array_append_new(bs, boot_json(&reports[i]));
	j = json_pack("{s:s, s:s, s:s, s:i, s:s, s:I, s:o, s:o}", "campaign", c->name,
		      "compare", c->compare == COMPARE_DESIGN ? "design" : "none", "updated", now,
		      "runs", c->runs, "order", campaign_order_name(c->order), "seed",
		      (json_int_t)c->seed, "kernels", ks, "boots", bs);
	if (j)
		atomic_write_json(path, j, NULL);
	json_decref(j);
}
