// SPDX-License-Identifier: GPL-2.0
/*
 * Tracefs changes survive a killed run: a child records and makes a
 * change (a probe of our group; uprobe_events here, since this kernel may
 * lack kprobes, kprobe_events when it has them) and is SIGKILLed; the next
 * open must undo it, leaving kprobe_events, uprobe_events, set_event and
 * events/enable as they were.  Also: a live owner makes open() refuse, and
 * the locks collector cleans up after a killed collector.  Needs root and
 * tracefs; skipped otherwise.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <linux/perf_event.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <tracefs.h>

#include "collectors/builtin.h"
#include "collectors/tracefs.h"
#include "collectors/tracefs_state.h"

static char tdir[256];
static char statedir[64];
static bool mounted_here;

static char *read_text(const char *name)
{
	char path[512], *buf;
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tdir, name);
	buf = calloc(1, 1 << 20);
	f = fopen(path, "r");
	if (f) {
		n = fread(buf, 1, (1 << 20) - 1, f);
		fclose(f);
		buf[n] = '\0';
	} else {
		snprintf(buf, 64, "<absent>");
	}
	return buf;
}

static const char *const watched[] = { "kprobe_events", "uprobe_events", "set_event",
				       "events/enable" };
#define NWATCHED (sizeof(watched) / sizeof(watched[0]))

static int setup(void **unused)
{
	bool now = false;

	if (geteuid() != 0)
		return 0;
	if (tracefs_find(tdir, sizeof(tdir), true, &now, NULL))
		tdir[0] = '\0';
	mounted_here = now;
	snprintf(statedir, sizeof(statedir), "/tmp/mlb-state-%d", (int)getpid());
	mkdir(statedir, 0700);
	setenv("MLOCKBENCH_STATE_DIR", statedir, 1);
	return 0;
}

static int teardown(void **unused)
{
	char f[128];

	snprintf(f, sizeof(f), "%s/tracefs-state", statedir);
	unlink(f);
	rmdir(statedir);
	if (mounted_here)
		umount2(tdir, 0);	/* leave tracefs as found */
	return 0;
}

