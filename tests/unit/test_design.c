// SPDX-License-Identifier: GPL-2.0
/* Design detection on kallsyms fragments of real kernel layouts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sysinfo/kallsyms.h"
#include "sysinfo/sysinfo.h"

static void detect_fixture(const char *name, struct design_evidence *ev)
{
	const char *dir = getenv("MLB_FIXTURES");
	char path[4096];
	FILE *f;

	if (!dir)
		dir = MLB_SOURCE_DIR "/tests/fixtures";
	snprintf(path, sizeof(path), "%s/kallsyms/%s", dir, name);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(design_detect_stream(f, ev), 0);
	fclose(f);
}

/* @want: NULL-terminated expected evidence, in order. */
static void expect(const char *fixture, enum mlock_design d, const char *const *want)
{
	struct design_evidence ev;
	size_t i;

	detect_fixture(fixture, &ev);
	assert_string_equal(design_name(ev.design), design_name(d));
	for (i = 0; want[i]; i++) {
		assert_true(i < ev.n);
		assert_string_equal(ev.sym[i], want[i]);
	}
	assert_int_equal(ev.n, i);
}

static void test_5_10(void **state)
{
	static const char *const w[] = { "try_to_munlock", "munlock_vma_pages_range",
					 "clear_page_mlock", NULL };
	expect("5.10.kallsyms", DESIGN_RMAP_WALK, w);
}

static void test_5_15(void **state)
{
	static const char *const w[] = { "page_mlock", "page_mlock_one",
					 "munlock_vma_pages_range", "clear_page_mlock", NULL };
	expect("5.15.kallsyms", DESIGN_RMAP_WALK, w);
}

static void test_6_1(void **state)
{
	static const char *const w[] = { "mlock_folio", "munlock_page", "mlock_new_page",
					 "mlock_page_drain_local", "need_mlock_page_drain",
					 NULL };
	expect("6.1.kallsyms", DESIGN_MLOCK_COUNT, w);
}

static void test_6_12(void **state)
{
	static const char *const w[] = { "mlock_folio", "munlock_folio", "mlock_new_folio",
					 "mlock_drain_local", "need_mlock_drain", NULL };
	expect("6.12.kallsyms", DESIGN_MLOCK_COUNT, w);
}

/* try_to_munlock etc. inside a module must not make the kernel look rmap-walk. */
static void test_module_ignored(void **state)
{
	static const char *const w[] = { "mlock_folio", "munlock_folio",
					 "mlock_drain_local", NULL };
	expect("module.kallsyms", DESIGN_MLOCK_COUNT, w);
}

static void test_both_unknown(void **state)
{
	static const char *const w[] = { "try_to_munlock", "mlock_folio", NULL };
	expect("both.kallsyms", DESIGN_UNKNOWN, w);
}

static void test_decoy(void **state)
{
	static const char *const w[] = { NULL };
	expect("decoy.kallsyms", DESIGN_UNKNOWN, w);
}

static void test_empty(void **state)
{
	static const char *const w[] = { NULL };
	expect("empty.kallsyms", DESIGN_UNKNOWN, w);
}

static void test_match(void **state)
{
	assert_true(ksym_match("try_to_munlock", "try_to_munlock"));
	assert_true(ksym_match("try_to_munlock.isra.0", "try_to_munlock"));
	assert_true(ksym_match("munlock_folio.constprop.0", "munlock_folio"));
	assert_false(ksym_match("try_to_munlock_foo", "try_to_munlock"));
	assert_false(ksym_match("try_to_munloc", "try_to_munlock"));
	assert_false(ksym_match("_try_to_munlock", "try_to_munlock"));
}

static void test_parse_line(void **state)
{
	char a[] = "ffffffffc0201000 t ftrace_trampoline\t[__builtin__ftrace]\n";
	char b[] = "0000000000000000 T mlock_folio\n";
	char c[] = "garbage\n";
	char *name, *mod;

	assert_int_equal(ksym_parse_line(a, &name, &mod), 0);
	assert_string_equal(name, "ftrace_trampoline");
	assert_string_equal(mod, "__builtin__ftrace");
	assert_int_equal(ksym_parse_line(b, &name, &mod), 0);
	assert_string_equal(name, "mlock_folio");
	assert_null(mod);
	assert_int_not_equal(ksym_parse_line(c, &name, &mod), 0);
}

static void test_names(void **state)
{
	enum mlock_design d;

	assert_string_equal(design_name(DESIGN_RMAP_WALK), "rmap-walk");
	assert_string_equal(design_name(DESIGN_MLOCK_COUNT), "mlock_count");
	assert_string_equal(design_name(DESIGN_UNKNOWN), "unknown");
	assert_int_equal(design_parse("rmap-walk", &d), 0);
	assert_int_equal(d, DESIGN_RMAP_WALK);
	assert_int_equal(design_parse("mlock_count", &d), 0);
	assert_int_equal(d, DESIGN_MLOCK_COUNT);
	assert_int_not_equal(design_parse("mlock-count", &d), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_5_10),
		cmocka_unit_test(test_5_15),
		cmocka_unit_test(test_6_1),
		cmocka_unit_test(test_6_12),
		cmocka_unit_test(test_module_ignored),
		cmocka_unit_test(test_both_unknown),
		cmocka_unit_test(test_decoy),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_parse_line),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
