// SPDX-License-Identifier: GPL-2.0
/*
 * The workloads' own logic outside a run: the vmas split gives exactly K
 * VMAs, the pages each workload tells the vmstat rules, the exec target's
 * path and the checks before root executes it.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/self_exe.h"
#include "engine/workload.h"
#include "probes/exec_target.h"

/* Lines of /proc/self/maps that start inside [lo, hi). */
static int vmas_in(const char *lo, const char *hi)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long a, b;
	char line[512];
	int n = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &a, &b) == 2 && a >= (unsigned long)lo &&
		    a < (unsigned long)hi)
			n++;
	fclose(f);
	return n;
}

static void split(size_t pages, uint64_t k)
{
	const struct workload_ops *w = workload_find("vmas");
	long page = sysconf(_SC_PAGESIZE);
	struct locker_area a = { 0 };
	const char *step = NULL;
	struct job j;
	char *p;

	job_init(&j, "t");
	j.vmas = k;
	/* guard pages either side: the area must not merge with a neighbour */
	p = mmap(NULL, (pages + 2) * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED);
	a.addr = p + page;
	a.len = pages * page;
	a.job = &j;
	assert_int_equal(mprotect(a.addr, a.len, PROT_READ | PROT_WRITE), 0);
	assert_int_equal(vmas_in(a.addr, (char *)a.addr + a.len), 1);
	assert_non_null(w);
	assert_int_equal(w->setup(&a, &step), 0);
	if (vmas_in(a.addr, (char *)a.addr + a.len) != (int)k)
		fail_msg("%zu pages split for K=%llu gave %d VMAs", pages, (unsigned long long)k,
			 vmas_in(a.addr, (char *)a.addr + a.len));
	munmap(p, (pages + 2) * page);
}

static void test_vmas_split(void **unused)
{
	split(64, 1);
	split(64, 2);
	split(64, 15);
	split(64, 16);
	split(64, 63);
	split(64, 64);
	split(1, 1);
}

static void test_vmas_validate(void **unused)
{
	struct job_limits l = { .page_size = 4096, .max_map_count = 65530, .cap_ipc_lock = true,
				.memlock_soft = UINT64_MAX };
	const struct workload_ops *w = workload_find("vmas");
	struct errmsg e = { "" };
	struct job j;

	job_init(&j, "v");
	assert_int_equal(job_set(&j, "workload", "vmas", &e), 0);
	assert_int_equal(job_set(&j, "size", "1M,64K", &e), 0);
	assert_int_equal(job_set(&j, "vmas", "16", &e), 0);
	assert_int_equal(w->validate(&j, &l, &e), 0);
	assert_int_equal(job_set(&j, "vmas", "17", &e), 0);	/* 64K has 16 pages */
	assert_int_equal(w->validate(&j, &l, &e), -EINVAL);
	assert_non_null(strstr(e.buf, "--size 64K has 16"));
	assert_int_equal(job_set(&j, "size", "1G", &e), 0);
	assert_int_equal(job_set(&j, "vmas", "65100", &e), 0);
	assert_int_equal(w->validate(&j, NULL, &e), 0);	/* the job alone: fine */
	assert_int_equal(w->validate(&j, &l, &e), -E2BIG);
	assert_non_null(strstr(e.buf, "vm.max_map_count 65530"));
	l.max_map_count = 0;	/* not known: not refused */
	assert_int_equal(w->validate(&j, &l, &e), 0);
}

static void test_locked_pages(void **unused)
{
	struct locked_pages lp;
	struct errmsg e = { "" };
	struct job j;

	job_init(&j, "p");
	workload_locked_pages(workload_find("exit"), &j, 1 << 20, 4096, &lp);
	assert_int_equal(lp.shared, 256);
	assert_int_equal(lp.never, 0);
	assert_false(lp.own_too);
	assert_int_equal(job_set(&j, "lock", "mlockall", &e), 0);
	workload_locked_pages(workload_find("exec"), &j, 1 << 20, 4096, &lp);
	assert_true(lp.own_too);	/* mlockall locks the locker's own pages too */

	job_init(&j, "p");
	assert_int_equal(job_set(&j, "workload", "munlockall-reserve", &e), 0);
	assert_int_equal(job_set(&j, "reserve", "1G", &e), 0);
	workload_locked_pages(workload_find("munlockall-reserve"), &j, 1 << 20, 4096, &lp);
	assert_int_equal(lp.shared, 256);
	assert_int_equal(lp.never, 262144);
	assert_true(lp.own_too);	/* implied mlockall */
}

static void test_exec_target_path(void **unused)
{
	char buf[64];

	assert_int_equal(sibling_path("/usr/bin/mlockbench", MLB_EXEC_TARGET_NAME, buf,
				      sizeof(buf)), 0);
	assert_string_equal(buf, "/usr/bin/mlb-exec-target");
	assert_int_equal(sibling_path("/mlockbench", "t", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/t");
	assert_int_equal(sibling_path("mlockbench", "t", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "./t");
	assert_int_equal(sibling_path("/a/very/long/folder/name/indeed/mlockbench",
				      "mlb-exec-target", buf, 20), -ENAMETOOLONG);
	/* the build's own target sits beside this test, as beside mlockbench */
	assert_int_equal(self_exe_sibling(MLB_EXEC_TARGET_NAME, buf, sizeof(buf)), 0);
	assert_string_equal(buf, MLB_EXEC_TARGET);
}

static void test_trusted_program(void **unused)
{
	char dir[] = "/tmp/mlb-test-wl-XXXXXX", path[128];
	struct errmsg e = { "" };
	int fd;

	fd = open_trusted_program(MLB_EXEC_TARGET, &e);
	assert_true(fd >= 0);
	close(fd);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/missing", dir);
	assert_int_equal(open_trusted_program(path, &e), -ENOENT);
	assert_non_null(strstr(e.buf, "missing"));
	assert_int_equal(open_trusted_program(dir, &e), -ENOEXEC);	/* a folder */
	snprintf(path, sizeof(path), "%s/prog", dir);
	fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0644);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(open_trusted_program(path, &e), -ENOEXEC);	/* not executable */
	assert_int_equal(chmod(path, 0757), 0);
	assert_int_equal(open_trusted_program(path, &e), -EPERM);
	assert_non_null(strstr(e.buf, "writable by others"));
	assert_int_equal(chmod(path, 0775), 0);
	assert_int_equal(open_trusted_program(path, &e), -EPERM);
	assert_int_equal(chmod(path, 0755), 0);
	fd = open_trusted_program(path, &e);
	assert_true(fd >= 0);
	close(fd);
	/* a symlink to it is not followed */
	snprintf(path, sizeof(path), "%s/link", dir);
	assert_int_equal(symlink(MLB_EXEC_TARGET, path), 0);
	assert_int_equal(open_trusted_program(path, &e), -ELOOP);
	unlink(path);
	snprintf(path, sizeof(path), "%s/prog", dir);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vmas_split),
		cmocka_unit_test(test_vmas_validate),
		cmocka_unit_test(test_locked_pages),
		cmocka_unit_test(test_exec_target_path),
		cmocka_unit_test(test_trusted_program),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
