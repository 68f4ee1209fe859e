/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Boot a kernel + initramfs in QEMU: minimal machine (no NIC, no firmware
 * ROMs beyond the default BIOS), console on ttyS0 into a file, the result
 * channel on ttyS1 into another, a hard timeout, qemu in its own process
 * group and killed with us.
 */
#ifndef MLB_QEMU_H
#define MLB_QEMU_H

#include <stdbool.h>

#include "common/errmsg.h"

enum vm_accel { VM_ACCEL_TCG, VM_ACCEL_KVM };

const char *vm_accel_name(enum vm_accel a);

struct vm_config {
	const char *qemu;		/* default qemu-system-x86_64 */
	const char *kernel;
	const char *initrd;
	const char *append;		/* extra command line, may be NULL */
	unsigned int smp;
	unsigned int mem_mb;
	unsigned int numa;		/* guest NUMA nodes, 0 = none */
	unsigned int timeout_s;
	const char *console_log;	/* ttyS0 */
	const char *ship_log;		/* ttyS1 */
	const char *qemu_log;		/* qemu's own stderr, NULL = discard */
	enum vm_accel accel;
};

struct vm_result {
	bool timed_out;
	bool interrupted;
	int status;			/* qemu's exit status, -1 if killed */
	double wall_s;
	char cmdline[4096];		/* how qemu was run, for campaign.json */
};

/* -EINVAL for an impossible NUMA layout (more nodes than CPUs, ...). */
int vm_build_argv(const struct vm_config *c, const char **argv, size_t max, char *strbuf,
		  size_t strlen_, struct errmsg *e);
int vm_boot(const struct vm_config *c, struct vm_result *r, struct errmsg *e);

/* What vm_pick_accel decided, kept by the caller (one campaign) and reused. */
struct vm_accel_choice {
	bool decided;
	enum vm_accel accel;
	char reason[256];		/* what was decided and why */
};

/*
 * KVM when /dev/kvm opens and a probe boot of @kernel with @probe_initrd
 * prints the boot marker within @timeout_s; else TCG.  Decided once per
 * @ch.  $MLOCKBENCH_ACCEL=tcg|kvm skips the probe.
 */
enum vm_accel vm_pick_accel(struct vm_accel_choice *ch, const char *kernel,
			    const char *probe_initrd, const char *scratch, unsigned int timeout_s);

#endif
