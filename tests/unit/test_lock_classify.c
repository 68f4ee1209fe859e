// SPDX-License-Identifier: GPL-2.0
/*
 * Lock classification against callchain fixtures of both designs
 * (tests/fixtures/callchains/NAME.chains: "# expect: CLASS" then the frames,
 * innermost first, blank line between chains), table overrides, and the
 * kallsyms address map.
 */
#include <dirent.h>
#include <errno.h>
#include <unistd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "collectors/kallsyms_map.h"
#include "collectors/lock_classify.h"

static void builtin(struct lock_classifier *c)
{
	struct errmsg e = { "" };

	lock_classifier_init(c);
	assert_int_equal(lock_classifier_add_text(c, lock_classes_builtin, "built-in", &e), 0);
}

static const char *classify(struct lock_classifier *c, const char *const *syms, size_t n)
{
	return c->names[lock_classify(c, syms, n)];
}

/* Check every chain of one fixture file; returns how many. */
static int check_file(struct lock_classifier *c, const char *path)
{
	char line[256], expect[64] = "", *syms[128];
	int n = 0, checked = 0, lineno = 0, start = 0;
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	for (;;) {
		bool eof = !fgets(line, sizeof(line), f);

		lineno++;
		if (!eof)
			line[strcspn(line, "\n")] = '\0';
		if (eof || !line[0]) {
			if (n) {
				const char *got = classify(c, (const char *const *)syms, n);

				if (strcmp(got, expect))
					fail_msg("%s:%d: chain starting %s: expected %s, got %s",
						 path, start, syms[0], expect, got);
				checked++;
				while (n)
					free(syms[--n]);
				expect[0] = '\0';
			}
			if (eof)
				break;
			continue;
		}
		if (!strncmp(line, "# expect: ", 10)) {
			snprintf(expect, sizeof(expect), "%s", line + 10);
			continue;
		}
		if (line[0] == '#')
			continue;
		if (!expect[0])
			fail_msg("%s:%d: frame without a preceding '# expect:'", path, lineno);
		if (!n)
			start = lineno;
		assert_true(n < 128);
		syms[n++] = strdup(line);
	}
	fclose(f);
	return checked;
}

