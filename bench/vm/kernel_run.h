/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside a campaign run (campaign.c): the state of the whole run and of the
 * kernel in progress, handed from step to step of the pipeline
 *
 *   descriptor -> fetch -> stage folder -> source's run (VM: initramfs, boot,
 *   collect; native: run here) -> design -> manifest, campaign.json -> rename
 *
 * Everything a step needs is here: no step keeps state of its own.
 */
#ifndef MLB_KERNEL_RUN_H
#define MLB_KERNEL_RUN_H

#include <stdarg.h>
#include <stdbool.h>

#include "vm/campaign.h"
#include "vm/descriptor.h"
#include "vm/fetch.h"
#include "vm/framing.h"
#include "vm/qemu.h"

struct campaign_state {
	const struct campaign *c;
	const struct campaign_opts *o;
	char dir[1100];			/* <out>/<name> */
	char probe[1200];		/* the KVM probe's initramfs, built on first use */
	bool probe_built;
	struct vm_accel_choice accel;	/* decided once, by the first VM kernel */
};

struct kernel_run {
	struct campaign_state *cs;
	struct kernel_report *r;
	struct kernel_desc d;
	struct kernel_files kf;
	bool have_files;		/* kf is filled (a source with files) */
	char final[1100];		/* <campaign>/<id>/boot-<n> */
	char staging[1200];		/* <final>.partial, renamed to final at the end */
	char qemu_cmd[4096];		/* "" when no VM ran */
	struct frame_stats st;		/* the result transfer, for VM kernels */
	bool have_transfer;
};

/* A progress line through the caller's note hook. */
void campaign_note(const struct campaign_state *cs, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Set the kernel's outcome and message. */
void kernel_fail(struct kernel_report *r, enum kernel_outcome oc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* campaign_stage.c: the kernel's folder */
bool stage_manifest_complete(const char *dir);
int stage_write_text(const char *path, const char *text, struct errmsg *e);
/* Staging folder afresh; KOUT_UNAVAILABLE on failure. */
int stage_begin(struct kernel_run *kr);
/* Manifest patched, campaign.json written, staging renamed into place. */
void stage_finish(struct kernel_run *kr);
/* <campaign>/campaign.json: every boot in run order, and a line per kernel. */
void stage_write_summary(const struct campaign_state *cs, const struct kernel_report *reports);

/* campaign_design.c */
/* The design a finished kernel folder recorded (its campaign.json), "" if unknown. */
void design_of_folder(const char *dir, char *out, size_t len);
/*
 * The design kallsyms lines show (sysinfo's detector): the guest's
 * design-symbols.txt at @path, or this machine's /proc/kallsyms for NULL.
 */
void design_from_kallsyms(const char *path, char *out, size_t len);
/* compare = design: -EDOM with a message when fewer than two designs ran. */
int design_compare_check(const struct campaign_state *cs, const struct kernel_report *reports,
			 struct errmsg *e);

/* vm_run.c: a kernel in QEMU; vm_check_tools: qemu and busybox are there. */
void vm_run_kernel(struct kernel_run *kr);
int vm_check_tools(struct errmsg *e);

#endif
