// SPDX-License-Identifier: GPL-2.0
/* Option value parsers: sizes, numbers, sweeps with '...', format_size. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/parse.h"

#define KIB (1ull << 10)
#define MIB (1ull << 20)
#define GIB (1ull << 30)
#define TIB (1ull << 40)

static void size_ok(const char *s, uint64_t want)
{
	struct errmsg e = { "" };
	uint64_t v = 12345;

	assert_int_equal(parse_size(s, &v, &e), 0);
	assert_true(v == want);
}

static void size_bad(const char *s, int err)
{
	struct errmsg e = { "" };
	uint64_t v = 12345;

	assert_int_equal(parse_size(s, &v, &e), err);
	assert_true(v == 12345);	/* untouched on error */
	assert_true(e.buf[0] != 0);
	assert_null(strchr(e.buf, '\n'));
}

static void test_size_units(void **state)
{
	size_ok("4096", 4096);
	size_ok("0", 0);
	size_ok("64K", 64 * KIB);
	size_ok("64k", 64 * KIB);
	size_ok("64M", 64 * MIB);
	size_ok("2G", 2 * GIB);
	size_ok("1T", TIB);
	size_ok("1P", 1ull << 50);
	size_ok("15E", 15ull << 60);
	size_ok("64MiB", 64 * MIB);
	size_ok("64mb", 64 * MIB);
	size_ok("64KB", 64 * KIB);
	size_ok("64Mi", 64 * MIB);
	size_ok("18446744073709551615", UINT64_MAX);
}

static void test_size_errors(void **state)
{
	size_bad("", -EINVAL);
	size_bad("-1", -EINVAL);
	size_bad("-64M", -EINVAL);
	size_bad("+64M", -EINVAL);
	size_bad(" 64M", -EINVAL);
	size_bad("M", -EINVAL);
	size_bad("64Q", -EINVAL);
	size_bad("64 M", -EINVAL);
	size_bad("1.5G", -EINVAL);
	size_bad("64MM", -EINVAL);
	size_bad("64MiBs", -EINVAL);
	size_bad("64B", -EINVAL);
	size_bad("99999999999999999999", -ERANGE);
	size_bad("18446744073709551616", -ERANGE);
	size_bad("16E", -ERANGE);
	size_bad("16777216T", -ERANGE);	/* 2^24 T = 2^64 */
	size_bad(NULL, -EINVAL);
}

static void test_size_message(void **state)
{
	struct errmsg e = { "" };
	uint64_t v;

	assert_int_equal(parse_size("64Q", &v, &e), -EINVAL);
	assert_non_null(strstr(e.buf, "64Q"));
	assert_non_null(strstr(e.buf, "unit"));
}

static void test_u64(void **state)
{
	struct errmsg e = { "" };
	uint64_t v = 7;

	assert_int_equal(parse_u64("0", 0, 10, &v, &e), 0);
	assert_true(v == 0);
	assert_int_equal(parse_u64("10", 0, 10, &v, &e), 0);
	assert_true(v == 10);
	assert_int_equal(parse_u64("18446744073709551615", 0, UINT64_MAX, &v, &e), 0);
	assert_true(v == UINT64_MAX);
	v = 7;
	assert_int_equal(parse_u64("11", 0, 10, &v, &e), -ERANGE);
	assert_non_null(strstr(e.buf, "0..10"));
	assert_int_equal(parse_u64("0", 1, 10, &v, &e), -ERANGE);
	assert_int_equal(parse_u64("99999999999999999999", 0, UINT64_MAX, &v, &e), -ERANGE);
	assert_int_equal(parse_u64("-1", 0, 10, &v, &e), -EINVAL);
	assert_int_equal(parse_u64("", 0, 10, &v, &e), -EINVAL);
	assert_int_equal(parse_u64("4x", 0, 10, &v, &e), -EINVAL);
	assert_int_equal(parse_u64("4K", 0, 10000, &v, &e), -EINVAL);
	assert_int_equal(parse_u64(" 4", 0, 10, &v, &e), -EINVAL);
	assert_int_equal(parse_u64(NULL, 0, 10, &v, &e), -EINVAL);
	assert_true(v == 7);
}

/* parse @s without bounds and compare with @want[0..n) */
static void list_ok(const char *s, bool sizes, const uint64_t *want, size_t n)
{
	struct errmsg e = { "" };
	struct u64_list l;
	size_t i;

	if (parse_u64_list(s, sizes, 0, UINT64_MAX, &l, &e))
		fail_msg("'%s': %s", s, e.buf);
	assert_int_equal(l.n, n);
	for (i = 0; i < n; i++)
		if (l.v[i] != want[i])
			fail_msg("'%s'[%zu] = %llu, want %llu", s, i,
				 (unsigned long long)l.v[i], (unsigned long long)want[i]);
}

