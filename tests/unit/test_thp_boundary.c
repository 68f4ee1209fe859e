// SPDX-License-Identifier: GPL-2.0
/*
 * THP boundary geometry: where an mlock range cuts huge pages, anon and
 * file mappings, aligned and not, the default range, bad input, and the
 * reading of hpage_pmd_size (this machine's and hostile texts).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "sysinfo/thp_boundary.h"

#define K 1024ull
#define M (1024ull * K)

static struct thp_mapping anon(uint64_t start, uint64_t len)
{
	struct thp_mapping m = { .start = start, .len = len, .page = 4 * K, .huge = 2 * M };

	return m;
}

static void test_anon_aligned(void **unused)
{
	struct thp_mapping m = anon(0x40000000, 8 * M);	/* 4 huge blocks */
	struct thp_lock_range r;
	struct errmsg e = { "" };

	/* whole mapping: no cut */
	assert_int_equal(thp_lock_range(&m, 0, 0, &r, &e), 0);
	assert_int_equal(r.start, 0x40000000);
	assert_int_equal(r.len, 8 * M);
	assert_false(r.start_inside);
	assert_false(r.end_inside);
	assert_int_equal(r.whole_huge, 4);
	assert_int_equal(r.partial_huge, 0);
	assert_int_equal(r.huge_blocks, 4);

	/* 1M in, 6M long: both ends cut, two whole blocks between */
	assert_int_equal(thp_lock_range(&m, 1 * M, 6 * M, &r, &e), 0);
	assert_int_equal(r.start, 0x40000000 + M);
	assert_true(r.start_inside && r.end_inside);
	assert_int_equal(r.whole_huge, 2);
	assert_int_equal(r.partial_huge, 2);

	/* inside one block */
	assert_int_equal(thp_lock_range(&m, 4 * K, 8 * K, &r, &e), 0);
	assert_true(r.start_inside && r.end_inside);
	assert_int_equal(r.partial_huge, 1);
	assert_int_equal(r.whole_huge, 0);

	/* starts on a block boundary, ends inside */
	assert_int_equal(thp_lock_range(&m, 2 * M, 3 * M, &r, &e), 0);
	assert_false(r.start_inside);
	assert_true(r.end_inside);
	assert_int_equal(r.whole_huge, 1);
	assert_int_equal(r.partial_huge, 1);
}

static void test_anon_unaligned(void **unused)
{
	/* 1M past a 2M boundary, 5M long: blocks at +1M and +3M only */
	struct thp_mapping m = anon(0x40000000 + M, 5 * M);
	struct thp_lock_range r;
	struct errmsg e = { "" };
	uint64_t off, len;

	assert_int_equal(thp_lock_range(&m, 0, 0, &r, &e), 0);
	assert_int_equal(r.huge_blocks, 2);
	/* the first MiB is in a block that sticks out of the mapping: no huge page */
	assert_false(r.start_inside);
	assert_false(r.end_inside);		/* ends on a boundary... */
	assert_int_equal(r.whole_huge, 2);
	assert_int_equal(thp_lock_range(&m, 0, 4 * M, &r, &e), 0);
	assert_false(r.start_inside);
	assert_true(r.end_inside);		/* +4M is in the block at +3M */

	assert_int_equal(thp_boundary_default(&m, &off, &len, &e), 0);
	assert_int_equal(off, 2 * M);		/* middle of the block at +1M */
	assert_int_equal(len, 2 * M);
	assert_int_equal(thp_lock_range(&m, off, len, &r, &e), 0);
	assert_true(r.start_inside && r.end_inside);
	assert_int_equal(r.partial_huge, 2);
	assert_int_equal(r.whole_huge, 0);

	/* too small for two huge pages */
	m = anon(0x40000000 + M, 4 * M);
	assert_int_equal(thp_boundary_default(&m, &off, &len, &e), -EINVAL);
	assert_non_null(strstr(e.buf, "1 huge pages"));
}

