// SPDX-License-Identifier: GPL-2.0
/* The guest initramfs: newc format, and everything the guest needs is inside. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "vm/initramfs.h"
#include "common/run_command.h"
#include "sysinfo/sysinfo.h"
#include "test_util.h"

static char tmpdir[] = "/tmp/mlb-test-initramfs-XXXXXX";

static int setup(void **state)
{
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	return rm_rf(tmpdir);
}

#define MAXE 512
struct listing {
	size_t n;
	char name[MAXE][256];
	unsigned int mode[MAXE];
	size_t len[MAXE];
	char *data[MAXE];
};

static int collect(void *arg, const struct cpio_entry *ent)
{
	struct listing *l = arg;

	assert_true(l->n < MAXE);
	snprintf(l->name[l->n], 256, "%s", ent->name);
	l->mode[l->n] = ent->mode;
	l->len[l->n] = ent->len;
	l->data[l->n] = malloc(ent->len + 1);
	memcpy(l->data[l->n], ent->data, ent->len);
	l->data[l->n][ent->len] = '\0';
	l->n++;
	return 0;
}

static void listing_free(struct listing *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->data[i]);
}

static int find(struct listing *l, const char *name)
{
	while (*name == '/')
		name++;
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->name[i], name))
			return i;
	fail_msg("%s missing from the archive", name);
	return -1;
}

static void test_writer_round_trip(void **state)
{
	char path[512];
	struct cpio_writer w;
	struct listing l = { 0 };
	struct errmsg e = { "" };
	int i;

	snprintf(path, sizeof(path), "%s/rt.cpio", tmpdir);
	assert_int_equal(cpio_open(&w, path, &e), 0);
	assert_int_equal(cpio_add_data(&w, "/a/b/c.txt", 0640, "hello", 5), 0);
	assert_int_equal(cpio_add_data(&w, "odd", 0600, "xyz", 3), 0);
	assert_int_equal(cpio_add_symlink(&w, "a/link", "b/c.txt"), 0);
	assert_int_equal(cpio_add_node(&w, "dev/console", S_IFCHR | 0600, 5, 1), 0);
	assert_int_equal(cpio_close(&w, &e), 0);
	assert_int_equal(cpio_list(path, collect, &l, &e), 0);
	/* parents first: a, a/b before a/b/c.txt */
	assert_true(find(&l, "a") < find(&l, "a/b"));
	assert_true(find(&l, "a/b") < find(&l, "a/b/c.txt"));
	i = find(&l, "a/b/c.txt");
	assert_int_equal(l.mode[i], S_IFREG | 0640);
	assert_string_equal(l.data[i], "hello");
	assert_string_equal(l.data[find(&l, "odd")], "xyz");
	i = find(&l, "a/link");
	assert_true(S_ISLNK(l.mode[i]));
	assert_string_equal(l.data[i], "b/c.txt");
	assert_true(S_ISCHR(l.mode[find(&l, "dev/console")]));
	listing_free(&l);
}

/* Run cpio(1) (scripts/setup.sh installs it) with @args in @dir; its stdout. */
static char *cpio_tool(const char *dir, const char *const *args)
{
	const char *argv[12] = { "cpio", "--quiet" };
	struct child_process cp = CHILD_PROCESS_INIT;
	struct errmsg e = { "" };
	size_t n = 2;
	char path[64];

	if (run_command_find("cpio", path, sizeof(path)))
		fail_msg("cpio(1) is not installed: scripts/setup.sh installs it");
	while (*args && n < 11)
		argv[n++] = *args++;
	argv[n] = NULL;
	cp.argv = argv;
	cp.dir = dir;
	cp.capture_out = true;
	cp.timeout_ms = 30000;
	if (run_command(&cp, &e))
		fail_msg("cpio: %s", e.buf);
	return cp.out;
}

static void expect_file(const char *dir, const char *name, unsigned int mode,
			const void *data, size_t len)
{
	char path[512], buf[4096];
	struct stat st;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(lstat(path, &st), 0);
	if ((st.st_mode & 07777) != mode)
		fail_msg("%s: mode %o, want %o", name, st.st_mode & 07777, mode);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_size, len);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fread(buf, 1, sizeof(buf), f), len);
	fclose(f);
	assert_memory_equal(buf, data, len);
}

