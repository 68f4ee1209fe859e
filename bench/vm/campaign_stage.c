// SPDX-License-Identifier: GPL-2.0
/*
 * A kernel's result folder: built in <id>.partial, the manifest patched
 * with the campaign's view (kernel id, design check, failure), campaign.json
 * beside it, then renamed to <id>.  A folder never says "complete" unless
 * the kernel's run did.
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

static json_t *report_json(const struct kernel_report *r)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:f, s:s}", "id", r->id, "outcome",
			 kernel_outcome_name(r->outcome), "design", r->design, "expected_design",
			 r->expected, "design_mismatch", r->mismatch, "wall_s", r->wall_s,
			 "message", r->message);
}

void stage_write_summary(const struct campaign_state *cs, const struct kernel_report *reports)
{
	const struct campaign *c = cs->c;
	char path[1200], now[64];
	json_t *old, *ks, *j;

	snprintf(path, sizeof(path), "%s/campaign.json", cs->dir);
	iso8601_now(now, sizeof(now));
	/* a --kernels subset updates its entries and keeps the others */
	old = json_load_file(path, 0, NULL);
	ks = json_object_get(old, "kernels");
	ks = json_is_array(ks) ? json_incref(ks) : json_array();
	json_decref(old);
	for (size_t i = 0; i < c->nkernels; i++) {
		size_t idx, at = (size_t)-1;
		json_t *v;

		json_array_foreach(ks, idx, v)
			if (!strcmp(json_string_value(json_object_get(v, "id")) ?: "",
				    reports[i].id))
				at = idx;
		if (at != (size_t)-1)
			json_array_set_new(ks, at, report_json(&reports[i]));
		else
			json_array_append_new(ks, report_json(&reports[i]));
	}
	j = json_pack("{s:s, s:s, s:s, s:o}", "campaign", c->name, "compare",
		      c->compare == COMPARE_DESIGN ? "design" : "none", "updated", now,
		      "kernels", ks);
	if (j)
		atomic_write_json(path, j, NULL);
	json_decref(j);
}
