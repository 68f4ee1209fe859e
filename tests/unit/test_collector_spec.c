// SPDX-License-Identifier: GPL-2.0
/*
 * `--collect` items against the collectors' option tables: locks:method=kprobe
 * and its short form, perf's scope, and one-line refusals of the rest.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "collectors/locks.h"
#include "engine/collector.h"
#include "engine/workload.h"

static void good(const char *spec, const char *name, const char *opt, const char *val)
{
	const struct collector_ops *ops;
	struct errmsg e = { "" };
	struct ops_args a;
	size_t i;

	if (collector_spec_parse(spec, &ops, &a, &e))
		fail_msg("%s: %s", spec, e.buf);
	assert_string_equal(ops->name, name);
	for (i = 0; ops->options && ops->options[i].name; i++)
		if (!strcmp(ops->options[i].name, opt)) {
			assert_string_equal(ops_args_value(ops->options, &a, i), val);
			return;
		}
	fail_msg("%s: no option %s", spec, opt);
}

static void bad(const char *spec, const char *msg)
{
	const struct collector_ops *ops;
	struct errmsg e = { "" };
	struct ops_args a;

	assert_int_equal(collector_spec_parse(spec, &ops, &a, &e), -EINVAL);
	if (strcmp(e.buf, msg))
		fail_msg("%s: '%s', want '%s'", spec, e.buf, msg);
}

static void test_options(void **unused)
{
	const struct collector_ops *ops;
	struct errmsg e = { "" };
	struct ops_args a;

	good("locks", "locks", "method", "auto");
	good("locks:method=kprobe", "locks", "method", "kprobe");
	good("locks:kprobe", "locks", "method", "kprobe");
	good("locks:tracepoint", "locks", "method", "tracepoint");
	good("locks:method=profile", "locks", "method", "profile");
	good("perf", "perf", "scope", "system");
	good("perf:inherit", "perf", "scope", "inherit");
	good("perf:scope=system", "perf", "scope", "system");
	/* the value the collector gets is the method it runs */
	assert_int_equal(collector_spec_parse("locks:method=kprobe", &ops, &a, &e), 0);
	assert_string_equal(locks_method_name(a.choice[0]), "kprobe");
	assert_int_equal(collector_spec_parse("locks:profile", &ops, &a, &e), 0);
	assert_string_equal(locks_method_name(a.choice[0]), "profile");
}

static void test_refusals(void **unused)
{
	bad("nope", "unknown collector 'nope'");
	bad("locks:method=nope",
	    "collector 'locks': 'method=nope' is not a value of method "
	    "(method=auto|tracepoint|kprobe|profile)");
	bad("locks:bogus",
	    "collector 'locks' has no option 'bogus' (method=auto|tracepoint|kprobe|profile)");
	bad("locks:kind=kprobe",
	    "collector 'locks' has no option 'kind=kprobe' (method=auto|tracepoint|kprobe|profile)");
	bad("vmstat:x", "collector 'vmstat' has no options ('x')");
	bad("perf:scope=", "collector 'perf': 'scope=' is not a value of scope (scope=system|inherit)");
	bad("perf::", "collector 'perf': empty option");
}

static void test_workload_spec(void **unused)
{
	struct errmsg e = { "" };

	assert_int_equal(workload_spec_check("munmap", &e), 0);
	assert_int_equal(workload_spec_check("nope", &e), -EINVAL);
	/* the list is the registry's (a new workload is appended) */
	assert_memory_equal(e.buf, "unknown workload 'nope' (exit, munmap, munlock",
			    strlen("unknown workload 'nope' (exit, munmap, munlock"));
	assert_int_equal(workload_spec_check("exit:fast", &e), -EINVAL);
	assert_string_equal(e.buf, "workload 'exit' has no options ('fast')");
	assert_int_equal(workload_spec_check("exit:", &e), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_workload_spec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