#define LIST_OK(s, sizes, ...) do {						\
		static const uint64_t w[] = { __VA_ARGS__ };			\
		list_ok(s, sizes, w, sizeof(w) / sizeof(w[0]));			\
	} while (0)

static void list_bad(const char *s, uint64_t min, uint64_t max, int err, const char *needle)
{
	struct errmsg e = { "" };
	struct u64_list l;
	int ret = parse_u64_list(s, false, min, max, &l, &e);

	if (ret != err)
		fail_msg("'%s': got %d (%s), want %d", s, ret, e.buf, err);
	if (needle && !strstr(e.buf, needle))
		fail_msg("'%s': message '%s' lacks '%s'", s, e.buf, needle);
}

static void test_list_plain(void **state)
{
	LIST_OK("4", false, 4);
	LIST_OK("1,2,4", false, 1, 2, 4);
	LIST_OK("4,2,1", false, 4, 2, 1);	/* no ellipsis: any order */
	LIST_OK("1, 2, 4", false, 1, 2, 4);
	LIST_OK("4K,64M", true, 4 * KIB, 64 * MIB);
}

static void test_list_geometric(void **state)
{
	LIST_OK("1,2,4,...,256", false, 1, 2, 4, 8, 16, 32, 64, 128, 256);
	/* two values with a whole ratio >= 2 read as geometric */
	LIST_OK("8,16,...,64", false, 8, 16, 32, 64);
	LIST_OK("1,2,...,8", false, 1, 2, 4, 8);
	LIST_OK("1,3,...,81", false, 1, 3, 9, 27, 81);
	LIST_OK("4M,8M,...,64M", true, 4 * MIB, 8 * MIB, 16 * MIB, 32 * MIB, 64 * MIB);
	/* the value after '...' ends the list even off the progression */
	LIST_OK("2,4,...,10", false, 2, 4, 8, 10);
	/* a later ellipsis follows the last two values */
	LIST_OK("1,2,...,8,...,64", false, 1, 2, 4, 8, 16, 32, 64);
}

static void test_list_arithmetic(void **state)
{
	LIST_OK("8,16,24,...,48", false, 8, 16, 24, 32, 40, 48);
	/* three values in arithmetic progression win over a whole ratio */
	LIST_OK("0,1,2,...,5", false, 0, 1, 2, 3, 4, 5);
	LIST_OK("2,3,...,6", false, 2, 3, 4, 5, 6);
	LIST_OK("0,10,...,40", false, 0, 10, 20, 30, 40);	/* no ratio from 0 */
	LIST_OK("10,15,...,32", false, 10, 15, 20, 25, 30, 32);
}

static void test_list_errors(void **state)
{
	list_bad("", 0, 100, -EINVAL, NULL);
	list_bad("...,4", 0, 100, -EINVAL, "two values before");
	list_bad("2,...,4", 0, 100, -EINVAL, "two values before");
	list_bad("1,...", 0, 100, -EINVAL, "last value after");
	list_bad("1,2,...", 0, 100, -EINVAL, "last value after");
	list_bad("4,2,...,8", 0, 100, -EINVAL, "increasing");
	list_bad("2,2,...,8", 0, 100, -EINVAL, "increasing");
	list_bad("2,4,...,4", 0, 100, -EINVAL, "increasing");
	list_bad("2,4,...,3", 0, 100, -EINVAL, "increasing");
	list_bad("1,2,...,...,8", 0, 100, -EINVAL, "two '...'");
	list_bad("1,,2", 0, 100, -EINVAL, "empty element");
	list_bad("1,2,", 0, 100, -EINVAL, "empty element");
	list_bad(",1", 0, 100, -EINVAL, "empty element");
	list_bad("1, ,2", 0, 100, -EINVAL, "empty element");
	list_bad("1,x", 0, 100, -EINVAL, "'x'");
	list_bad("1,2K", 0, 10000, -EINVAL, NULL);	/* counts take no units */
	list_bad("0,1", 1, 100, -ERANGE, "0 is outside 1..100");
	list_bad("1,101", 1, 100, -ERANGE, "101 is outside 1..100");
	/* the progression is generated inside the bounds, the ends are checked */
	list_bad("1,2,...,128", 1, 100, -ERANGE, "128");
}

