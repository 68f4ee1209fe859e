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
 *   runs    = 3                boots per kernel (1..CAMPAIGN_MAX_RUNS)
 *   order   = interleave | random   interleave: A B A B ...; random: a
 *                              seeded shuffle, each kernel still runs times
 *   seed    = 1                the shuffle's seed (order = random)
 *
 *   [global] / [any-job]       job sections, read on the host by the job-file
 *                              code of `run --job` (a typo stops the campaign
 *                              before any boot) and passed to every kernel's
 *                              `mlockbench run --job`, line numbers kept
 *
 * Results: <out>/<name>/<kernel-id>/boot-<n>/ (a run result folder plus
 * console.log and campaign.json), <out>/<name>/campaign.json lists every
 * boot in the order it ran.  A boot whose manifest says "complete" is
 * skipped unless forced.
 */
#ifndef MLB_CAMPAIGN_H
#define MLB_CAMPAIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/errmsg.h"
#include "sysinfo/audit.h"

#define CAMPAIGN_MAX_KERNELS 16
#define CAMPAIGN_MAX_RUNS 100

enum campaign_compare { COMPARE_NONE, COMPARE_DESIGN };
enum campaign_order { ORDER_INTERLEAVE, ORDER_RANDOM };

struct campaign {
	char name[64];
	char kernels[CAMPAIGN_MAX_KERNELS][64];
	size_t nkernels;
	/* the file's full list, kept by campaign_select for the design check */
	char all_kernels[CAMPAIGN_MAX_KERNELS][64];
	size_t nall;
	enum campaign_compare compare;
	unsigned int smp, mem_mb, numa, timeout_s;
	unsigned int runs;		/* boots per kernel */
	enum campaign_order order;
	uint64_t seed;
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

/* One boot of the run order: kernel index into c->kernels, boot number from 1. */
struct boot_slot {
	unsigned int kernel;
	unsigned int boot;
};

/* Boots in the whole campaign: nkernels x runs. */
size_t campaign_nboots(const struct campaign *c);
/*
 * The order the boots run in, into @slots (campaign_nboots of them): each
 * kernel exactly runs times, its boots numbered 1..runs in the order they
 * run.  interleave: round by round in the file's kernel order; random: a
 * Fisher-Yates shuffle driven by splitmix64(seed), the same for the same
 * seed on every machine.
 */
void campaign_order(const struct campaign *c, struct boot_slot *slots);
const char *campaign_order_name(enum campaign_order o);

enum kernel_outcome {
	KOUT_COMPLETE,		/* ran now, manifest complete */
	KOUT_SKIPPED,		/* complete from an earlier run */
	KOUT_FAILED,		/* ran, but the job or the transfer failed */
	KOUT_TIMEOUT,		/* the guest hung: killed */
	KOUT_UNAVAILABLE,	/* kernel could not be fetched / booted at all */
	KOUT_INTERRUPTED,
};

/* One boot of one kernel. */
struct kernel_report {
	char id[64];
	unsigned int boot;		/* 1..runs */
	unsigned int seq;		/* position in the run order, from 1 */
	char started[40], finished[40];	/* ISO 8601, "" when it never started */
	enum kernel_outcome outcome;
	char design[32];		/* detected, "" if unknown */
	char expected[32];
	bool mismatch;
	double wall_s, boot_s;		/* boot_s: qemu start -> guest init */
	char accel[64];
	char message[512];
	char dir[1024];			/* <out>/<name>/<id>/boot-<n> */
	/*
	 * The host at the start of the boot: a guest under TCG runs at the
	 * speed the host's load leaves it, which the guest's own audit
	 * cannot see.
	 */
	struct sysaudit host;
	bool have_host;
};

const char *kernel_outcome_name(enum kernel_outcome o);
/* <campaign_dir>/<id>/boot-<boot> into @out; -ENAMETOOLONG if it does not fit. */
int campaign_boot_dir(const char *campaign_dir, const char *id, unsigned int boot, char *out,
		      size_t len);

struct campaign_opts {
	const char *out_root;		/* default "data" */
	bool force;
	const char *binary;		/* the mlockbench to run (host and guest) */
	/* progress lines (no newline); may be NULL */
	void (*note)(void *arg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
	void *note_arg;
};

/*
 * Run every boot of @c in campaign_order.  Fills @reports (one per boot,
 * campaign_nboots(c), in run order).
 * Returns 0 when every boot completed (or was skipped as complete),
 * -EINTR when interrupted, -ECHILD when some boot failed, -EDOM when a
 * design comparison ended up without two designs (message says which).
 */
int campaign_run(const struct campaign *c, const struct campaign_opts *o,
		 struct kernel_report *reports, struct errmsg *e);

#endif
