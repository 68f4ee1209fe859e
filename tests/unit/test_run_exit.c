// SPDX-License-Identifier: GPL-2.0
/* A collector that cannot open is the machine's limit: exit 3, whatever the errno. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cli/run_exit.h"
#include "common/exitcodes.h"

static void test_collector_open_errnos(void **state)
{
	static const int harness[] = { EACCES, EPERM, ENOENT, EOPNOTSUPP, ENODEV, ENOSYS,
				       EBUSY, ENOMEM, EMFILE, EINVAL, EIO };
	size_t i;

	for (i = 0; i < sizeof(harness) / sizeof(harness[0]); i++)
		if (collector_open_exit_status(-harness[i]) != MLB_EXIT_HARNESS)
			fail_msg("errno %d: exit %d, want %d", harness[i],
				 collector_open_exit_status(-harness[i]), MLB_EXIT_HARNESS);
	/* never 1: nothing was measured, so nothing failed to measure */
	assert_int_not_equal(collector_open_exit_status(-EACCES), MLB_EXIT_FAIL);
}

static void test_collector_open_others(void **state)
{
	assert_int_equal(collector_open_exit_status(-E2BIG), MLB_EXIT_USAGE);	/* too many */
	assert_int_equal(collector_open_exit_status(-EINTR), MLB_EXIT_INTERRUPTED);
	assert_int_equal(collector_open_exit_status(0), MLB_EXIT_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_collector_open_errnos),
		cmocka_unit_test(test_collector_open_others),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
