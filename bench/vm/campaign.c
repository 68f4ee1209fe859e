// SPDX-License-Identifier: GPL-2.0
/*
 * The campaign pipeline: for each boot of each kernel, in campaign_order,
 * its descriptor, its files (fetch, cached after the first), a staging
 * folder, its source's run (VM or native), then the folder staged into
 * place.  The steps live in their own files
 * (kernel_run.h lists them); the state of the run is one struct.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/atomic_file.h"
#include "common/run_command.h"
#include "common/timeutil.h"
#include "vm/kernel_run.h"

const char *kernel_outcome_name(enum kernel_outcome o)
{
	static const char *const names[] = {
		[KOUT_COMPLETE] = "complete", [KOUT_SKIPPED] = "skipped (already complete)",
		[KOUT_FAILED] = "failed", [KOUT_TIMEOUT] = "timed out",
		[KOUT_UNAVAILABLE] = "unavailable", [KOUT_INTERRUPTED] = "interrupted",
	};

	return names[o];
}

void campaign_note(const struct campaign_state *cs, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (!cs->o->note)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	cs->o->note(cs->o->note_arg, "%s", buf);
}

void kernel_fail(struct kernel_report *r, enum kernel_outcome oc, const char *fmt, ...)
{
	va_list ap;

	r->outcome = oc;
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	va_end(ap);
}

static void check_design(struct kernel_report *r)
{
	r->mismatch = r->design[0] && r->expected[0] && strcmp(r->design, r->expected);
}

int campaign_boot_dir(const char *campaign_dir, const char *id, unsigned int boot, char *out,
		      size_t len)
{
	int n = snprintf(out, len, "%s/%s/boot-%u", campaign_dir, id, boot);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* Descriptor, and a boot already complete from an earlier run. */
static int kernel_resolve(struct kernel_run *kr)
{
	struct kernel_report *r = kr->r;
	struct errmsg e = { "" };

	if (campaign_boot_dir(kr->cs->dir, r->id, r->boot, kr->final, sizeof(kr->final))) {
		kernel_fail(r, KOUT_UNAVAILABLE, "result folder name too long");
		return -1;
	}
	snprintf(r->dir, sizeof(r->dir), "%s", kr->final);
	if (kdesc_find(r->id, &kr->d, &e)) {
		kernel_fail(r, KOUT_UNAVAILABLE, "%s", e.buf);
		return -1;
	}
	snprintf(r->expected, sizeof(r->expected), "%s",
		 strcmp(kr->d.expected_design, "unknown") ? kr->d.expected_design : "");
	if (!kr->cs->o->force && stage_manifest_complete(kr->final)) {
		r->outcome = KOUT_SKIPPED;
		snprintf(r->message, sizeof(r->message), "already complete in %s", kr->final);
		design_of_folder(kr->final, r->design, sizeof(r->design));
		check_design(r);
		return -1;
	}
	return 0;
}

static int kernel_files_get(struct kernel_run *kr)
{
	char what[600];
	struct errmsg e = { "" };
	int err;

	if (!kernel_has_files(&kr->d))
		return 0;
	if (kernel_cached(&kr->d, &kr->kf, NULL)) {
		kr->d.source->describe(&kr->d, what, sizeof(what));
		campaign_note(kr->cs, "%s: fetching %s", kr->d.id, what);
	}
	err = kernel_fetch(&kr->d, false, &kr->kf, &e);
	if (err) {
		kernel_fail(kr->r, err == -EINTR ? KOUT_INTERRUPTED : KOUT_UNAVAILABLE, "%s",
			    e.buf);
		return err;
	}
	kr->have_files = true;
	return 0;
}

static void kernel_step(struct campaign_state *cs, struct kernel_report *r)
{
	struct kernel_run *kr = calloc(1, sizeof(*kr));	/* ~12 KiB: not on the stack */

	if (!kr) {
		kernel_fail(r, KOUT_UNAVAILABLE, "out of memory");
		return;
	}
	kr->cs = cs;
	kr->r = r;
	if (!kernel_resolve(kr) && !kernel_files_get(kr) && !stage_begin(kr)) {
		kr->d.source->run(kr);
		check_design(r);
		stage_finish(kr);
	}
	free(kr);
}

static void report_line(const struct campaign_state *cs, const struct kernel_report *r)
{
	bool ok = r->outcome == KOUT_COMPLETE;

	campaign_note(cs, "%s boot %u: %s%s%s (%.1f s)%s%s%s", r->id, r->boot,
		      kernel_outcome_name(r->outcome),
		      r->message[0] && !ok ? ": " : "", !ok ? r->message : "", r->wall_s,
		      r->design[0] ? ", design " : "", r->design,
		      r->mismatch ? " (MISMATCH: descriptor expects another)" : "");
}

/*
 * A kernel folder that is itself a result (the layout before boot-N) would
 * read as that one run, hiding the boots written into it: --force replaces
 * it, else the campaign stops before any boot.
 */
static int older_layout_check(const struct campaign_state *cs, struct errmsg *e)
{
	char dir[1200], manifest[1300];

	for (size_t k = 0; k < cs->c->nkernels; k++) {
		snprintf(dir, sizeof(dir), "%s/%s", cs->dir, cs->c->kernels[k]);
		snprintf(manifest, sizeof(manifest), "%s/manifest.json", dir);
		if (access(manifest, F_OK))
			continue;
		if (!cs->o->force)
			return errmsg_set(e, -EEXIST, "%s holds a result of the older layout (one "
					  "run per kernel, no boot-N): move it away, or --force "
					  "to replace it", dir);
		campaign_note(cs, "%s: replacing the older layout's result", cs->c->kernels[k]);
		run_rm_rf(dir);
	}
	return 0;
}

