// SPDX-License-Identifier: GPL-2.0
/*
 * The collectors on the running kernel, with a small exit workload
 * (MLB_DRIVE_PROCS lockers of MLB_DRIVE_MB MiB, MLB_DRIVE_REPS reps;
 * MLB_DRIVE_COLLECT picks collectors, MLB_DRIVE_PRINT=1 prints the rows).
 * Needs root; skipped otherwise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "collector_drive.h"
#include "collectors/builtin.h"

static long env_long(const char *name, long def)
{
	const char *v = getenv(name);

	return v && *v ? atol(v) : def;
}

static bool can_run(void)
{
	return geteuid() == 0;
}

static void test_drive(void **unused)
{
	const char *specs[8];
	const char *spec = getenv("MLB_DRIVE_COLLECT");
	int procs = env_long("MLB_DRIVE_PROCS", 8), reps = env_long("MLB_DRIVE_REPS", 2);
	size_t size = (size_t)env_long("MLB_DRIVE_MB", 16) << 20;
	char buf[256], *tok, *save = NULL;
	const struct metric_row *m;
	struct drive d;
	json_t *desc;
	int n = 0, i, attempt;

	if (!can_run())
		skip();
	snprintf(buf, sizeof(buf), "%s", spec && *spec ? spec : "vmstat,perf,locks");
	for (tok = strtok_r(buf, ",", &save); tok && n < 8; tok = strtok_r(NULL, ",", &save)) {
		specs[n++] = tok;
	}
	assert_int_equal(drive_open(&d, specs, n), 0);
	for (attempt = 0; attempt < 2; attempt++) {
		bool all_ok = true;
		size_t c;

		for (i = 0; i < reps; i++)
			assert_int_equal(drive_rep(&d, attempt, i, procs, size), 0);
		assert_int_equal(drive_config_end(&d, attempt, procs, size), 0);
		for (c = 0; c < d.sink.nchecks; c++)
			all_ok &= d.sink.checks[c].ok;
		if (all_ok)
			break;
		/* the machine is shared: another program's mlocks can land in our windows */
		fprintf(stderr, "checks failed, trying once more:\n");
		drive_print(&d, stderr);
		d.sink.nchecks = 0;
		d.sink.nrows = 0;
	}
	if (env_long("MLB_DRIVE_PRINT", 0))
		drive_print(&d, stdout);

	for (i = 0; i < d.n; i++) {
		desc = json_object();
		d.ops[i]->describe(d.state[i], desc);
		assert_non_null(json_object_get(desc, "method"));
		if (env_long("MLB_DRIVE_PRINT", 0)) {
			char *s = json_dumps(desc, JSON_COMPACT);

			printf("describe %s: %s\n", d.ops[i]->name, s);
			free(s);
		}
		if (!strcmp(d.ops[i]->name, "locks") && access("/proc/kallsyms", R_OK) == 0 &&
		    !spec) {
			/* 5.19+: the tracepoint method must have been chosen */
			struct stat st;

			if (!stat("/sys/kernel/tracing/events/lock/contention_begin", &st) ||
			    !stat("/sys/kernel/debug/tracing/events/lock/contention_begin", &st))
				assert_string_equal(json_string_value(json_object_get(desc, "method")),
						    "tracepoint");
		}
		json_decref(desc);
	}

	if (!spec) {
		size_t c;

		/* vmstat: the fingerprint check was made and passed on this kernel */
		m = drive_metric(&d, "vmstat", "setup.delta_unevictable_pgs_mlocked");
		assert_non_null(m);
		assert_true(m->available);
		assert_true(d.sink.nchecks >= 2);
		for (c = 0; c < d.sink.nchecks; c++) {
			if (!d.sink.checks[c].ok)
				fprintf(stderr, "check %s: %s\n", d.sink.checks[c].name,
					d.sink.checks[c].detail);
			assert_true(d.sink.checks[c].ok);
		}
		/* perf (every CPU): switches counted, task-clock n/a in that scope */
		m = drive_metric(&d, "perf", "context-switches");
		assert_non_null(m);
		assert_true(m->available);
		assert_true(m->value > 0);
		m = drive_metric(&d, "perf", "task-clock");
		assert_true(m && !m->available);
		/* locks: a row per class and a profile with samples */
		assert_non_null(drive_metric(&d, "locks", "lru_lock.wait_ns"));
		assert_non_null(drive_metric(&d, "locks", "i_mmap_rwsem.count"));
		assert_non_null(drive_metric(&d, "locks", "other.max_wait_ns"));
		m = drive_metric(&d, "locks", "profile.samples");
		assert_non_null(m);
		assert_true(m->value > 0);
	}
	drive_close(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drive),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
