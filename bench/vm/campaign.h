/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A campaign: the same jobs on several kernels.  The file is INI:
 *
 *   [campaign]
 *   name    = exit-design      (folder name under the output root)
 *   kernels = debian-5.10 debian-6.1    (descriptor ids, space or comma list)
 *   compare = design | none    (design: refuse a result where all kernels share a design)
 *   smp     = 2                guest CPUs
 *   memory  = 1G               guest memory
 *   numa    = 0                guest NUMA nodes (0 = none)
 *   timeout = 600              seconds per kernel, boot to power-off
 *   append  = ...              extra kernel command line for every VM kernel
 *
 *   [global] / [any-job]       job sections, read on the host by the job-file
 *                              code of `run --job` (a typo stops the campaign
 *                              before any boot) and passed to every kernel's
 *                              `mlockbench run --job`, line numbers kept
 *
 * Results: <out>/<name>/<kernel-id>/ (a run result folder plus console.log
 * and campaign.json).  A kernel whose manifest says "complete" is skipped
 * unless forced.
 */
#ifndef MLB_CAMPAIGN_H
#define MLB_CAMPAIGN_H

#include <stdbool.h>
#include <stddef.h>

#include "common/errmsg.h"

#define CAMPAIGN_MAX_KERNELS 16

enum campaign_compare { COMPARE_NONE, COMPARE_DESIGN };

struct campaign {
	char name[64];
	char kernels[CAMPAIGN_MAX_KERNELS][64];
	size_t nkernels;
	/* the file's full list, kept by campaign_select for the design check */
	char all_kernels[CAMPAIGN_MAX_KERNELS][64];
	size_t nall;
	enum campaign_compare compare;
	unsigned int smp, mem_mb, numa, timeout_s;
	char append[512];
	char *job_text;		/* the file with its [campaign] lines blanked */
	size_t njobs;		/* job sections other than [global] */
	char path[1024];
};

int campaign_parse_string(const char *text, const char *origin, struct campaign *c,
			  struct errmsg *e);
int campaign_load(const char *path, struct campaign *c, struct errmsg *e);
void campaign_release(struct campaign *c);
/* Keep only the kernels in the comma list @only (each must be in the campaign). */
int campaign_select(struct campaign *c, const char *only, struct errmsg *e);

enum kernel_outcome {
	KOUT_COMPLETE,		/* ran now, manifest complete */
	KOUT_SKIPPED,		/* complete from an earlier run */
	KOUT_FAILED,		/* ran, but the job or the transfer failed */
	KOUT_TIMEOUT,		/* the guest hung: killed */
	KOUT_UNAVAILABLE,	/* kernel could not be fetched / booted at all */
	KOUT_INTERRUPTED,
};

struct kernel_report {
	char id[64];
	enum kernel_outcome outcome;
	char design[32];		/* detected, "" if unknown */
	char expected[32];
	bool mismatch;
	double wall_s, boot_s;		/* boot_s: qemu start -> guest init */
	char accel[64];
	char message[512];
	char dir[1024];
};

const char *kernel_outcome_name(enum kernel_outcome o);

struct campaign_opts {
	const char *out_root;		/* default "data" */
	bool force;
	const char *binary;		/* the mlockbench to run (host and guest) */
	/* progress lines (no newline); may be NULL */
	void (*note)(void *arg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
	void *note_arg;
};

/*
 * Run every kernel of @c.  Fills @reports (one per kernel, c->nkernels).
 * Returns 0 when every kernel completed (or was skipped as complete),
 * -EINTR when interrupted, -ECHILD when some kernel failed, -EDOM when a
 * design comparison ended up without two designs (message says which).
 */
int campaign_run(const struct campaign *c, const struct campaign_opts *o,
		 struct kernel_report *reports, struct errmsg *e);

#endif