static void test_list_too_many(void **state)
{
	char buf[1024];
	size_t off = 0;
	struct u64_list l;
	struct errmsg e = { "" };
	int i;

	list_bad("1,2,3,...,65", 1, 4096, -ERANGE, "more than 64");
	assert_int_equal(parse_u64_list("1,2,3,...,64", false, 1, 4096, &l, &e), 0);
	assert_int_equal(l.n, 64);
	assert_true(l.v[63] == 64);
	for (i = 1; i <= 65; i++)
		off += snprintf(buf + off, sizeof(buf) - off, "%s%d", i > 1 ? "," : "", i);
	list_bad(buf, 1, 4096, -ERANGE, "more than 64");
	/* the 64-value limit holds for explicit lists too, 64 is fine */
	buf[strlen(buf) - 3] = 0;
	assert_int_equal(parse_u64_list(buf, false, 1, 4096, &l, &e), 0);
	assert_int_equal(l.n, 64);
}

/* 4K, 8K, ..., 8E (2^63) and then 12E: the doubling after 2^63 does not fit */
static void geometric_to_top(void)
{
	uint64_t want[53];
	int i;

	for (i = 0; i < 52; i++)
		want[i] = 4 * KIB << i;
	want[52] = 12ull << 60;
	list_ok("4K,8K,...,12E", true, want, 53);
}

/* next x ratio and next + step past 2^64 end the progression, never wrap */
static void test_list_overflow(void **state)
{
	LIST_OK("4096,274877911040,...,1T", true, 4096, 274877911040ull, TIB);
	LIST_OK("4K,256G,...,1T", true, 4 * KIB, 256 * GIB, TIB);
	LIST_OK("0,9223372036854775808,...,18446744073709551615", false, 0,
		9223372036854775808ull, UINT64_MAX);
	LIST_OK("1,18446744073709551614,...,18446744073709551615", false, 1,
		UINT64_MAX - 1, UINT64_MAX);
	LIST_OK("18446744073709551610,18446744073709551613,...,18446744073709551615", false,
		UINT64_MAX - 5, UINT64_MAX - 2, UINT64_MAX);
	geometric_to_top();
}

static void test_list_size_range(void **state)
{
	struct errmsg e = { "" };
	struct u64_list l;

	assert_int_equal(parse_u64_list("1P", true, 4096, TIB, &l, &e), -ERANGE);
	assert_non_null(strstr(e.buf, "1P is outside 4K..1T"));
	assert_int_equal(parse_u64_list("0", true, 4096, TIB, &l, &e), -ERANGE);
	assert_int_equal(parse_u64_list("64M,nope", true, 4096, TIB, &l, &e), -EINVAL);
	assert_non_null(strstr(e.buf, "nope"));
}

static void fmt(uint64_t v, const char *want)
{
	char buf[32];
	uint64_t back;

	format_size(v, buf, sizeof(buf));
	assert_string_equal(buf, want);
	/* what it prints reads back as the same number */
	assert_int_equal(parse_size(buf, &back, NULL), 0);
	assert_true(back == v);
}

static void test_format_size(void **state)
{
	char small[4];

	fmt(0, "0");
	fmt(1, "1");
	fmt(1023, "1023");
	fmt(4096, "4K");
	fmt(4097, "4097");
	fmt(64 * MIB, "64M");
	fmt(1536 * MIB, "1536M");
	fmt(2 * GIB, "2G");
	fmt(TIB, "1T");
	fmt(1ull << 50, "1P");
	fmt(3ull << 60, "3E");
	fmt(UINT64_MAX, "18446744073709551615");
	format_size(64 * MIB, small, sizeof(small));	/* truncated, terminated */
	assert_string_equal(small, "64M");
	format_size(123456, small, sizeof(small));
	assert_string_equal(small, "123");
}

static void test_fraction(void **state)
{
	double v;

	assert_int_equal(parse_fraction("5%", &v, NULL), 0);
	assert_true(v > 0.0499 && v < 0.0501);
	assert_int_equal(parse_fraction("0.05", &v, NULL), 0);
	assert_true(v > 0.0499 && v < 0.0501);
	assert_int_equal(parse_fraction("", &v, NULL), -EINVAL);
	assert_int_equal(parse_fraction("-1%", &v, NULL), -EINVAL);
	assert_int_equal(parse_fraction("5%%", &v, NULL), -EINVAL);
	assert_int_equal(parse_fraction("x", &v, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size_units),
		cmocka_unit_test(test_size_errors),
		cmocka_unit_test(test_size_message),
		cmocka_unit_test(test_u64),
		cmocka_unit_test(test_list_plain),
		cmocka_unit_test(test_list_geometric),
		cmocka_unit_test(test_list_arithmetic),
		cmocka_unit_test(test_list_errors),
		cmocka_unit_test(test_list_too_many),
		cmocka_unit_test(test_list_overflow),
		cmocka_unit_test(test_list_size_range),
		cmocka_unit_test(test_format_size),
		cmocka_unit_test(test_fraction),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