static void test_fixtures(void **unused)
{
	const char *fx = getenv("MLB_FIXTURES");
	char dir[512], path[1024];
	struct lock_classifier c;
	int files = 0, chains = 0;
	struct dirent *de;
	DIR *d;

	assert_non_null(fx);
	snprintf(dir, sizeof(dir), "%s/callchains", fx);
	d = opendir(dir);
	assert_non_null(d);
	builtin(&c);
	while ((de = readdir(d))) {
		if (!strstr(de->d_name, ".chains"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		chains += check_file(&c, path);
		files++;
	}
	closedir(d);
	lock_classifier_release(&c);
	/* both designs and the recorded chains, with enough chains to mean something */
	assert_true(files >= 3);
	assert_true(chains >= 30);
}

static void test_kinds(void **unused)
{
	const char *rwlock[] = { "queued_write_lock_slowpath", "do_exit", "do_group_exit" };
	const char *rwsem[] = { "rwsem_down_read_slowpath", "down_read", "do_exit" };
	const char *spin[] = { "native_queued_spin_lock_slowpath", "_raw_spin_lock", "do_exit" };
	struct lock_classifier c;

	builtin(&c);
	assert_string_equal(classify(&c, rwlock, 3), "tasklist");
	assert_string_equal(classify(&c, rwsem, 3), "mmap_lock");
	/* a spinlock in do_exit is neither */
	assert_string_equal(classify(&c, spin, 3), "other");
	assert_int_equal(lock_chain_kind(&c, rwlock, 3), LOCK_KIND_RWLOCK);
	assert_int_equal(lock_chain_kind(&c, spin, 3), LOCK_KIND_SPIN);
	lock_classifier_release(&c);
}

static void test_profile(void **unused)
{
	const char *walking[] = { "page_vma_mapped_walk", "page_mlock_one", "rmap_walk_file",
				  "try_to_munlock", "munlock_vma_pages_range", "exit_mmap" };
	const char *waiting[] = { "native_queued_spin_lock_slowpath", "_raw_spin_lock_irq",
				  "folio_lruvec_lock_irq", "mlock_folio_batch" };
	const char *irq[] = { "_raw_spin_unlock", "handle_softirqs", "__irq_exit_rcu",
			      "rmap_walk_file", "try_to_munlock" };
	struct lock_classifier c;
	int b;

	builtin(&c);
	assert_false(lock_chain_waits(&c, walking, 6));
	b = lock_profile_bucket(&c, walking, 6);
	assert_true(b >= 0);
	assert_string_equal(c.names[b], "rmap_walk");
	assert_true(c.is_profile[b]);
	assert_true(lock_chain_waits(&c, waiting, 4));
	assert_string_equal(classify(&c, waiting, 4), "lru_lock");
	/* softirq work over the walk is not the walk */
	assert_int_equal(lock_profile_bucket(&c, irq, 5), -1);
	lock_classifier_release(&c);
}

static void test_override(void **unused)
{
	const char *pipe_chain[] = { "__mutex_lock.constprop.0", "anon_pipe_read", "vfs_read" };
	const char *lru[] = { "native_queued_spin_lock_slowpath", "_raw_spin_lock_irq",
			      "folio_lruvec_lock_irq", "mlock_folio_batch" };
	char path[] = "/tmp/mlb-classes-XXXXXX";
	struct errmsg e = { "" };
	struct lock_classifier c;
	FILE *f;
	int fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fprintf(f, "# a user's additions\nanon_pipe_read\tpipe\tmutex\n"
		   "folio_lruvec_lock\tlruvec_lock\n");
	fclose(f);

	assert_int_equal(setenv("MLOCKBENCH_LOCK_CLASSES", path, 1), 0);
	assert_int_equal(lock_classifier_load_default(&c, &e), 0);
	assert_non_null(strstr(c.sources, path));
	assert_string_equal(classify(&c, pipe_chain, 3), "pipe");
	assert_string_equal(classify(&c, lru, 4), "lruvec_lock");
	assert_true(lock_class_id(&c, "i_mmap_rwsem") > 0);	/* built-ins kept */
	lock_classifier_release(&c);

	unlink(path);
	assert_int_not_equal(lock_classifier_load_default(&c, &e), 0);
	assert_non_null(strstr(e.buf, path));
	unsetenv("MLOCKBENCH_LOCK_CLASSES");
}

static void test_bad_lines(void **unused)
{
	struct errmsg e = { "" };
	struct lock_classifier c;

	lock_classifier_init(&c);
	assert_int_equal(lock_classifier_add_text(&c, "ok\tfine\nno tab here\n", "t", &e),
			 -EINVAL);
	assert_non_null(strstr(e.buf, "t:2:"));
	assert_int_equal(lock_classifier_add_text(&c, "x\ty\tnosuchkind\n", "u", &e), -EINVAL);
	assert_non_null(strstr(e.buf, "lock kind"));
	lock_classifier_release(&c);
}

static void test_kallsyms(void **unused)
{
	const char *text =
		"ffffffff81000000 T _stext\n"
		"ffffffff81001000 t rmap_walk_file.isra.0\n"
		"ffffffff81001400 D some_data\n"
		"ffffffff81002000 T try_to_munlock\n"
		"ffffffff81003000 t helper\t[somemod]\n";
	const char *hidden = "0000000000000000 T a\n0000000000000000 T b\n";
	struct errmsg e = { "" };
	struct kallsyms_map m;
	FILE *f;

	f = fmemopen((void *)text, strlen(text), "r");
	assert_int_equal(kallsyms_map_load_stream(&m, f, &e), 0);
	fclose(f);
	assert_int_equal(m.nsyms, 4);	/* data symbols skipped */
	assert_null(kallsyms_map_lookup(&m, 0xffffffff80ffffffULL));
	assert_string_equal(kallsyms_map_lookup(&m, 0xffffffff81001500ULL),
			    "rmap_walk_file.isra.0");
	assert_string_equal(kallsyms_map_lookup(&m, 0xffffffff81002000ULL), "try_to_munlock");
	assert_string_equal(kallsyms_map_lookup(&m, 0xffffffff81003010ULL), "helper");
	assert_string_equal(kallsyms_map_find(&m, "rmap_walk_file"), "rmap_walk_file.isra.0");
	assert_null(kallsyms_map_find(&m, "rmap_walk"));
	kallsyms_map_release(&m);

	f = fmemopen((void *)hidden, strlen(hidden), "r");
	assert_int_equal(kallsyms_map_load_stream(&m, f, &e), -EPERM);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_profile),
		cmocka_unit_test(test_override),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_kallsyms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
