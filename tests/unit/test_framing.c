// SPDX-License-Identifier: GPL-2.0
/* Serial framing: round trip, corruption and truncation detected, noise skipped. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vm/framing.h"

struct got {
	unsigned int n;
	char name[8][FRAME_NAME_MAX];
	unsigned char *data[8];
	size_t len[8];
};

static int collect(void *arg, const char *name, const void *data, size_t len)
{
	struct got *g = arg;

	assert_true(g->n < 8);
	snprintf(g->name[g->n], FRAME_NAME_MAX, "%s", name);
	g->data[g->n] = malloc(len + 1);
	memcpy(g->data[g->n], data, len);
	g->len[g->n] = len;
	g->n++;
	return 0;
}

static void got_free(struct got *g)
{
	for (unsigned int i = 0; i < g->n; i++)
		free(g->data[i]);
}

/* Encode @n payloads into a malloc'd buffer. */
static char *encode(const char **names, const unsigned char **data, const size_t *lens,
		    int n, size_t *len, const char *noise)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	assert_non_null(f);
	for (int i = 0; i < n; i++) {
		if (noise)
			fputs(noise, f);
		assert_int_equal(frame_encode(f, names[i], data[i], lens[i]), 0);
	}
	assert_int_equal(frame_encode_done(f, n, 0), 0);
	fclose(f);
	return buf;
}

/* The header carries the standard CRC-32/ISO-HDLC (zlib's crc32) of the payload. */
static void test_crc32_known(void **state)
{
	const char *names[] = { "check", "empty" };
	const unsigned char *data[] = { (const unsigned char *)"123456789",
					(const unsigned char *)"" };
	const size_t lens[] = { 9, 0 };
	size_t len;
	char *buf = encode(names, data, lens, 2, &len, NULL);

	assert_non_null(strstr(buf, "=MLBFRAME name=check len=9 crc32=cbf43926\n"));
	assert_non_null(strstr(buf, "=MLBFRAME name=empty len=0 crc32=00000000\n"));
	free(buf);
}

static void test_round_trip(void **state)
{
	unsigned char bin[1000];
	const char *names[] = { "manifest.json", "a/b/samples.csv", "empty", "one", "two" };
	const unsigned char *data[] = { (const unsigned char *)"{\"x\": 1}\n", bin,
					(const unsigned char *)"", (const unsigned char *)"A",
					(const unsigned char *)"AB" };
	size_t lens[] = { 9, sizeof(bin), 0, 1, 2 };
	struct frame_stats st;
	struct got g = { 0 };
	size_t len;
	char *buf;

	for (size_t i = 0; i < sizeof(bin); i++)
		bin[i] = (unsigned char)(i * 7 + 3);
	buf = encode(names, data, lens, 5, &len, NULL);
	assert_int_equal(frame_decode(buf, len, collect, &g, &st), 0);
	assert_int_equal(st.ok, 5);
	assert_int_equal(st.bad, 0);
	assert_true(st.done);
	assert_int_equal(st.done_frames, 5);
	for (int i = 0; i < 5; i++) {
		assert_string_equal(g.name[i], names[i]);
		assert_int_equal(g.len[i], lens[i]);
		if (lens[i])
			assert_memory_equal(g.data[i], data[i], lens[i]);
	}
	got_free(&g);
	free(buf);
}

static void test_bit_flip_detected(void **state)
{
	const char *names[] = { "f" };
	unsigned char payload[300];
	const unsigned char *data[] = { payload };
	size_t lens[] = { sizeof(payload) };
	struct frame_stats st;
	size_t len, flips = 0;
	char *buf;

	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (unsigned char)i;
	buf = encode(names, data, lens, 1, &len, NULL);
	/* flip one bit in every payload character in turn: never accepted */
	char *body = strchr(buf, '\n') + 1;
	char *end = strstr(buf, "=MLBEND");

	for (char *p = body; p < end; p++) {
		struct got g = { 0 };
		char save = *p;

		if (*p == '\n' || *p == '=')
			continue;
		*p ^= 0x02;
		assert_int_equal(frame_decode(buf, len, collect, &g, &st), 0);
		if (g.n) {
			/* only acceptable if the flip produced identical bytes: never */
			assert_memory_not_equal(g.data[0], payload, 1);
		}
		assert_int_equal(g.n, 0);
		assert_int_equal(st.bad, 1);
		got_free(&g);
		*p = save;
		flips++;
	}
	assert_true(flips > 300);
	free(buf);
}

