// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "common/atomic_file.h"
#include "common/parse.h"
#include "common/timeutil.h"
#include "sysinfo/sysinfo.h"
#include "vm/campaign.h"
#include "vm/descriptor.h"
#include "vm/fetch.h"
#include "vm/framing.h"
#include "vm/initramfs.h"
#include "vm/qemu.h"
#include "common/run_command.h"

/* TCG reaches /init in ~3 s here; a working KVM in well under that */
#define KVM_PROBE_TIMEOUT_S 6	/* a working KVM reaches /init in ~1 s; TCG in ~3 s */

/* ---------- the campaign file ---------- */

struct cparse {
	struct campaign *c;
	struct errmsg *e;
	const char *origin;
	FILE *jobs;
	char section[128];
	int err;
	bool seen_campaign, kernels_given;
};

static int add_kernels(struct cparse *p, const char *v)
{
	char buf[1024], *tok, *save;

	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, " ,\t", &save); tok; tok = strtok_r(NULL, " ,\t", &save)) {
		if (p->c->nkernels >= CAMPAIGN_MAX_KERNELS)
			return errmsg_set(p->e, -E2BIG, "%s: more than %d kernels", p->origin,
					  CAMPAIGN_MAX_KERNELS);
		if (strlen(tok) >= sizeof(p->c->kernels[0]))
			return errmsg_set(p->e, -EINVAL, "%s: kernel id '%s' too long", p->origin,
					  tok);
		for (size_t i = 0; i < p->c->nkernels; i++)
			if (!strcmp(p->c->kernels[i], tok))
				return errmsg_set(p->e, -EINVAL, "%s: kernel '%s' listed twice",
						  p->origin, tok);
		strcpy(p->c->kernels[p->c->nkernels++], tok);
	}
	return 0;
}

static int uint_key(struct cparse *p, const char *name, const char *v, uint64_t min,
		    uint64_t max, unsigned int *out)
{
	struct errmsg sub;
	uint64_t x;
	int err = parse_u64(v, min, max, &x, &sub);

	if (err)
		return errmsg_set(p->e, err, "%s: %s: %s", p->origin, name, sub.buf);
	*out = x;
	return 0;
}

static int campaign_key(struct cparse *p, const char *name, const char *v)
{
	struct campaign *c = p->c;
	struct errmsg sub;
	uint64_t bytes;
	int err;

	if (!strcmp(name, "name")) {
		if (!*v || strlen(v) >= sizeof(c->name) || strchr(v, '/') || v[0] == '.')
			return errmsg_set(p->e, -EINVAL, "%s: bad campaign name '%s'", p->origin,
					  v);
		strcpy(c->name, v);
	} else if (!strcmp(name, "kernels")) {
		p->kernels_given = true;
		return add_kernels(p, v);
	} else if (!strcmp(name, "compare")) {
		if (!strcmp(v, "design"))
			c->compare = COMPARE_DESIGN;
		else if (!strcmp(v, "none"))
			c->compare = COMPARE_NONE;
		else
			return errmsg_set(p->e, -EINVAL, "%s: compare '%s' (want design or none)",
					  p->origin, v);
	} else if (!strcmp(name, "smp")) {
		return uint_key(p, name, v, 1, 64, &c->smp);
	} else if (!strcmp(name, "memory")) {
		err = parse_size(v, &bytes, &sub);
		if (err)
			return errmsg_set(p->e, err, "%s: memory: %s", p->origin, sub.buf);
		if (bytes < (128ull << 20) || bytes > (256ull << 30))
			return errmsg_set(p->e, -ERANGE, "%s: memory %s outside 128M..256G",
					  p->origin, v);
		c->mem_mb = bytes >> 20;
	} else if (!strcmp(name, "numa")) {
		return uint_key(p, name, v, 0, 16, &c->numa);
	} else if (!strcmp(name, "timeout")) {
		return uint_key(p, name, v, 10, 7 * 24 * 3600, &c->timeout_s);
	} else if (!strcmp(name, "append")) {
		if (strlen(v) >= sizeof(c->append))
			return errmsg_set(p->e, -EINVAL, "%s: append too long", p->origin);
		strcpy(c->append, v);
	} else {
		return errmsg_set(p->e, -EINVAL, "%s: [campaign]: unknown key '%s'", p->origin,
				  name);
	}
	return 0;
}

