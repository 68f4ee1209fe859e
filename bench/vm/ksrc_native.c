// SPDX-License-Identifier: GPL-2.0
/* source = native: the running kernel; the jobs run here with `mlockbench run --job`. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "common/run_command.h"
#include "common/timeutil.h"
#include "vm/kernel_run.h"
#include "vm/kernel_source.h"

static void native_describe(const struct kernel_desc *d, char *buf, size_t len)
{
	snprintf(buf, len, "running kernel");
}

/* FROM becomes DIR/NAME (gone when it cannot be moved) */
static void move_into(const char *from, const char *dir, const char *name)
{
	char to[1300];

	snprintf(to, sizeof(to), "%s/%s", dir, name);
	if (rename(from, to))
		unlink(from);
}

static void native_run(struct kernel_run *kr)
{
	const struct campaign_state *cs = kr->cs;
	struct child_process cp = CHILD_PROCESS_INIT;
	struct kernel_report *r = kr->r;
	char job[1300], log[1300];
	struct errmsg e = { "" };
	const char *argv[] = { cs->o->binary, "run", "--job", job, "--out", kr->staging, NULL };
	uint64_t t0 = now_ns();
	int err;

	/* beside the folder while run fills it: run takes only an empty folder or a result */
	snprintf(job, sizeof(job), "%s.job.ini", kr->staging);
	snprintf(log, sizeof(log), "%s.run.log", kr->staging);
	snprintf(r->accel, sizeof(r->accel), "native");
	r->boot_s = -1;
	err = stage_write_text(job, cs->c->job_text, &e);
	if (err) {
		kernel_fail(r, KOUT_FAILED, "%s", e.buf);
		return;
	}
	cp.argv = argv;
	cp.stdout_path = log;
	cp.new_pgrp = true;
	/* a polite signal first: the run restores what it changed */
	cp.interrupt_signal = SIGTERM;
	cp.timeout_ms = cs->c->timeout_s * 1000;
	err = run_command(&cp, &e);
	r->wall_s = (now_ns() - t0) / 1e9;
	move_into(job, kr->staging, "job.ini");
	move_into(log, kr->staging, "run.log");
	design_from_kallsyms(NULL, r->design, sizeof(r->design));
	if (err == -EINTR)
		kernel_fail(r, KOUT_INTERRUPTED, "interrupted");
	else if (err == -ETIMEDOUT)
		kernel_fail(r, KOUT_TIMEOUT, "run timed out after %u s", cs->c->timeout_s);
	else if (err)
		kernel_fail(r, KOUT_FAILED, "%s", e.buf);
	else if (!stage_manifest_complete(kr->staging))
		kernel_fail(r, KOUT_FAILED, "run left no complete manifest");
	else
		r->outcome = KOUT_COMPLETE;
}

const struct kernel_source_ops ksrc_native = {
	.name = "native",
	.help = "the kernel this machine runs: the jobs run here, no VM",
	.describe = native_describe,
	.run = native_run,
};