/* GNU cpio reads our archives: the names, modes, contents and link targets. */
static void test_cpio_tool_agrees(void **state)
{
	static const unsigned char bin[7] = { 0, 1, 2, 0xff, '\n', 0, 9 };
	char path[512], out[512], target[64];
	struct cpio_writer w;
	struct errmsg e = { "" };
	struct stat st;
	char *listing;

	snprintf(path, sizeof(path), "%s/tool.cpio", tmpdir);
	snprintf(out, sizeof(out), "%s/tool-out", tmpdir);
	assert_int_equal(mkdir(out, 0700), 0);
	assert_int_equal(cpio_open(&w, path, &e), 0);
	assert_int_equal(cpio_add_dir(&w, "d", 0750), 0);
	assert_int_equal(cpio_add_data(&w, "d/x/y", 0644, "12345", 5), 0);
	assert_int_equal(cpio_add_data(&w, "z", 0600, "", 0), 0);
	assert_int_equal(cpio_add_data(&w, "run.sh", 0755, "#!/bin/sh\n", 10), 0);
	assert_int_equal(cpio_add_data(&w, "bin", 0640, bin, sizeof(bin)), 0);
	assert_int_equal(cpio_add_symlink(&w, "d/link", "x/y"), 0);
	assert_int_equal(cpio_add_node(&w, "dev/console", S_IFCHR | 0600, 5, 1), 0);
	assert_int_equal(cpio_close(&w, &e), 0);

	listing = cpio_tool(tmpdir, (const char *const[]){ "-it", "-F", path, NULL });
	assert_string_equal(listing, "d\nd/x\nd/x/y\nz\nrun.sh\nbin\nd/link\ndev\ndev/console\n");
	free(listing);
	/* the verbose listing: the device node's type and numbers */
	listing = cpio_tool(tmpdir, (const char *const[]){ "-itv", "-F", path, "dev/console",
							  NULL });
	assert_non_null(strstr(listing, "crw-------"));
	assert_non_null(strstr(listing, "5,   1"));
	free(listing);
	free(cpio_tool(out, (const char *const[]){ "-idm", "--no-absolute-filenames", "-F", path,
						   "d*", "z", "run.sh", "bin", NULL }));
	snprintf(path, sizeof(path), "%s/d", out);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0750);
	expect_file(out, "d/x/y", 0644, "12345", 5);
	expect_file(out, "z", 0600, "", 0);
	expect_file(out, "run.sh", 0755, "#!/bin/sh\n", 10);
	expect_file(out, "bin", 0640, bin, sizeof(bin));
	snprintf(path, sizeof(path), "%s/d/link", out);
	assert_int_equal(readlink(path, target, sizeof(target)), 3);
	assert_memory_equal(target, "x/y", 3);
}

static void test_ldd_parse(void **state)
{
	struct ldd_list l;
	struct errmsg e = { "" };

	assert_int_equal(ldd_parse("\tlinux-vdso.so.1 (0x00007ffd)\n"
				   "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)\n"
				   "\t/lib64/ld-linux-x86-64.so.2 (0x00007f)\n", &l, &e), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.path[0], "/lib/x86_64-linux-gnu/libc.so.6");
	assert_string_equal(l.path[1], "/lib64/ld-linux-x86-64.so.2");
	assert_int_equal(ldd_parse("\tlibfoo.so.1 => not found\n", &l, &e), -ENOENT);
	assert_non_null(strstr(e.buf, "libfoo.so.1"));
	assert_int_equal(ldd_parse("\tstatically linked\n", &l, &e), -ENOENT);
}