static int cparse_handler(void *user, const char *section, const char *name, const char *v)
{
	struct cparse *p = user;

	if (p->err)
		return 1;
	if (!strcmp(section, "campaign")) {
		p->seen_campaign = true;
		p->err = campaign_key(p, name, v);
		return 1;
	}
	/* a job section: copied as it is for the guest's run --job */
	if (strcmp(section, p->section)) {
		snprintf(p->section, sizeof(p->section), "%s", section);
		fprintf(p->jobs, "%s[%s]\n", ftell(p->jobs) ? "\n" : "", section);
		if (strcmp(section, "global"))
			p->c->njobs++;
	}
	fprintf(p->jobs, "%s = %s\n", name, v);
	return 1;
}

int campaign_parse_string(const char *text, const char *origin, struct campaign *c,
			  struct errmsg *e)
{
	struct cparse p = { .c = c, .e = e, .origin = origin };
	size_t len;
	int r;

	memset(c, 0, sizeof(*c));
	c->smp = 2;
	c->mem_mb = 1024;
	c->timeout_s = 900;
	c->compare = COMPARE_NONE;
	p.jobs = open_memstream(&c->job_text, &len);
	if (!p.jobs)
		return errmsg_set(e, -ENOMEM, "out of memory");
	r = ini_parse_string(text, cparse_handler, &p);
	fclose(p.jobs);
	if (!p.err && r > 0)
		p.err = errmsg_set(e, -EINVAL, "%s:%d: syntax error", origin, r);
	if (!p.err && !p.seen_campaign)
		p.err = errmsg_set(e, -EINVAL, "%s: no [campaign] section", origin);
	if (!p.err && !c->name[0])
		p.err = errmsg_set(e, -EINVAL, "%s: [campaign] needs a name", origin);
	if (!p.err && !c->nkernels)
		p.err = errmsg_set(e, -EINVAL, "%s: [campaign] needs kernels", origin);
	if (!p.err && !c->njobs)
		p.err = errmsg_set(e, -EINVAL, "%s: no job section (e.g. [exit] workload = exit)",
				   origin);
	if (!p.err && c->compare == COMPARE_DESIGN && c->nkernels < 2)
		p.err = errmsg_set(e, -EINVAL, "%s: compare = design needs at least two kernels",
				   origin);
	if (!p.err && c->numa > c->smp)
		p.err = errmsg_set(e, -EINVAL, "%s: numa %u exceeds smp %u", origin, c->numa,
				   c->smp);
	if (p.err) {
		campaign_release(c);
		return p.err;
	}
	return 0;
}

int campaign_load(const char *path, struct campaign *c, struct errmsg *e)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = fopen(path, "r");
	int err;

	if (!f)
		return errmsg_set(e, -errno, "cannot read %s: %s", path, strerror(errno));
	if (getdelim(&text, &len, '\0', f) < 0) {
		fclose(f);
		free(text);
		return errmsg_set(e, -EIO, "cannot read %s", path);
	}
	fclose(f);
	err = campaign_parse_string(text, path, c, e);
	free(text);
	if (!err)
		snprintf(c->path, sizeof(c->path), "%s", path);
	return err;
}

void campaign_release(struct campaign *c)
{
	free(c->job_text);
	c->job_text = NULL;
}