static void test_file_offsets(void **unused)
{
	struct thp_mapping m = anon(0x40000000, 8 * M);
	struct thp_lock_range r;
	struct errmsg e = { "" };
	uint64_t off, len;

	m.file = true;
	m.file_offset = 2 * M;			/* congruent: PMD-mappable */
	assert_int_equal(thp_lock_range(&m, M, 6 * M, &r, &e), 0);
	assert_true(r.start_inside && r.end_inside);
	assert_int_equal(r.huge_blocks, 4);

	m.file_offset = 4 * K;			/* never PMD-mappable */
	assert_int_equal(thp_lock_range(&m, M, 6 * M, &r, &e), 0);
	assert_false(r.start_inside || r.end_inside);
	assert_int_equal(r.huge_blocks, 0);
	assert_int_equal(r.whole_huge, 0);
	assert_int_equal(thp_boundary_default(&m, &off, &len, &e), -EINVAL);

	m.file_offset = 1;
	assert_int_equal(thp_lock_range(&m, M, 6 * M, &r, &e), -EINVAL);
}

static void test_bad_geometry(void **unused)
{
	struct thp_mapping m = anon(0x40000000, 8 * M);
	struct thp_lock_range r;
	struct errmsg e = { "" };

	assert_int_equal(thp_lock_range(&m, 8 * M, 0, &r, &e), -EINVAL);	/* past the end */
	assert_int_equal(thp_lock_range(&m, 2 * M, 7 * M, &r, &e), -EINVAL);	/* beyond */
	assert_int_equal(thp_lock_range(&m, 100, 4 * K, &r, &e), -EINVAL);	/* unaligned */
	assert_int_equal(thp_lock_range(&m, 0, 100, &r, &e), -EINVAL);
	assert_int_equal(thp_lock_range(&m, 4 * K, UINT64_MAX - 4095, &r, &e), -EINVAL);
	m.huge = 3 * M;
	assert_int_equal(thp_lock_range(&m, 0, 0, &r, &e), -EINVAL);
	m = anon(0x40000000, 8 * M);
	m.huge = m.page;
	assert_int_equal(thp_lock_range(&m, 0, 0, &r, &e), -EINVAL);
	m = anon(UINT64_MAX - 4095, 8 * M);	/* wraps */
	assert_int_equal(thp_lock_range(&m, 0, 0, &r, &e), -EINVAL);
	m = anon(0x40000000, 0);
	assert_int_equal(thp_lock_range(&m, 0, 0, &r, &e), -EINVAL);
}

static const char *write_tmp(const char *text, size_t n)
{
	static char path[] = "/tmp/mlb-thp-XXXXXX";
	int fd;

	strcpy(path, "/tmp/mlb-thp-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
	return path;
}

static void test_pmd_size_read(void **unused)
{
	static const char *const bad[] = {
		"", "\n", "2097152 kB\n", "2097152\n\n", "-2097152\n", "3000000\n",
		"4096\n", "2147483648\n", "99999999999999999999\n", "0x200000\n",
	};
	struct errmsg e = { "" };
	uint64_t v = 0;
	const char *p;
	size_t i;
	int ret;

	ret = thp_pmd_size_read(NULL, &v, &e);
	if (ret != -ENOENT) {
		assert_int_equal(ret, 0);
		assert_true(v >= 64 * K && !(v & (v - 1)));
	}
	p = write_tmp("2097152\n", 8);
	assert_int_equal(thp_pmd_size_read(p, &v, &e), 0);
	assert_int_equal(v, 2 * M);
	unlink(p);
	p = write_tmp("536870912", 9);	/* arm64 64K pages: 512M; no newline is fine */
	assert_int_equal(thp_pmd_size_read(p, &v, &e), 0);
	unlink(p);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p = write_tmp(bad[i], strlen(bad[i]));
		ret = thp_pmd_size_read(p, &v, &e);
		unlink(p);
		if (ret != -EINVAL)
			fail_msg("'%s' gave %d", bad[i], ret);
	}
	assert_int_equal(thp_pmd_size_read("/nonexistent/hpage_pmd_size", &v, &e), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_anon_aligned),
		cmocka_unit_test(test_anon_unaligned),
		cmocka_unit_test(test_file_offsets),
		cmocka_unit_test(test_bad_geometry),
		cmocka_unit_test(test_pmd_size_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
