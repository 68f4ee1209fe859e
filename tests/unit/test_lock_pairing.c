// SPDX-License-Identifier: GPL-2.0
/*
 * Lock pairing on synthetic records (lock_pair in collectors/locks.c):
 * nesting, a nesting deeper than the tracking stack, kretprobe ends that
 * carry no lock address, a wait begun before the window, lockers' time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "collectors/locks.h"

#define A 0x1000
#define B 0x2000
#define C1 1	/* class ids */
#define C2 2

static struct lock_rec recs[64];
static size_t n;

static void rec(uint64_t t, uint32_t tid, int kind, uint64_t lock, int cls)
{
	recs[n] = (struct lock_rec){ .time = t, .tid = tid, .kind = kind, .lock = lock,
				     .cls = cls, .seq = n };
	n++;
}

#define BEGIN(t, tid, lock, cls) rec(t, tid, LOCK_REC_BEGIN, lock, cls)
#define END(t, tid, lock) rec(t, tid, LOCK_REC_END, lock, 0)

static struct lock_pairing pair(const pid_t *lockers, size_t nl)
{
	struct lock_pairing p;

	assert_int_equal(lock_pair(recs, n, lockers, nl, &p), 0);
	n = 0;
	return p;
}

static void test_empty(void **unused)
{
	struct lock_pairing p;

	/* no records: no qsort(NULL, 0) (UBSan), nothing counted */
	assert_int_equal(lock_pair(NULL, 0, NULL, 0, &p), 0);
	assert_int_equal(p.unpaired, 0);
	assert_int_equal(p.cls[0].count, 0);
}

static void test_simple_and_out_of_order(void **unused)
{
	struct lock_pairing p;
	pid_t lockers[] = { 7 };

	/* records arrive per CPU, not in time order */
	END(300, 7, A);
	BEGIN(100, 7, A, C1);
	BEGIN(150, 8, B, C2);
	END(160, 8, B);
	p = pair(lockers, 1);
	assert_int_equal(p.cls[C1].count, 1);
	assert_int_equal(p.cls[C1].wait_ns, 200);
	assert_int_equal(p.cls[C1].max_ns, 200);
	assert_int_equal(p.cls[C2].wait_ns, 10);
	assert_int_equal(p.lockers_ns, 200);	/* tid 8 is not a locker */
	assert_int_equal(p.unpaired, 0);
}

static void test_nesting(void **unused)
{
	struct lock_pairing p;

	/* a wait on A; inside its slow path, a wait on B (the wait_lock) */
	BEGIN(100, 5, A, C1);
	BEGIN(110, 5, B, C2);
	END(130, 5, B);
	END(200, 5, A);
	p = pair(NULL, 0);
	assert_int_equal(p.cls[C1].count, 1);
	assert_int_equal(p.cls[C1].wait_ns, 100);
	assert_int_equal(p.cls[C2].count, 0);	/* nested: not in a class */
	assert_int_equal(p.nested, 1);
	assert_int_equal(p.nested_ns, 20);
	assert_int_equal(p.unpaired, 0);

	/* an end on the outer lock closes it and drops the inner one never ended */
	BEGIN(100, 5, A, C1);
	BEGIN(110, 5, B, C2);
	END(200, 5, A);
	p = pair(NULL, 0);
	assert_int_equal(p.cls[C1].wait_ns, 100);
	assert_int_equal(p.unpaired, 1);
}

static void test_stack_overflow(void **unused)
{
	struct lock_pairing p;
	int i;

	/* deeper than the tracking stack: the outermost begins are dropped */
	for (i = 0; i < LOCK_PAIR_DEPTH + 2; i++)
		BEGIN(100 + i, 9, A + i, C1);
	for (i = LOCK_PAIR_DEPTH + 1; i >= 0; i--)
		END(200 + (LOCK_PAIR_DEPTH + 1 - i), 9, A + i);
	p = pair(NULL, 0);
	/* the tracked ones pair, and stay nested: they began inside the lost outer waits */
	assert_int_equal(p.nested, LOCK_PAIR_DEPTH);
	assert_int_equal(p.cls[C1].count, 0);
	/* 2 begins pushed out of the stack, their 2 ends find nothing */
	assert_int_equal(p.unpaired, 4);
}

static void test_kretprobe_any_lock(void **unused)
{
	struct lock_pairing p;

	/* a kretprobe end has no address: it closes the innermost open wait */
	BEGIN(100, 4, A, C1);
	END(150, 4, 0);
	/* a begin without an address (kprobe without $arg1) matches any end */
	BEGIN(200, 4, 0, C2);
	END(260, 4, B);
	p = pair(NULL, 0);
	assert_int_equal(p.cls[C1].wait_ns, 50);
	assert_int_equal(p.cls[C2].wait_ns, 60);
	assert_int_equal(p.unpaired, 0);

	/* with addresses on both sides an end on another lock does not match */
	BEGIN(100, 4, A, C1);
	END(150, 4, B);
	p = pair(NULL, 0);
	assert_int_equal(p.cls[C1].count, 0);
	assert_int_equal(p.unpaired, 2);
}

static void test_began_before_window(void **unused)
{
	struct lock_pairing p;

	/* an end whose begin came before the window; then a whole wait */
	END(50, 3, A);
	BEGIN(100, 3, A, C1);
	END(120, 3, A);
	/* tid 0 (idle) is ignored */
	BEGIN(10, 0, A, C1);
	p = pair(NULL, 0);
	assert_int_equal(p.unpaired, 1);
	assert_int_equal(p.cls[C1].count, 1);
	assert_int_equal(p.cls[C1].wait_ns, 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_simple_and_out_of_order),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_stack_overflow),
		cmocka_unit_test(test_kretprobe_any_lock),
		cmocka_unit_test(test_began_before_window),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
