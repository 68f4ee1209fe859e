// SPDX-License-Identifier: GPL-2.0
/*
 * A campaign kernel in QEMU: pick the accelerator (once per campaign), build
 * the initramfs, boot, collect the result frames, and say what happened.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/run_command.h"
#include "common/self_exe.h"
#include "probes/exec_target.h"
#include "vm/initramfs.h"
#include "vm/kernel_run.h"
#include "vm/vm_collect.h"

/* a working KVM reaches /init in ~1 s; TCG in ~3 s */
#define KVM_PROBE_TIMEOUT_S 6

struct vm_paths {
	char initrd[1300], console[1300], ship[1300], qlog[1300];
};

int vm_check_tools(struct errmsg *e)
{
	char path[4096];

	if (run_command_find("qemu-system-x86_64", path, sizeof(path)))
		return errmsg_set(e, -ENOENT,
				  "needs qemu-system-x86_64 (install qemu-system-x86)");
	if (access("/bin/busybox", X_OK))
		return errmsg_set(e, -ENOENT, "needs a static /bin/busybox (install busybox-static)");
	return 0;
}

static int pick_accel(struct kernel_run *kr, enum vm_accel *accel)
{
	struct campaign_state *cs = kr->cs;
	struct errmsg e = { "" };

	if (!cs->probe_built) {
		struct initramfs_spec ps = { .probe = true };

		snprintf(cs->probe, sizeof(cs->probe), "%s/.probe.cpio", cs->dir);
		if (initramfs_build(&ps, cs->probe, &e)) {
			kernel_fail(kr->r, KOUT_UNAVAILABLE, "probe initramfs: %s", e.buf);
			return -1;
		}
		cs->probe_built = true;
	}
	*accel = vm_pick_accel(&cs->accel, kr->kf.image, cs->probe, cs->dir,
			       KVM_PROBE_TIMEOUT_S);
	snprintf(kr->r->accel, sizeof(kr->r->accel), "%s", cs->accel.reason);
	if (run_command_interrupted()) {
		kernel_fail(kr->r, KOUT_INTERRUPTED, "interrupted");
		return -1;
	}
	campaign_note(cs, "%s: accelerator %s", kr->d.id, kr->r->accel);
	return 0;
}

static int build_initramfs(struct kernel_run *kr, const char *out)
{
	const struct campaign_state *cs = kr->cs;
	struct initramfs_spec spec = { 0 };
	struct errmsg e = { "" };
	char target[4096];

	spec.binary = cs->o->binary;
	/* built with the binary; without it only --workload exec fails, in the guest */
	if (!sibling_path(cs->o->binary, MLB_EXEC_TARGET_NAME, target, sizeof(target)) &&
	    !access(target, R_OK))
		spec.exec_target = target;
	spec.job_text = cs->c->job_text;
	spec.kernel_id = kr->d.id;
	spec.modules = kr->d.source->guest_modules && kr->kf.modules[0] ? kr->kf.modules : NULL;
	spec.data_root = MLB_SOURCE_DIR;
	spec.ship_port = 1;
	if (initramfs_build(&spec, out, &e)) {
		kernel_fail(kr->r, KOUT_UNAVAILABLE, "initramfs: %s", e.buf);
		return -1;
	}
	return 0;
}

static int boot(struct kernel_run *kr, const struct vm_paths *p, enum vm_accel accel,
		struct vm_result *vr, struct errmsg *e)
{
	const struct campaign *c = kr->cs->c;
	struct vm_config vc = { 0 };
	char append[1100];
	int err;

	snprintf(append, sizeof(append), "%s%s%s", kr->d.append,
		 kr->d.append[0] && c->append[0] ? " " : "", c->append);
	vc.kernel = kr->kf.image;
	vc.initrd = p->initrd;
	vc.append = append;
	vc.smp = c->smp;
	vc.mem_mb = c->mem_mb;
	vc.numa = c->numa;
	vc.timeout_s = c->timeout_s;
	vc.console_log = p->console;
	vc.ship_log = p->ship;
	vc.qemu_log = p->qlog;
	vc.accel = accel;
	campaign_note(kr->cs, "%s: booting %s (%u CPUs, %u MiB%s, timeout %u s)", kr->d.id,
		      kr->kf.image, c->smp, c->mem_mb, c->numa ? ", NUMA" : "", c->timeout_s);
	err = vm_boot(&vc, vr, e);
	snprintf(kr->qemu_cmd, sizeof(kr->qemu_cmd), "%s", vr->cmdline);
	kr->r->wall_s = vr->wall_s;
	kr->r->boot_s = collect_boot_s(p->console);
	unlink(p->initrd);
	return err;
}