/* Fork a child that runs @fn, tells us it is done, then waits to be killed. */
static pid_t child_then_wait(int (*fn)(void))
{
	int p[2];
	pid_t pid;
	char c = 0;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		c = fn() ? 'E' : 'R';
		if (write(p[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	if (c != 'R') {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		fail_msg("child could not make its change");
	}
	return pid;
}

static bool use_kprobe;

static int make_probe(void)
{
	struct tracefs_state s;
	struct errmsg e = { "" };

	if (tracefs_state_open(&s, &e))
		return -1;
	if (use_kprobe)
		return tracefs_state_add_dynevent(&s, tracefs_kprobe_alloc(TRACEFS_KPROBE_GROUP,
						  "state_test", "do_exit", NULL), &e);
	return tracefs_state_add_dynevent(&s, tracefs_uprobe_alloc(TRACEFS_KPROBE_GROUP,
					  "state_test", "/bin/true", 0x1000, NULL), &e);
}

/* Skip unless root with tracefs; kprobe_events when writable, else uprobe_events. */
static void need_probe_events(void)
{
	char sf[512];

	if (geteuid() != 0 || !tdir[0])
		skip();
	snprintf(sf, sizeof(sf), "%s/kprobe_events", tdir);
	use_kprobe = access(sf, W_OK) == 0;
	snprintf(sf, sizeof(sf), "%s/uprobe_events", tdir);
	if (!use_kprobe && access(sf, W_OK))
		skip();
}

static void test_killed_run_restored(void **unused)
{
	char *before[NWATCHED], *during, *after, sf[128];
	struct tracefs_state s;
	struct errmsg e = { "" };
	struct stat st;
	size_t i;
	pid_t pid;

	need_probe_events();
	for (i = 0; i < NWATCHED; i++)
		before[i] = read_text(watched[i]);

	pid = child_then_wait(make_probe);
	during = read_text(use_kprobe ? "kprobe_events" : "uprobe_events");
	assert_non_null(strstr(during, TRACEFS_KPROBE_GROUP "/state_test"));
	free(during);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);

	/* the killed run's state file is left behind, naming a dead owner */
	snprintf(sf, sizeof(sf), "%s/tracefs-state", statedir);
	assert_int_equal(stat(sf, &st), 0);

	assert_int_equal(tracefs_state_open(&s, &e), 0);
	assert_true(s.stale_cleaned);
	for (i = 0; i < NWATCHED; i++) {
		after = read_text(watched[i]);
		if (strcmp(before[i], after))
			fail_msg("%s differs after cleanup:\n%s\nvs\n%s", watched[i], before[i],
				 after);
		free(after);
	}
	tracefs_state_close(&s);
	tracefs_state_close(&s);	/* idempotent */
	assert_int_not_equal(stat(sf, &st), 0);
	for (i = 0; i < NWATCHED; i++)
		free(before[i]);
}

static int hold_state(void)
{
	return make_probe();
}

static void test_live_owner_refused(void **unused)
{
	struct tracefs_state s;
	struct errmsg e = { "" };
	pid_t pid;

	need_probe_events();
	pid = child_then_wait(hold_state);
	/* reading is fine while another run owns the state; changing is refused */
	assert_int_equal(tracefs_state_open(&s, &e), 0);
	assert_false(s.stale_cleaned);
	assert_int_equal(tracefs_state_add_dynevent(&s, tracefs_uprobe_alloc(
				TRACEFS_KPROBE_GROUP, "state_test2", "/bin/true", 0x1000, NULL),
				&e), -EBUSY);
	assert_non_null(strstr(e.buf, "another run"));
	tracefs_state_close(&s);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	assert_int_equal(tracefs_state_open(&s, &e), 0);
	assert_true(s.stale_cleaned);
	tracefs_state_close(&s);
}

static int open_locks(void)
{
	struct errmsg e = { "" };
	struct ops_args args = { { 0 } };	/* method=auto */
	void *st;

	return locks_collector.open(&st, &args, &e);
}

static void test_killed_locks_collector(void **unused)
{
	char *before[NWATCHED], *after, sf[128];
	struct errmsg e = { "" };
	struct stat sst;
	bool left;
	json_t *d;
	void *st;
	size_t i;
	pid_t pid;

	if (geteuid() != 0 || !tdir[0])
		skip();
	for (i = 0; i < NWATCHED; i++)
		before[i] = read_text(watched[i]);
	pid = child_then_wait(open_locks);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	/* with tracepoints nothing is changed, so nothing is recorded; kprobes are */
	snprintf(sf, sizeof(sf), "%s/tracefs-state", statedir);
	left = stat(sf, &sst) == 0;

	assert_int_equal(locks_collector.open(&st, &(struct ops_args){ { 0 } }, &e), 0);
	d = json_object();
	locks_collector.describe(st, d);
	assert_int_equal(json_is_true(json_object_get(d, "stale_state_cleaned")), left);
	if (!strcmp(json_string_value(json_object_get(d, "method")), "kprobe"))
		assert_true(left);
	json_decref(d);
	locks_collector.close(st);
	for (i = 0; i < NWATCHED; i++) {
		after = read_text(watched[i]);
		assert_string_equal(before[i], after);
		free(after);
		free(before[i]);
	}
}

/* ---- hostile journals (issue 8, defect 3) ---- */

#define NOBODY 65534

static char journal[192];

static void write_journal(const char *text, mode_t mode, uid_t uid)
{
	int fd;

	snprintf(journal, sizeof(journal), "%s/tracefs-state", statedir);
	unlink(journal);
	fd = open(journal, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	assert_int_equal(fchown(fd, uid, 0), 0);
	close(fd);
}

static void cleanup_journals(void)
{
	char f[256];

	unlink(journal);
	snprintf(f, sizeof(f), "%s/tracefs-state.refused", statedir);
	unlink(f);
	snprintf(f, sizeof(f), "%s/tracefs-state.failed", statedir);
	unlink(f);
}

static void boot_id_of(char *buf, size_t len)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");

	assert_non_null(f);
	assert_non_null(fgets(buf, len, f));
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

/* A fake tracing folder: a plain folder with a kprobe_events file. */
static void make_fake(char *dir, size_t len)
{
	char f[256];
	FILE *fp;

	snprintf(dir, len, "/tmp/mlb-fake-%d", (int)getpid());
	mkdir(dir, 0755);
	snprintf(f, sizeof(f), "%s/kprobe_events", dir);
	fp = fopen(f, "w");
	assert_non_null(fp);
	fputs("precious\n", fp);
	fclose(fp);
}

static void assert_fake_untouched(const char *dir)
{
	char f[256], buf[64] = "";
	FILE *fp;

	snprintf(f, sizeof(f), "%s/kprobe_events", dir);
	fp = fopen(f, "r");
	assert_non_null(fp);
	if (!fgets(buf, sizeof(buf), fp))
		buf[0] = '\0';
	assert_null(fgets(buf + strlen(buf), sizeof(buf) - strlen(buf), fp));
	fclose(fp);
	assert_string_equal(buf, "precious\n");
	unlink(f);
	rmdir(dir);
}

static void need_root_tracefs(void)
{
	if (geteuid() != 0 || !tdir[0])
		skip();
}

/* A dead owner, in the old and the new notation. */
#define DEAD_OWNER "pid 999999999\nowner 999999999 1 x\n"

static void test_journal_path_not_tracefs(void **unused)
{
	struct tracefs_state s;
	struct errmsg e = { "" };
	char fake[128], text[512];

	need_root_tracefs();
	make_fake(fake, sizeof(fake));
	snprintf(text, sizeof(text), DEAD_OWNER "tracefs %s\nprobe kprobe_events "
		 TRACEFS_KPROBE_GROUP "/evil\n", fake);
	write_journal(text, 0600, 0);
	tracefs_state_open(&s, &e);
	tracefs_state_close(&s);
	assert_fake_untouched(fake);
	cleanup_journals();
}

static void test_journal_file_outside_allow_list(void **unused)
{
	struct tracefs_state s;
	struct errmsg e = { "" };
	char fake[128], text[768];

	need_root_tracefs();
	make_fake(fake, sizeof(fake));
	/* the real tracefs, but a file reached by "..": not one we write */
	snprintf(text, sizeof(text), DEAD_OWNER "tracefs %s\nprobe ../../../../../..%s/kprobe_events "
		 TRACEFS_KPROBE_GROUP "/evil\nprobe trace_marker " TRACEFS_KPROBE_GROUP
		 "/evil\n", tdir, fake);
	write_journal(text, 0600, 0);
	tracefs_state_open(&s, &e);
	tracefs_state_close(&s);
	assert_fake_untouched(fake);
	assert_false(tracefs_state_file_allowed("trace_marker"));
	assert_false(tracefs_state_file_allowed("../kprobe_events"));
	assert_true(tracefs_state_file_allowed("kprobe_events"));
	assert_false(tracefs_state_event_allowed("other/x"));
	assert_false(tracefs_state_event_allowed(TRACEFS_KPROBE_GROUP "/a b"));
	cleanup_journals();
}

static void test_journal_unmount_refused(void **unused)
{
	struct tracefs_state s;
	struct errmsg e = { "" };
	char mnt[128], text[512];
	struct statfs sf;

	need_root_tracefs();
	snprintf(mnt, sizeof(mnt), "/tmp/mlb-mnt-%d", (int)getpid());
	mkdir(mnt, 0755);
	if (mount("mlbtest", mnt, "tmpfs", 0, "size=64k"))
		skip();
	snprintf(text, sizeof(text), DEAD_OWNER "tracefs %s\nmount %s\n", mnt, mnt);
	write_journal(text, 0600, 0);
	tracefs_state_open(&s, &e);
	tracefs_state_close(&s);
	assert_int_equal(statfs(mnt, &sf), 0);
	assert_true(sf.f_type == TMPFS_MAGIC);	/* still mounted */
	umount2(mnt, 0);
	rmdir(mnt);
	cleanup_journals();
}

static pid_t sleeper(void)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

/* A journal naming @pid as owner, in both notations; @start 0: its real start time. */
static void live_journal(char *buf, size_t len, pid_t pid, unsigned long long start,
			 const char *boot)
{
	char bid[64];

	boot_id_of(bid, sizeof(bid));
	snprintf(buf, len, "pid %d\nowner %d %llu %s\ntracefs %s\n", (int)pid, (int)pid,
		 start ? start : tracefs_state_start_time(pid), boot ? boot : bid, tdir);
}

static void test_pid1_wrong_start_is_stale(void **unused)
{
	struct tracefs_state s;
	struct errmsg e = { "" };
	char text[512];
	pid_t child;

	need_root_tracefs();
	/* pid 1 lives forever; its start time is not the one recorded */
	live_journal(text, sizeof(text), 1, tracefs_state_start_time(1) + 12345, NULL);
	write_journal(text, 0600, 0);
	assert_int_equal(tracefs_state_open(&s, &e), 0);
	assert_int_equal(s.foreign_owner, 0);
	assert_true(s.stale_cleaned);
	tracefs_state_close(&s);
	cleanup_journals();

	/* the right process of another boot is stale too */
	child = sleeper();
	live_journal(text, sizeof(text), child, 0, "00000000-0000-0000-0000-000000000000");
	write_journal(text, 0600, 0);
	assert_int_equal(tracefs_state_open(&s, &e), 0);
	assert_int_equal(s.foreign_owner, 0);
	tracefs_state_close(&s);
	cleanup_journals();

	/* control: the right process of this boot is a live owner */
	live_journal(text, sizeof(text), child, 0, NULL);
	write_journal(text, 0600, 0);
	assert_int_equal(tracefs_state_open(&s, &e), 0);
	assert_int_equal(s.foreign_owner, child);
	tracefs_state_close(&s);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	cleanup_journals();
}

/* A journal that would name a live owner, were it trusted. */
static pid_t trust_case(mode_t jmode, uid_t juid, mode_t dmode, uid_t duid)
{
	struct tracefs_state s;
	struct errmsg e = { "" };
	char text[512];
	pid_t child = sleeper(), owner;

	live_journal(text, sizeof(text), child, 0, NULL);
	write_journal(text, jmode, juid);
	assert_int_equal(chmod(statedir, dmode), 0);
	assert_int_equal(chown(statedir, duid, 0), 0);
	assert_int_equal(tracefs_state_open(&s, &e), 0);
	owner = s.foreign_owner;
	tracefs_state_close(&s);
	assert_int_equal(chown(statedir, 0, 0), 0);
	assert_int_equal(chmod(statedir, 0700), 0);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	cleanup_journals();
	return owner;
}

static void test_untrusted_journal_refused(void **unused)
{
	need_root_tracefs();
	assert_int_not_equal(trust_case(0600, 0, 0700, 0), 0);		/* control */
	assert_int_equal(trust_case(0644, 0, 0700, 0), 0);		/* journal not 0600 */
	assert_int_equal(trust_case(0600, NOBODY, 0700, 0), 0);	/* not root's */
	assert_int_equal(trust_case(0600, 0, 0777, 0), 0);		/* folder writable */
	assert_int_equal(trust_case(0600, 0, 0700, NOBODY), 0);	/* folder not root's */
}

static void test_uncleanable_journal_not_blocking(void **unused)
{
	struct perf_event_attr a = { .size = sizeof(a), .type = PERF_TYPE_TRACEPOINT,
				     .sample_period = 1, .disabled = 1 };
	struct tracefs_dynevent *dev;
	struct tracefs_state s;
	struct errmsg e = { "" };
	char text[512], idf[512];
	int fd, ret;
	FILE *f;

	need_probe_events();
	snprintf(idf, sizeof(idf), "%s/uprobe_events", tdir);
	if (access(idf, W_OK))
		skip();
	dev = tracefs_uprobe_alloc(TRACEFS_KPROBE_GROUP, "busy", "/bin/true", 0x1000, NULL);
	assert_non_null(dev);
	assert_int_equal(tracefs_dynevent_create(dev), 0);
	/* a perf user keeps the probe busy: it cannot be removed */
	snprintf(idf, sizeof(idf), "%s/events/" TRACEFS_KPROBE_GROUP "/busy/id", tdir);
	f = fopen(idf, "r");
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%llu", (unsigned long long *)&a.config), 1);
	fclose(f);
	fd = syscall(SYS_perf_event_open, &a, -1, 0, -1, 0);
	assert_true(fd >= 0);
	snprintf(text, sizeof(text), DEAD_OWNER "tracefs %s\nprobe uprobe_events "
		 TRACEFS_KPROBE_GROUP "/busy\n", tdir);
	write_journal(text, 0600, 0);

	ret = tracefs_state_open(&s, &e);
	tracefs_state_close(&s);
	/* this run fails, and says what to do, in one line */
	print_message("%s\n", e.buf);
	assert_int_not_equal(ret, 0);
	assert_null(strchr(e.buf, '\n'));
	assert_non_null(strstr(e.buf, "busy"));
	assert_non_null(strstr(e.buf, "echo"));
	/* later runs are not blocked */
	assert_int_equal(tracefs_state_open(&s, &e), 0);
	tracefs_state_close(&s);
	assert_int_equal(tracefs_state_open(&s, &e), 0);
	tracefs_state_close(&s);

	close(fd);
	tracefs_dynevent_destroy(dev, true);
	tracefs_dynevent_free(dev);
	cleanup_journals();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_killed_run_restored),
		cmocka_unit_test(test_live_owner_refused),
		cmocka_unit_test(test_killed_locks_collector),
		cmocka_unit_test(test_journal_path_not_tracefs),
		cmocka_unit_test(test_journal_file_outside_allow_list),
		cmocka_unit_test(test_journal_unmount_refused),
		cmocka_unit_test(test_pid1_wrong_start_is_stale),
		cmocka_unit_test(test_untrusted_journal_refused),
		cmocka_unit_test(test_uncleanable_journal_not_blocking),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