int campaign_select(struct campaign *c, const char *only, struct errmsg *e)
{
	char keep[CAMPAIGN_MAX_KERNELS][64], buf[1024], *tok, *save;
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", only);
	for (tok = strtok_r(buf, " ,", &save); tok; tok = strtok_r(NULL, " ,", &save)) {
		bool found = false;

		for (size_t i = 0; i < c->nkernels; i++)
			if (!strcmp(c->kernels[i], tok))
				found = true;
		if (!found)
			return errmsg_set(e, -EINVAL, "kernel '%s' is not in campaign %s", tok,
					  c->name);
		if (n >= CAMPAIGN_MAX_KERNELS)
			return errmsg_set(e, -E2BIG, "too many kernels");
		snprintf(keep[n++], sizeof(keep[0]), "%s", tok);
	}
	if (!n)
		return errmsg_set(e, -EINVAL, "empty kernel selection");
	if (!c->nall) {
		memcpy(c->all_kernels, c->kernels, sizeof(c->kernels));
		c->nall = c->nkernels;
	}
	memcpy(c->kernels, keep, sizeof(keep));
	c->nkernels = n;
	return 0;
}

/* ---------- results ---------- */

const char *kernel_outcome_name(enum kernel_outcome o)
{
	static const char *const names[] = {
		[KOUT_COMPLETE] = "complete", [KOUT_SKIPPED] = "skipped (already complete)",
		[KOUT_FAILED] = "failed", [KOUT_TIMEOUT] = "timed out",
		[KOUT_UNAVAILABLE] = "unavailable", [KOUT_INTERRUPTED] = "interrupted",
	};

	return names[o];
}

static const char *json_path_str(json_t *root, const char *a, const char *b, const char *c)
{
	json_t *o = json_object_get(root, a);

	if (b)
		o = json_object_get(o, b);
	if (c)
		o = json_object_get(o, c);
	return json_string_value(o);
}

void campaign_detect_design(const char *dir, char *out, size_t len)
{
	struct design_evidence ev;
	char path[1200];
	const char *s = NULL;
	json_t *j;
	FILE *f;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	j = json_load_file(path, 0, NULL);
	if (j) {
		s = json_path_str(j, "system", "design", "name");
		if (s && strcmp(s, "unknown"))
			snprintf(out, len, "%s", s);
		json_decref(j);
		if (out[0])
			return;
	}
	snprintf(path, sizeof(path), "%s/guest-info.json", dir);
	j = json_load_file(path, 0, NULL);
	if (j) {
		s = json_path_str(j, "design", "name", NULL);
		if (!s)
			s = json_path_str(j, "system", "design", "name");
		if (s && strcmp(s, "unknown"))
			snprintf(out, len, "%s", s);
		json_decref(j);
		if (out[0])
			return;
	}
	snprintf(path, sizeof(path), "%s/design-symbols.txt", dir);
	f = fopen(path, "r");
	if (f) {
		memset(&ev, 0, sizeof(ev));
		if (!design_detect_stream(f, &ev) && ev.design != DESIGN_UNKNOWN)
			snprintf(out, len, "%s", design_name(ev.design));
		fclose(f);
	}
}

static bool manifest_complete(const char *dir)
{
	char path[1200];
	const char *s;
	bool ok;
	json_t *j;

	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	j = json_load_file(path, 0, NULL);
	if (!j)
		return false;
	s = json_string_value(json_object_get(j, "status"));
	ok = s && !strcmp(s, "complete");
	json_decref(j);
	return ok;
}

static int write_text(const char *path, const char *text, struct errmsg *e)
{
	struct atomic_file af;
	int err = atomic_file_open(&af, path, e);

	if (err)
		return err;
	fputs(text, af.f);
	return atomic_file_commit(&af, e);
}

struct unpack {
	const char *dir;
	struct errmsg *e;
};

