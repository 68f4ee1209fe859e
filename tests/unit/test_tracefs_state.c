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
#include <sys/mount.h>
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
	void *st;

	return locks_collector.open(&st, &e);
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

	assert_int_equal(locks_collector.open(&st, &e), 0);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_killed_run_restored),
		cmocka_unit_test(test_live_owner_refused),
		cmocka_unit_test(test_killed_locks_collector),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