/* The guest image for a dynamically linked binary: this test program. */
static void test_guest_image(void **state)
{
	static const char job[] = "[global]\nreps = 2\n\n[j]\nworkload = exit\nprocs = 2\n";
	struct initramfs_spec s = { .job_text = job, .kernel_id = "debian-6.1",
				    .data_root = MLB_SOURCE_DIR, .ship_port = 1 };
	char self[512], path[512];
	struct listing l = { 0 };
	struct ldd_list libs;
	struct errmsg e = { "" };
	struct stat st;
	ssize_t n;
	int i;

	if (access("/bin/busybox", X_OK)) {
		skip();
		return;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	assert_true(n > 0);
	self[n] = '\0';
	s.binary = self;
	s.exec_target = MLB_EXEC_TARGET;
	snprintf(path, sizeof(path), "%s/guest.cpio", tmpdir);
	assert_int_equal(initramfs_build(&s, path, &e), 0);
	assert_int_equal(cpio_list(path, collect, &l, &e), 0);

	i = find(&l, "init");
	assert_true(l.mode[i] & 0100);
	assert_non_null(strstr(l.data[i], "mount -t proc"));
	assert_non_null(strstr(l.data[i], "mount -t devtmpfs"));
	assert_non_null(strstr(l.data[i], "mount -t tracefs tracefs /sys/kernel/tracing"));
	assert_non_null(strstr(l.data[i], "ulimit -l unlimited"));
	assert_non_null(strstr(l.data[i], "mlockbench info --json"));
	assert_non_null(strstr(l.data[i], "OUT=/results/debian-6.1 "));
	assert_non_null(strstr(l.data[i], "mlockbench run --job /job.ini --out $OUT"));
	assert_non_null(strstr(l.data[i], "mlockbench ship --port /dev/ttyS1"));
	assert_non_null(strstr(l.data[i], "poweroff -f"));
	i = find(&l, "bin/busybox");
	assert_int_equal(stat("/bin/busybox", &st), 0);
	assert_int_equal(l.len[i], st.st_size);
	i = find(&l, "bin/mlockbench");
	assert_int_equal(stat(self, &st), 0);
	assert_int_equal(l.len[i], st.st_size);
	assert_true(l.mode[i] & 0100);
	/* the exec workload's target beside the binary, as natively */
	i = find(&l, "bin/mlb-exec-target");
	assert_int_equal(stat(MLB_EXEC_TARGET, &st), 0);
	assert_int_equal(l.len[i], st.st_size);
	assert_true(l.mode[i] & 0100);
	assert_string_equal(l.data[find(&l, "job.ini")], job);
	assert_true(S_ISCHR(l.mode[find(&l, "dev/console")]));
	find(&l, "bin/sh");

	/* every library ldd lists, and the loader, with its real contents */
	assert_int_equal(ldd_run(self, &libs, &e), 0);
	assert_true(libs.n >= 3);	/* libc, the loader, cmocka at least */
	for (size_t k = 0; k < libs.n; k++) {
		i = find(&l, libs.path[k]);
		assert_int_equal(stat(libs.path[k], &st), 0);
		assert_int_equal(l.len[i], st.st_size);
	}
	find(&l, "lib64/ld-linux-x86-64.so.2");
	/* cpio(1) reads the whole image and sees the same entries */
	{
		char *names = cpio_tool(tmpdir, (const char *const[]){ "-it", "-F", path, NULL });
		size_t count = 0;

		for (char *c = names; *c; c++)
			count += *c == '\n';
		assert_int_equal(count, l.n);
		for (size_t k = 0; k < l.n; k++) {
			char line[300];

			snprintf(line, sizeof(line), "\n%s\n", l.name[k]);
			if (strncmp(names, line + 1, strlen(line + 1)) && !strstr(names, line))
				fail_msg("cpio -t lacks %s", l.name[k]);
		}
		free(names);
	}
	/* the guest greps for exactly the fingerprints the host's detector knows */
	{
		const char *g = strstr(l.data[find(&l, "init")], "grep -E ' (");
		char want[1024] = "", got[1024];
		size_t off = 0;

		assert_non_null(g);
		g += strlen("grep -E ' (");
		snprintf(got, sizeof(got), "%.*s", (int)strcspn(g, ")"), g);
		for (size_t k = 0; design_fingerprint(k); k++)
			off += snprintf(want + off, sizeof(want) - off, "%s%s", k ? "|" : "",
					design_fingerprint(k));
		assert_string_equal(got, want);
		assert_non_null(strstr(want, "page_mlock_one"));
	}
	/* data files keep their source-tree path */
	if (!access(MLB_SOURCE_DIR "/bench/collectors/lock-classes.tsv", R_OK))
		find(&l, MLB_SOURCE_DIR "/bench/collectors/lock-classes.tsv");
	listing_free(&l);
}

static void test_probe_image(void **state)
{
	struct initramfs_spec s = { .probe = true };
	struct listing l = { 0 };
	struct errmsg e = { "" };
	char path[512];
	int i;

	if (access("/bin/busybox", X_OK)) {
		skip();
		return;
	}
	snprintf(path, sizeof(path), "%s/probe.cpio", tmpdir);
	assert_int_equal(initramfs_build(&s, path, &e), 0);
	assert_int_equal(cpio_list(path, collect, &l, &e), 0);
	i = find(&l, "init");
	assert_non_null(strstr(l.data[i], INITRAMFS_BOOT_MARKER));
	assert_null(strstr(l.data[i], "mlockbench run"));
	for (size_t k = 0; k < l.n; k++)
		assert_string_not_equal(l.name[k], "bin/mlockbench");
	listing_free(&l);
}

static void test_missing_busybox(void **state)
{
	struct initramfs_spec s = { .probe = true, .busybox = "/nonexistent/busybox" };
	struct errmsg e = { "" };
	char path[512];

	snprintf(path, sizeof(path), "%s/nobb.cpio", tmpdir);
	assert_int_equal(initramfs_build(&s, path, &e), -ENOENT);
	assert_non_null(strstr(e.buf, "busybox"));
	assert_int_not_equal(access(path, F_OK), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writer_round_trip),
		cmocka_unit_test(test_cpio_tool_agrees),
		cmocka_unit_test(test_ldd_parse),
		cmocka_unit_test(test_guest_image),
		cmocka_unit_test(test_probe_image),
		cmocka_unit_test(test_missing_busybox),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