static void test_header_tamper_detected(void **state)
{
	const char *names[] = { "f" };
	const unsigned char *data[] = { (const unsigned char *)"hello world" };
	size_t lens[] = { 11 };
	struct frame_stats st;
	struct got g = { 0 };
	size_t len;
	char *buf = encode(names, data, lens, 1, &len, NULL);
	char *l = strstr(buf, "len=11");

	l[5] = '2';	/* len=12 */
	assert_int_equal(frame_decode(buf, len, collect, &g, &st), 0);
	assert_int_equal(g.n, 0);
	assert_int_equal(st.bad, 1);
	assert_non_null(strstr(st.first_error, "length"));
	free(buf);
}

static void test_truncation_detected(void **state)
{
	const char *names[] = { "a", "b" };
	unsigned char big[600];
	const unsigned char *data[] = { big, big };
	size_t lens[] = { sizeof(big), sizeof(big) };
	struct frame_stats st;
	size_t len, cut;
	char *buf;

	memset(big, 'x', sizeof(big));
	buf = encode(names, data, lens, 2, &len, NULL);
	/* cut inside the second frame: first delivered, second rejected, no done */
	cut = strstr(buf, "name=b") - buf + 100;
	{
		struct got g = { 0 };

		assert_int_equal(frame_decode(buf, cut, collect, &g, &st), 0);
		assert_int_equal(g.n, 1);
		assert_string_equal(g.name[0], "a");
		assert_int_equal(st.bad, 1);
		assert_false(st.done);
		got_free(&g);
	}
	/* drop lines from the middle of the first frame: it is rejected, second survives */
	{
		struct got g = { 0 };
		char *b2 = strdup(buf);
		char *l1 = strchr(b2, '\n') + 1;
		char *l3 = strchr(strchr(l1, '\n') + 1, '\n') + 1;

		memmove(l1, l3, strlen(l3) + 1);
		assert_int_equal(frame_decode(b2, strlen(b2), collect, &g, &st), 0);
		assert_int_equal(g.n, 1);
		assert_string_equal(g.name[0], "b");
		assert_int_equal(st.bad, 1);
		got_free(&g);
		free(b2);
	}
	/* a frame interrupted by the next header */
	{
		struct got g = { 0 };
		char *b3 = strdup(buf);
		char *end = strstr(b3, "=MLBEND name=a\n");

		memmove(end, end + strlen("=MLBEND name=a\n"),
			strlen(end + strlen("=MLBEND name=a\n")) + 1);
		assert_int_equal(frame_decode(b3, strlen(b3), collect, &g, &st), 0);
		assert_int_equal(g.n, 1);
		assert_string_equal(g.name[0], "b");
		assert_int_equal(st.bad, 1);
		got_free(&g);
		free(b3);
	}
	free(buf);
}

static void test_garbage_between_frames_skipped(void **state)
{
	const char *names[] = { "x/one", "two" };
	const unsigned char *data[] = { (const unsigned char *)"first file\n",
					(const unsigned char *)"second" };
	size_t lens[] = { 11, 6 };
	struct frame_stats st;
	struct got g = { 0 };
	size_t len;
	char *buf = encode(names, data, lens, 2, &len,
			   "[    1.234] random: crng init done\r\n=MLBFRAME garbage\n\x01\x02\n");
	/* and \r\n line ends, as a tty with ONLCR writes them */
	char *crlf = malloc(2 * len + 1), *q = crlf;

	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n')
			*q++ = '\r';
		*q++ = buf[i];
	}
	assert_int_equal(frame_decode(crlf, q - crlf, collect, &g, &st), 0);
	assert_int_equal(g.n, 2);
	assert_int_equal(st.bad, 0);
	assert_string_equal(g.name[0], "x/one");
	assert_memory_equal(g.data[0], "first file\n", 11);
	assert_memory_equal(g.data[1], "second", 6);
	assert_true(st.done);
	got_free(&g);
	free(crlf);
	free(buf);
}

static void test_names(void **state)
{
	assert_int_equal(frame_name_valid("manifest.json"), 0);
	assert_int_equal(frame_name_valid("a/b-c_d.csv"), 0);
	assert_int_not_equal(frame_name_valid("../etc/passwd"), 0);
	assert_int_not_equal(frame_name_valid("/abs"), 0);
	assert_int_not_equal(frame_name_valid("sp ace"), 0);
	assert_int_not_equal(frame_name_valid(""), 0);
	assert_int_equal(frame_encode(stdout, "bad name", "", 0), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32_known),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_bit_flip_detected),
		cmocka_unit_test(test_header_tamper_detected),
		cmocka_unit_test(test_truncation_detected),
		cmocka_unit_test(test_garbage_between_frames_skipped),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
