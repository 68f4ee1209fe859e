// SPDX-License-Identifier: GPL-2.0
/* Boots per kernel: the runs/order/seed keys and the run order generator. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "vm/campaign.h"

#define JOB "[j]\nworkload = exit\n"

static void parse_ok(const char *campaign_lines, struct campaign *c)
{
	char text[1024];
	struct errmsg e = { "" };

	snprintf(text, sizeof(text), "[campaign]\nname = x\n%s\n" JOB, campaign_lines);
	if (campaign_parse_string(text, "c.ini", c, &e))
		fail_msg("'%s': %s", campaign_lines, e.buf);
}

/* A bad value is FILE:LINE of its line and -EINVAL or -ERANGE (exit 2). */
static void parse_bad(const char *campaign_lines, const char *needle)
{
	char text[1024];
	struct errmsg e = { "" };
	struct campaign c;
	int err;

	snprintf(text, sizeof(text), "[campaign]\nname = x\n%s\n" JOB, campaign_lines);
	err = campaign_parse_string(text, "c.ini", &c, &e);
	if (err != -EINVAL && err != -ERANGE)
		fail_msg("'%s': status %d (%s)", campaign_lines, err, e.buf);
	if (!strstr(e.buf, needle))
		fail_msg("message '%s' lacks '%s'", e.buf, needle);
}

static void test_keys(void **state)
{
	struct campaign c;

	parse_ok("kernels = a b", &c);
	assert_int_equal(c.runs, 3);
	assert_int_equal(c.order, ORDER_INTERLEAVE);
	assert_int_equal(campaign_nboots(&c), 6);
	campaign_release(&c);
	parse_ok("kernels = a b\nruns = 7\norder = random\nseed = 42", &c);
	assert_int_equal(c.runs, 7);
	assert_int_equal(c.order, ORDER_RANDOM);
	assert_int_equal(c.seed, 42);
	campaign_release(&c);
	parse_ok("kernels = a\nruns = 1\norder = interleave", &c);
	assert_int_equal(c.runs, 1);
	campaign_release(&c);
}

static void test_bad_keys(void **state)
{
	parse_bad("kernels = a\nruns = 0", "c.ini:4: runs");
	parse_bad("kernels = a\nruns = 101", "c.ini:4: runs");
	parse_bad("kernels = a\nruns = three", "c.ini:4: runs");
	parse_bad("kernels = a\nruns = -1", "c.ini:4: runs");
	parse_bad("kernels = a\n\norder = shuffled", "c.ini:5: order 'shuffled'");
	parse_bad("kernels = a\nseed = x", "c.ini:4: seed");
	parse_bad("kernels = a\nseed = 99999999999999999999", "c.ini:4: seed");
	/* the older keys name their line too */
	parse_bad("kernels = a\ncolour = red", "c.ini:4: [campaign]: unknown key 'colour'");
}

static void order_of(const char *lines, struct boot_slot *slots, size_t *n)
{
	struct campaign c;

	parse_ok(lines, &c);
	*n = campaign_nboots(&c);
	campaign_order(&c, slots);
	campaign_release(&c);
}

/* Every kernel runs times, its boots numbered 1..runs in the order they run. */
static void assert_balanced(const struct boot_slot *s, size_t n, unsigned int nk,
			    unsigned int runs)
{
	unsigned int seen[CAMPAIGN_MAX_KERNELS] = { 0 };

	assert_int_equal(n, nk * runs);
	for (size_t i = 0; i < n; i++) {
		assert_true(s[i].kernel < nk);
		assert_int_equal(s[i].boot, ++seen[s[i].kernel]);
	}
	for (unsigned int k = 0; k < nk; k++)
		assert_int_equal(seen[k], runs);
}

static void test_interleave(void **state)
{
	struct boot_slot s[16 * 100];
	size_t n;

	order_of("kernels = a b c\nruns = 2", s, &n);
	assert_balanced(s, n, 3, 2);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(s[i].kernel, i % 3);
		assert_int_equal(s[i].boot, i / 3 + 1);
	}
}

static void test_random(void **state)
{
	struct boot_slot a[16 * 100], b[16 * 100], c[16 * 100];
	size_t na, nb, nc;
	bool interleaved = true;

	order_of("kernels = a b\nruns = 10\norder = random\nseed = 7", a, &na);
	order_of("kernels = a b\nruns = 10\norder = random\nseed = 7", b, &nb);
	order_of("kernels = a b\nruns = 10\norder = random\nseed = 8", c, &nc);
	assert_balanced(a, na, 2, 10);
	assert_balanced(c, nc, 2, 10);
	/* the same seed, the same order; another seed, another one */
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na * sizeof(*a));
	assert_memory_not_equal(a, c, na * sizeof(*a));
	/* and not just the interleave */
	for (size_t i = 0; i < na; i++)
		if (a[i].kernel != i % 2)
			interleaved = false;
	assert_false(interleaved);
	/* all kernels, many boots */
	order_of("kernels = a b c d e f g h i j k l m n o p\nruns = 100\norder = random\nseed = 0",
		 a, &na);
	assert_balanced(a, na, 16, 100);
}

/* The shipped campaigns replicate: the boot is the unit of evidence (issue 11). */
static void test_shipped_campaigns(void **state)
{
	static const char *const files[] = { "default.ini", "plain128.ini" };

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[1024];
		struct errmsg e = { "" };
		struct campaign c;

		snprintf(path, sizeof(path), "%s/kernels/campaigns/%s", MLB_SOURCE_DIR, files[i]);
		if (campaign_load(path, &c, &e))
			fail_msg("%s: %s", path, e.buf);
		if (c.runs < 3)
			fail_msg("%s: runs = %u, want at least 3", path, c.runs);
		campaign_release(&c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_bad_keys),
		cmocka_unit_test(test_interleave),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_shipped_campaigns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
