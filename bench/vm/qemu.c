// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/timeutil.h"
#include "vm/initramfs.h"
#include "vm/qemu.h"
#include "common/run_command.h"

const char *vm_accel_name(enum vm_accel a)
{
	return a == VM_ACCEL_KVM ? "kvm" : "tcg";
}

/* Append a formatted string to strbuf and return it. */
static const char *sfmt(char **pos, char *end, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static const char *sfmt(char **pos, char *end, const char *fmt, ...)
{
	char *s = *pos;
	va_list ap;
	int n;

	if (s >= end)
		return NULL;
	va_start(ap, fmt);
	n = vsnprintf(s, end - s, fmt, ap);
	va_end(ap);
	if (n < 0 || s + n + 1 > end)
		return NULL;
	*pos = s + n + 1;
	return s;
}

int vm_build_argv(const struct vm_config *c, const char **argv, size_t max, char *sb,
		  size_t sblen, struct errmsg *e)
{
	char *pos = sb, *end = sb + sblen;
	size_t n = 0;
	unsigned int i;

#define ARG(x) do { if (n + 1 >= max || !(argv[n++] = (x))) \
	return errmsg_set(e, -E2BIG, "qemu command line too long"); } while (0)

	if (!c->smp || !c->mem_mb)
		return errmsg_set(e, -EINVAL, "smp and memory must be at least 1");
	if (c->numa > c->smp)
		return errmsg_set(e, -EINVAL, "numa %u: more NUMA nodes than CPUs (%u)", c->numa,
				  c->smp);
	if (c->numa && c->mem_mb / c->numa < 64)
		return errmsg_set(e, -EINVAL, "numa %u: under 64M of memory per node", c->numa);
	ARG(c->qemu ? c->qemu : "qemu-system-x86_64");
	ARG("-nodefaults");
	ARG("-no-user-config");
	ARG("-display");
	ARG("none");
	ARG("-monitor");
	ARG("none");
	ARG("-nic");
	ARG("none");
	ARG("-no-reboot");
	ARG("-accel");
	ARG(c->accel == VM_ACCEL_KVM ? "kvm" : "tcg,thread=multi");
	ARG("-smp");
	ARG(sfmt(&pos, end, "%u", c->smp));
	ARG("-m");
	ARG(sfmt(&pos, end, "%uM", c->mem_mb));
	for (i = 0; i < c->numa; i++) {
		unsigned int mem = c->mem_mb / c->numa;
		unsigned int lo = i * c->smp / c->numa, hi = (i + 1) * c->smp / c->numa - 1;

		if (i == c->numa - 1)
			mem = c->mem_mb - mem * (c->numa - 1);
		ARG("-object");
		ARG(sfmt(&pos, end, "memory-backend-ram,id=mem%u,size=%uM", i, mem));
		ARG("-numa");
		ARG(sfmt(&pos, end, "node,nodeid=%u,cpus=%u-%u,memdev=mem%u", i, lo, hi, i));
	}
	ARG("-chardev");
	ARG(sfmt(&pos, end, "file,id=con,path=%s", c->console_log));
	ARG("-serial");
	ARG("chardev:con");
	ARG("-chardev");
	ARG(sfmt(&pos, end, "file,id=ship,path=%s", c->ship_log));
	ARG("-serial");
	ARG("chardev:ship");
	ARG("-kernel");
	ARG(c->kernel);
	ARG("-initrd");
	ARG(c->initrd);
	ARG("-append");
	ARG(sfmt(&pos, end, "console=ttyS0 panic=-1 oops=panic rdinit=/init%s%s",
		 c->append && *c->append ? " " : "", c->append ? c->append : ""));
	argv[n] = NULL;
#undef ARG
	return 0;
}