static int unpack_frame(void *arg, const char *name, const void *data, size_t len)
{
	struct unpack *u = arg;
	char path[1400], parent[1400], *slash;
	struct atomic_file af;
	int err;

	snprintf(path, sizeof(path), "%s/%s", u->dir, name);
	snprintf(parent, sizeof(parent), "%s", path);
	slash = strrchr(parent, '/');
	*slash = '\0';
	err = mkdir_p(parent, u->e);
	if (!err)
		err = atomic_file_open(&af, path, u->e);
	if (err)
		return err;
	if (len && fwrite(data, 1, len, af.f) != len) {
		atomic_file_abort(&af);
		return errmsg_set(u->e, -EIO, "cannot write %s", path);
	}
	return atomic_file_commit(&af, u->e);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	long n;

	*len = 0;
	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0) {
		rewind(f);
		buf = malloc(n + 1);
		if (buf && fread(buf, 1, n, f) == (size_t)n) {
			buf[n] = '\0';
			*len = n;
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

/* The guest's uptime when /init started (from the boot marker), or -1. */
static double console_boot_s(const char *console)
{
	size_t len;
	char *buf = read_file(console, &len);
	char *m;
	double t = -1;

	if (!buf)
		return -1;
	m = strstr(buf, INITRAMFS_BOOT_MARKER " ");
	if (m)
		t = strtod(m + strlen(INITRAMFS_BOOT_MARKER " "), NULL);
	free(buf);
	return t;
}

/* kernel_id, expected_design, design_mismatch into the shipped manifest. */
static int patch_manifest(const char *dir, const struct campaign *c, struct kernel_report *r,
			  struct errmsg *e)
{
	char path[1200];
	json_t *j;
	const char *st;
	int err;

	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	j = json_load_file(path, 0, NULL);
	if (!j) {
		/* nothing came back: a manifest that says so, never "complete" */
		j = json_pack("{s:s, s:i, s:s}", "schema", "mlockbench-result", "schema_version",
			      1, "status", "failed");
		if (!j)
			return errmsg_set(e, -ENOMEM, "out of memory");
	}
	json_object_set_new(j, "kernel_id", json_string(r->id));
	json_object_set_new(j, "campaign", json_string(c->name));
	if (r->expected[0])
		json_object_set_new(j, "expected_design", json_string(r->expected));
	if (r->mismatch)
		json_object_set_new(j, "design_mismatch", json_true());
	st = json_string_value(json_object_get(j, "status"));
	if (r->outcome != KOUT_COMPLETE && st && !strcmp(st, "complete"))
		json_object_set_new(j, "status", json_string("failed"));
	if (r->outcome != KOUT_COMPLETE)
		json_object_set_new(j, "campaign_error", json_string(r->message));
	err = atomic_write_json(path, j, e);
	json_decref(j);
	return err;
}

static int write_campaign_json(const char *dir, const struct campaign *c,
			       const struct kernel_desc *d, const struct kernel_files *kf,
			       const struct kernel_report *r, const char *qemu_cmd,
			       const struct frame_stats *st, struct errmsg *e)
{
	char path[1200], now[64];
	json_t *j;
	int err;

	iso8601_now(now, sizeof(now));
	snprintf(path, sizeof(path), "%s/campaign.json", dir);
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
	json_object_set_new(j, "descriptor",
			    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", d->id, "source",
				      kernel_source_name(d->source), "package", d->package,
				      "suite", d->suite, "image", d->image, "append", d->append));
	if (kf)
		json_object_set_new(j, "kernel",
				    json_pack("{s:s, s:s, s:s, s:s}", "package", kf->package,
					      "version", kf->version, "image", kf->image,
					      "release", kf->release));
	json_object_set_new(j, "vm",
			    json_pack("{s:i, s:i, s:i, s:i}", "smp", c->smp, "memory_mb",
				      c->mem_mb, "numa", c->numa, "timeout_s", c->timeout_s));
	if (qemu_cmd)
		json_object_set_new(j, "qemu", json_string(qemu_cmd));
	if (st)
		json_object_set_new(j, "transfer",
				    json_pack("{s:i, s:i, s:b, s:i}", "frames_ok", st->ok,
					      "frames_bad", st->bad, "end_marker", st->done,
					      "guest_status", st->done_status));
	err = atomic_write_json(path, j, e);
	json_decref(j);
	return err;
}

static void note(const struct campaign_opts *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void note(const struct campaign_opts *o, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (!o->note)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	o->note(o->note_arg, "%s", buf);
}

static void fail(struct kernel_report *r, enum kernel_outcome oc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fail(struct kernel_report *r, enum kernel_outcome oc, const char *fmt, ...)
{
	va_list ap;

	r->outcome = oc;
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	va_end(ap);
}

static void run_native(const struct campaign *c, const struct campaign_opts *o,
		       const char *staging, struct kernel_report *r)
{
	struct child_process cp = CHILD_PROCESS_INIT;
	char job[1200], log[1200];
	struct errmsg e = { "" };
	const char *argv[] = { o->binary, "run", "--job", job, "--out", staging, NULL };
	uint64_t t0 = now_ns();
	int err;

	snprintf(job, sizeof(job), "%s/job.ini", staging);
	snprintf(log, sizeof(log), "%s/run.log", staging);
	snprintf(r->accel, sizeof(r->accel), "native");
	err = write_text(job, c->job_text, &e);
	if (err) {
		fail(r, KOUT_FAILED, "%s", e.buf);
		return;
	}
	cp.argv = argv;
	cp.stdout_path = log;
	cp.stderr_path = NULL;
	cp.new_pgrp = true;
	cp.interrupt_signal = SIGTERM;
	cp.timeout_ms = c->timeout_s * 1000;
	err = run_command(&cp, &e);
	r->wall_s = (now_ns() - t0) / 1e9;
	r->boot_s = -1;
	if (err == -EINTR)
		fail(r, KOUT_INTERRUPTED, "interrupted");
	else if (err == -ETIMEDOUT)
		fail(r, KOUT_TIMEOUT, "run timed out after %u s", c->timeout_s);
	else if (err)
		fail(r, KOUT_FAILED, "%s", e.buf);
	else if (!manifest_complete(staging))
		fail(r, KOUT_FAILED, "run left no complete manifest");
	else
		r->outcome = KOUT_COMPLETE;
}

static void run_vm(const struct campaign *c, const struct campaign_opts *o,
		   const struct kernel_desc *d, const struct kernel_files *kf,
		   const char *staging, const char *campdir, struct kernel_report *r,
		   char *qemu_cmd, size_t qlen, struct frame_stats *st)
{
	char initrd[1200], probe[1200], console[1200], ship[1200], qlog[1200], append[1100];
	struct initramfs_spec spec = { 0 };
	struct vm_config vc = { 0 };
	struct vm_result vr;
	struct errmsg e = { "" };
	struct unpack u = { .dir = staging, .e = &e };
	static bool probe_built;
	size_t len;
	char *raw;
	int err;

	r->boot_s = -1;
	snprintf(initrd, sizeof(initrd), "%s/initramfs.cpio", staging);
	snprintf(probe, sizeof(probe), "%s/.probe.cpio", campdir);
	snprintf(console, sizeof(console), "%s/console.log", staging);
	snprintf(ship, sizeof(ship), "%s/.ship.raw", staging);
	snprintf(qlog, sizeof(qlog), "%s/qemu.log", staging);

	if (!probe_built) {
		struct initramfs_spec ps = { .probe = true };

		err = initramfs_build(&ps, probe, &e);
		if (err) {
			fail(r, KOUT_UNAVAILABLE, "probe initramfs: %s", e.buf);
			return;
		}
		probe_built = true;
	}
	vc.accel = vm_pick_accel(kf->image, probe, campdir, KVM_PROBE_TIMEOUT_S, r->accel,
				 sizeof(r->accel));
	if (run_command_interrupted()) {
		fail(r, KOUT_INTERRUPTED, "interrupted");
		return;
	}
	note(o, "%s: accelerator %s", d->id, r->accel);

	spec.binary = o->binary;
	spec.job_text = c->job_text;
	spec.kernel_id = d->id;
	spec.modules = kf->modules[0] && d->source == KSRC_LOCAL ? kf->modules : NULL;
	spec.data_root = MLB_SOURCE_DIR;
	spec.ship_port = 1;
	err = initramfs_build(&spec, initrd, &e);
	if (err) {
		fail(r, KOUT_UNAVAILABLE, "initramfs: %s", e.buf);
		return;
	}
	snprintf(append, sizeof(append), "%s%s%s", d->append,
		 d->append[0] && c->append[0] ? " " : "", c->append);
	vc.kernel = kf->image;
	vc.initrd = initrd;
	vc.append = append;
	vc.smp = c->smp;
	vc.mem_mb = c->mem_mb;
	vc.numa = c->numa;
	vc.timeout_s = c->timeout_s;
	vc.console_log = console;
	vc.ship_log = ship;
	vc.qemu_log = qlog;
	note(o, "%s: booting %s (%u CPUs, %u MiB%s, timeout %u s)", d->id, kf->image, c->smp,
	     c->mem_mb, c->numa ? ", NUMA" : "", c->timeout_s);
	err = vm_boot(&vc, &vr, &e);
	snprintf(qemu_cmd, qlen, "%s", vr.cmdline);
	r->wall_s = vr.wall_s;
	r->boot_s = console_boot_s(console);
	unlink(initrd);

	raw = read_file(ship, &len);
	memset(st, 0, sizeof(*st));
	if (raw) {
		err = frame_decode(raw, len, unpack_frame, &u, st);
		free(raw);
		if (err) {
			fail(r, KOUT_FAILED, "unpacking results: %s", e.buf);
			return;
		}
	}
	unlink(ship);
	if (vr.interrupted) {
		fail(r, KOUT_INTERRUPTED, "interrupted; qemu killed");
	} else if (vr.timed_out) {
		fail(r, KOUT_TIMEOUT, "guest still running after %u s: killed (see console.log)",
		     c->timeout_s);
	} else if (err) {
		fail(r, KOUT_FAILED, "qemu: %s", e.buf);
	} else if (!st->done) {
		fail(r, KOUT_FAILED,
		     "guest stopped without shipping its results (crash or panic? see console.log)");
	} else if (st->bad) {
		fail(r, KOUT_FAILED, "%u corrupted result frames (%s)", st->bad, st->first_error);
	} else if (st->ok != st->done_frames) {
		fail(r, KOUT_FAILED, "%u of %u result files arrived", st->ok, st->done_frames);
	} else if (st->done_status) {
		fail(r, KOUT_FAILED, "the guest's run exited with status %d (see guest-run.log)",
		     st->done_status);
	} else if (!manifest_complete(staging)) {
		fail(r, KOUT_FAILED, "the guest's manifest is not complete");
	} else {
		r->outcome = KOUT_COMPLETE;
	}
}

static void run_kernel(const struct campaign *c, const struct campaign_opts *o,
		       const char *campdir, struct kernel_report *r)
{
	char final[1100], staging[1200], qemu_cmd[4096] = "";
	struct kernel_files kf = { 0 };
	struct kernel_desc d;
	struct frame_stats st = { 0 };
	struct errmsg e = { "" };
	bool have_kf = false;
	int err;

	snprintf(final, sizeof(final), "%s/%s", campdir, r->id);
	snprintf(r->dir, sizeof(r->dir), "%s", final);
	err = kdesc_find(r->id, &d, &e);
	if (err) {
		fail(r, KOUT_UNAVAILABLE, "%s", e.buf);
		return;
	}
	snprintf(r->expected, sizeof(r->expected), "%s",
		 strcmp(d.expected_design, "unknown") ? d.expected_design : "");
	if (!o->force && manifest_complete(final)) {
		r->outcome = KOUT_SKIPPED;
		snprintf(r->message, sizeof(r->message), "already complete in %s", final);
		campaign_detect_design(final, r->design, sizeof(r->design));
		r->mismatch = r->design[0] && r->expected[0] && strcmp(r->design, r->expected);
		return;
	}
	if (d.source != KSRC_NATIVE) {
		if (kernel_cached(&d, &kf, NULL))
			note(o, "%s: fetching %s", d.id,
			     d.source == KSRC_DEBIAN ? d.package : d.image);
		err = kernel_fetch(&d, false, &kf, &e);
		if (err) {
			fail(r, err == -EINTR ? KOUT_INTERRUPTED : KOUT_UNAVAILABLE, "%s", e.buf);
			return;
		}
		have_kf = true;
	}
	snprintf(staging, sizeof(staging), "%s.partial", final);
	run_rm_rf(staging);
	err = mkdir_p(staging, &e);
	if (err) {
		fail(r, KOUT_UNAVAILABLE, "%s", e.buf);
		return;
	}
	if (d.source == KSRC_NATIVE)
		run_native(c, o, staging, r);
	else
		run_vm(c, o, &d, &kf, staging, campdir, r, qemu_cmd, sizeof(qemu_cmd), &st);

	campaign_detect_design(staging, r->design, sizeof(r->design));
	r->mismatch = r->design[0] && r->expected[0] && strcmp(r->design, r->expected);
	if (patch_manifest(staging, c, r, &e) ||
	    write_campaign_json(staging, c, &d, have_kf ? &kf : NULL, r,
				qemu_cmd[0] ? qemu_cmd : NULL, d.source == KSRC_NATIVE ? NULL : &st,
				&e)) {
		if (r->outcome == KOUT_COMPLETE)
			fail(r, KOUT_FAILED, "%s", e.buf);
		return;
	}
	if (r->outcome == KOUT_INTERRUPTED) {
		/* not a result: the next run starts this kernel afresh */
		snprintf(r->dir, sizeof(r->dir), "%s", staging);
		return;
	}
	/* failed kernels keep their folder too (console.log explains), never "complete" */
	run_rm_rf(final);
	if (rename(staging, final))
		fail(r, KOUT_FAILED, "cannot rename %s: %s", staging, strerror(errno));
}

/* <campaign>/campaign.json: which kernel folder holds what, for readers of the set. */
static void write_summary(const struct campaign *c, const struct kernel_report *reports,
			  const char *campdir)
{
	char path[1200], now[64];
	json_t *old, *ks, *j;

	snprintf(path, sizeof(path), "%s/campaign.json", campdir);
	iso8601_now(now, sizeof(now));
	/* a --kernels subset updates its entries and keeps the others */
	old = json_load_file(path, 0, NULL);
	ks = json_object_get(old, "kernels");
	ks = json_is_array(ks) ? json_incref(ks) : json_array();
	json_decref(old);
	for (size_t i = 0; i < c->nkernels; i++) {
		const struct kernel_report *r = &reports[i];
		json_t *k = json_pack("{s:s, s:s, s:s, s:s, s:b, s:f, s:s}", "id", r->id,
				      "outcome", kernel_outcome_name(r->outcome), "design",
				      r->design, "expected_design", r->expected,
				      "design_mismatch", r->mismatch, "wall_s", r->wall_s,
				      "message", r->message);
		size_t idx, at = (size_t)-1;
		json_t *v;

		json_array_foreach(ks, idx, v)
			if (!strcmp(json_string_value(json_object_get(v, "id")) ?: "", r->id))
				at = idx;
		if (at != (size_t)-1)
			json_array_set_new(ks, at, k);
		else
			json_array_append_new(ks, k);
	}
	j = json_pack("{s:s, s:s, s:s, s:o}", "campaign", c->name, "compare",
		      c->compare == COMPARE_DESIGN ? "design" : "none", "updated", now,
		      "kernels", ks);
	if (j)
		atomic_write_json(path, j, NULL);
	json_decref(j);
}

int campaign_run(const struct campaign *c, const struct campaign_opts *o,
		 struct kernel_report *reports, struct errmsg *e)
{
	char campdir[1100], path[1200];
	bool failed = false, interrupted = false;
	int err;

	snprintf(campdir, sizeof(campdir), "%s/%s", o->out_root ? o->out_root : "data", c->name);
	err = mkdir_p(campdir, e);
	if (err)
		return err;
	snprintf(path, sizeof(path), "%s/campaign-jobs.ini", campdir);
	err = write_text(path, c->job_text, e);
	if (err)
		return err;

	for (size_t i = 0; i < c->nkernels; i++) {
		struct kernel_report *r = &reports[i];
		uint64_t t0 = now_ns();

		memset(r, 0, sizeof(*r));
		snprintf(r->id, sizeof(r->id), "%s", c->kernels[i]);
		r->boot_s = -1;
		if (interrupted || run_command_interrupted()) {
			interrupted = true;
			fail(r, KOUT_INTERRUPTED, "not started");
			continue;
		}
		note(o, "%s: [%zu/%zu]", r->id, i + 1, c->nkernels);
		run_kernel(c, o, campdir, r);
		if (r->outcome != KOUT_SKIPPED && r->wall_s == 0)
			r->wall_s = (now_ns() - t0) / 1e9;
		if (r->outcome == KOUT_INTERRUPTED)
			interrupted = true;
		else if (r->outcome != KOUT_COMPLETE && r->outcome != KOUT_SKIPPED)
			failed = true;
		note(o, "%s: %s%s%s (%.1f s)%s%s%s", r->id, kernel_outcome_name(r->outcome),
		     r->message[0] && r->outcome != KOUT_COMPLETE ? ": " : "",
		     r->outcome != KOUT_COMPLETE ? r->message : "", r->wall_s,
		     r->design[0] ? ", design " : "", r->design,
		     r->mismatch ? " (MISMATCH: descriptor expects another)" : "");
	}
	snprintf(path, sizeof(path), "%s/.probe.cpio", campdir);
	unlink(path);
	write_summary(c, reports, campdir);
	if (interrupted)
		return errmsg_set(e, -EINTR, "interrupted: finished kernels kept in %s", campdir);
	if (c->compare == COMPARE_DESIGN) {
		char first[32] = "";
		bool two = false;

		for (size_t i = 0; i < c->nkernels; i++) {
			const char *d = reports[i].design;

			if (reports[i].outcome != KOUT_COMPLETE &&
			    reports[i].outcome != KOUT_SKIPPED)
				continue;
			if (!d[0])
				continue;
			if (!first[0])
				snprintf(first, sizeof(first), "%s", d);
			else if (strcmp(first, d))
				two = true;
		}
		/* kernels left out by --kernels count with their finished results */
		for (size_t i = 0; i < c->nall; i++) {
			char dir[1200], d[32];
			bool selected = false;

			for (size_t k = 0; k < c->nkernels; k++)
				if (!strcmp(c->kernels[k], c->all_kernels[i]))
					selected = true;
			snprintf(dir, sizeof(dir), "%s/%s", campdir, c->all_kernels[i]);
			if (selected || !manifest_complete(dir))
				continue;
			campaign_detect_design(dir, d, sizeof(d));
			if (!d[0])
				continue;
			if (!first[0])
				snprintf(first, sizeof(first), "%s", d);
			else if (strcmp(first, d))
				two = true;
		}
		if (!failed && !two)
			return errmsg_set(e, -EDOM,
					  "campaign %s compares designs, but every kernel ran %s: no design comparison to report",
					  c->name, first[0] ? first : "an unknown design");
	}
	if (failed)
		return errmsg_set(e, -ECHILD, "some kernels did not complete (results in %s)",
				  campdir);
	return 0;
}
