// SPDX-License-Identifier: GPL-2.0
#include "job/footprint.h"

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	uint64_t r;

	return __builtin_add_overflow(a, b, &r) ? UINT64_MAX : r;
}

static uint64_t sat_mul(uint64_t a, uint64_t b)
{
	uint64_t r;

	return __builtin_mul_overflow(a, b, &r) ? UINT64_MAX : r;
}

static uint64_t div_up(uint64_t a, uint64_t b)
{
	return a / b + (a % b != 0);
}

/*
 * One mapping of @size bytes: a table page per @per entries at each of
 * the PTE, PMD and PUD levels (x86-64 and arm64 with 4K pages: 512 of 8
 * bytes).  An unaligned mapping may straddle one more table per level.
 */
static uint64_t tables_of_mapping(uint64_t size, uint64_t page)
{
	uint64_t per = page / 8, covered = div_up(size, page), pages = 0;
	int level;

	for (level = 0; level < 3; level++) {
		covered = div_up(covered, per);
		pages = sat_add(pages, covered + 1);
	}
	return sat_mul(pages, page);
}

static bool backing_is_anon_kind(enum backing_kind b)
{
	return b == BACKING_ANON_COW || b == BACKING_THP_ANON;
}

void footprint_estimate(uint64_t procs, uint64_t plain, uint64_t size,
			enum backing_kind backing, uint64_t page_size, struct footprint *out)
{
	uint64_t page = page_size >= 4096 ? page_size : 4096;
	uint64_t children = sat_add(procs, plain);
	uint64_t mappings = sat_add(children, backing_is_anon_kind(backing));

	out->data = sat_mul(div_up(size, page), page);
	out->page_tables = sat_mul(mappings, tables_of_mapping(size, page));
	out->children = sat_mul(children, FOOTPRINT_CHILD_BYTES);
	out->total = sat_add(sat_add(out->data, out->page_tables), out->children);
}