int vm_boot(const struct vm_config *c, struct vm_result *r, struct errmsg *e)
{
	struct child_process cp = CHILD_PROCESS_INIT;
	const char *argv[96];
	char sb[4096];
	uint64_t t0;
	size_t off = 0;
	int err;

	memset(r, 0, sizeof(*r));
	err = vm_build_argv(c, argv, 96, sb, sizeof(sb), e);
	if (err)
		return err;
	for (size_t i = 0; argv[i]; i++)
		off += snprintf(r->cmdline + off,
				off < sizeof(r->cmdline) ? sizeof(r->cmdline) - off : 0, "%s%s",
				i ? " " : "", argv[i]);
	cp.argv = argv;
	cp.quiet = true;
	cp.stdout_path = "/dev/null";
	cp.stderr_path = c->qemu_log;
	cp.new_pgrp = true;
	cp.timeout_ms = c->timeout_s * 1000;
	t0 = now_ns();
	err = run_command(&cp, e);
	r->wall_s = (now_ns() - t0) / 1e9;
	r->timed_out = cp.timed_out;
	r->interrupted = cp.interrupted;
	r->status = WIFEXITED(cp.status) ? WEXITSTATUS(cp.status) : -1;
	if (err == -ECHILD && r->status > 0)
		return 0;	/* qemu's own status: the caller looks at the frames */
	return err;
}

static bool file_has(const char *path, const char *needle)
{
	char buf[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return memmem(buf, n, needle, strlen(needle)) != NULL;
}

/* Boot @kernel with the probe initramfs under KVM: did it reach /init? */
static void kvm_probe(struct vm_accel_choice *ch, const char *kernel, const char *probe_initrd,
		      const char *scratch, unsigned int timeout_s)
{
	struct vm_config c = { 0 };
	struct vm_result r;
	char con[1024], ship[1024];

	snprintf(con, sizeof(con), "%s/kvm-probe-console.log", scratch);
	snprintf(ship, sizeof(ship), "%s/kvm-probe-ship.log", scratch);
	c.kernel = kernel;
	c.initrd = probe_initrd;
	c.smp = 1;
	c.mem_mb = 256;
	c.timeout_s = timeout_s;
	c.console_log = con;
	c.ship_log = ship;
	c.accel = VM_ACCEL_KVM;
	c.append = "quiet";
	vm_boot(&c, &r, NULL);
	if (file_has(con, INITRAMFS_BOOT_MARKER)) {
		ch->accel = VM_ACCEL_KVM;
		snprintf(ch->reason, sizeof(ch->reason), "kvm (probe booted in %.1f s)", r.wall_s);
	} else {
		ch->accel = VM_ACCEL_TCG;
		snprintf(ch->reason, sizeof(ch->reason), "tcg (kvm probe %s after %.1f s)",
			 r.timed_out ? "hung" : "failed", r.wall_s);
	}
	unlink(con);
	unlink(ship);
}

enum vm_accel vm_pick_accel(struct vm_accel_choice *ch, const char *kernel,
			    const char *probe_initrd, const char *scratch, unsigned int timeout_s)
{
	const char *env = getenv("MLOCKBENCH_ACCEL");
	int fd;

	if (ch->decided)
		return ch->accel;
	ch->decided = true;
	if (env && !strcmp(env, "tcg")) {
		ch->accel = VM_ACCEL_TCG;
		snprintf(ch->reason, sizeof(ch->reason), "tcg (MLOCKBENCH_ACCEL)");
	} else if (env && !strcmp(env, "kvm")) {
		ch->accel = VM_ACCEL_KVM;
		snprintf(ch->reason, sizeof(ch->reason), "kvm (MLOCKBENCH_ACCEL, not probed)");
	} else if ((fd = open("/dev/kvm", O_RDWR | O_CLOEXEC)) < 0) {
		ch->accel = VM_ACCEL_TCG;
		snprintf(ch->reason, sizeof(ch->reason), "tcg (/dev/kvm: %s)", strerror(errno));
	} else {
		close(fd);
		kvm_probe(ch, kernel, probe_initrd, scratch, timeout_s);
	}
	return ch->accel;
}