/* The guest shipped nothing: qemu's own error, or what the console shows. */
static void no_results(struct kernel_run *kr, const struct vm_paths *p,
		       const struct vm_result *vr)
{
	char why[256];

	collect_qemu_error(p->qlog, why, sizeof(why));
	if (vr->status > 0)
		kernel_fail(kr->r, KOUT_FAILED, "qemu exited with status %d%s%s (see qemu.log)",
			    vr->status, why[0] ? ": " : "", why);
	else if (!collect_console_spoke(p->console))
		kernel_fail(kr->r, KOUT_FAILED,
			    "the kernel printed nothing on the console (not a bootable image?%s%s; see qemu.log)",
			    why[0] ? " qemu: " : "", why);
	else
		kernel_fail(kr->r, KOUT_FAILED,
			    "guest stopped without shipping its results (crash or panic? see console.log)");
}

static void verdict(struct kernel_run *kr, const struct vm_paths *p,
		    const struct vm_result *vr, int boot_err, const char *boot_msg)
{
	const struct frame_stats *st = &kr->st;
	struct kernel_report *r = kr->r;

	if (vr->interrupted)
		kernel_fail(r, KOUT_INTERRUPTED, "interrupted; qemu killed");
	else if (vr->timed_out)
		kernel_fail(r, KOUT_TIMEOUT, "guest still running after %u s: killed (see console.log)",
			    kr->cs->c->timeout_s);
	else if (boot_err)
		kernel_fail(r, KOUT_FAILED, "qemu: %s", boot_msg);
	else if (!st->done)
		no_results(kr, p, vr);
	else if (st->bad)
		kernel_fail(r, KOUT_FAILED, "%u corrupted result frames (%s)", st->bad,
			    st->first_error);
	else if (st->ok != st->done_frames)
		kernel_fail(r, KOUT_FAILED, "%u of %u result files arrived", st->ok,
			    st->done_frames);
	else if (st->done_status)
		kernel_fail(r, KOUT_FAILED, "the guest's run exited with status %d (see guest-run.log)",
			    st->done_status);
	else if (!stage_manifest_complete(kr->staging))
		kernel_fail(r, KOUT_FAILED, "the guest's manifest is not complete");
	else
		r->outcome = KOUT_COMPLETE;
}

void vm_run_kernel(struct kernel_run *kr)
{
	struct vm_result vr;
	struct vm_paths p;
	struct errmsg e = { "" }, ue = { "" };
	char symbols[1300];
	enum vm_accel accel;
	int err, unpack_err;

	kr->r->boot_s = -1;
	kr->have_transfer = true;
	snprintf(p.initrd, sizeof(p.initrd), "%s/initramfs.cpio", kr->staging);
	snprintf(p.console, sizeof(p.console), "%s/console.log", kr->staging);
	snprintf(p.ship, sizeof(p.ship), "%s/.ship.raw", kr->staging);
	snprintf(p.qlog, sizeof(p.qlog), "%s/qemu.log", kr->staging);
	if (pick_accel(kr, &accel) || build_initramfs(kr, p.initrd))
		return;
	err = boot(kr, &p, accel, &vr, &e);
	unpack_err = collect_frames(p.ship, kr->staging, &kr->st, &ue);
	/* the guest's extra/ folder lands at the top: design-symbols.txt */
	snprintf(symbols, sizeof(symbols), "%s/design-symbols.txt", kr->staging);
	design_from_kallsyms(symbols, kr->r->design, sizeof(kr->r->design));
	if (unpack_err)
		kernel_fail(kr->r, KOUT_FAILED, "unpacking results: %s", ue.buf);
	else
		verdict(kr, &p, &vr, err, e.buf);
}