static int campaign_begin(struct campaign_state *cs, struct errmsg *e)
{
	char path[1200];
	int err;

	snprintf(cs->dir, sizeof(cs->dir), "%s/%s", cs->o->out_root ? cs->o->out_root : "data",
		 cs->c->name);
	err = mkdir_p(cs->dir, e);
	if (err)
		return err;
	err = older_layout_check(cs, e);
	if (err)
		return err;
	snprintf(path, sizeof(path), "%s/campaign-jobs.ini", cs->dir);
	return stage_write_text(path, cs->c->job_text, e);
}

/* A boot this run does not start: an earlier run's complete folder still counts. */
static void note_not_run(const struct campaign_state *cs, struct kernel_report *r,
			 enum kernel_outcome oc, const char *why)
{
	if (!campaign_boot_dir(cs->dir, r->id, r->boot, r->dir, sizeof(r->dir)) &&
	    !cs->o->force && stage_manifest_complete(r->dir)) {
		r->outcome = KOUT_SKIPPED;
		snprintf(r->message, sizeof(r->message), "already complete in %s", r->dir);
		design_of_folder(r->dir, r->design, sizeof(r->design));
		return;
	}
	kernel_fail(r, oc, "%s", why);
}

/* "order interleave: a#1 b#1 a#2 b#2": what runs when, before it runs */
static void note_order(const struct campaign_state *cs, const struct boot_slot *slots, size_t n)
{
	char line[900];
	size_t len;

	len = snprintf(line, sizeof(line), "%u boots per kernel, order %s",
		       cs->c->runs, campaign_order_name(cs->c->order));
	if (cs->c->order == ORDER_RANDOM)
		len += snprintf(line + len, sizeof(line) - len, " (seed %llu)",
				(unsigned long long)cs->c->seed);
	for (size_t i = 0; i < n && len < sizeof(line) - 80; i++)
		len += snprintf(line + len, sizeof(line) - len, "%s%s#%u", i ? " " : ": ",
				cs->c->kernels[slots[i].kernel], slots[i].boot);
	campaign_note(cs, "%s%s", line, len >= sizeof(line) - 80 ? " ..." : "");
}

int campaign_run(const struct campaign *c, const struct campaign_opts *o,
		 struct kernel_report *reports, struct errmsg *e)
{
	struct campaign_state cs = { .c = c, .o = o };
	bool failed = false, interrupted = false, unavailable[CAMPAIGN_MAX_KERNELS] = { false };
	size_t nboots = campaign_nboots(c);
	struct boot_slot *slots;
	int err = campaign_begin(&cs, e);

	if (err)
		return err;
	slots = calloc(nboots, sizeof(*slots));
	if (!slots)
		return errmsg_set(e, -ENOMEM, "out of memory");
	campaign_order(c, slots);
	note_order(&cs, slots, nboots);
	for (size_t i = 0; i < nboots; i++) {
		struct kernel_report *r = &reports[i];
		uint64_t t0 = now_ns();

		memset(r, 0, sizeof(*r));
		snprintf(r->id, sizeof(r->id), "%s", c->kernels[slots[i].kernel]);
		r->boot = slots[i].boot;
		r->seq = i + 1;
		r->boot_s = -1;
		if (interrupted || run_command_interrupted()) {
			interrupted = true;
			note_not_run(&cs, r, KOUT_INTERRUPTED, "not started");
			continue;
		}
		/* one fetch or descriptor failure is enough: no retry per boot */
		if (unavailable[slots[i].kernel]) {
			note_not_run(&cs, r, KOUT_UNAVAILABLE, "kernel unavailable (see its boot 1)");
			report_line(&cs, r);
			failed = true;
			continue;
		}
		campaign_note(&cs, "%s boot %u/%u: [%zu/%zu]", r->id, r->boot, c->runs, i + 1,
			      nboots);
		iso8601_now(r->started, sizeof(r->started));
		r->have_host = !sysaudit_gather(&r->host, "", NULL);
		kernel_step(&cs, r);
		iso8601_now(r->finished, sizeof(r->finished));
		if (r->outcome != KOUT_SKIPPED && r->wall_s == 0)
			r->wall_s = (now_ns() - t0) / 1e9;
		if (r->outcome == KOUT_UNAVAILABLE)
			unavailable[slots[i].kernel] = true;
		if (r->outcome == KOUT_INTERRUPTED)
			interrupted = true;
		else if (r->outcome != KOUT_COMPLETE && r->outcome != KOUT_SKIPPED)
			failed = true;
		report_line(&cs, r);
	}
	free(slots);
	if (cs.probe_built)
		unlink(cs.probe);
	stage_write_summary(&cs, reports);
	if (interrupted)
		return errmsg_set(e, -EINTR, "interrupted: finished boots kept in %s", cs.dir);
	if (failed)
		return errmsg_set(e, -ECHILD, "some boots did not complete (results in %s)",
				  cs.dir);
	if (c->compare == COMPARE_DESIGN)
		return design_compare_check(&cs, reports, e);
	return 0;
}
