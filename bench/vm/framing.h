/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Files over a serial line.  One frame per file:
 *
 *   =MLBFRAME name=<relative path> len=<bytes> crc32=<8 hex digits>
 *   <payload, base64, 76 characters a line>
 *   =MLBEND name=<relative path>
 *
 * and, once everything is sent, "=MLBDONE frames=<n> status=<int>".
 * The decoder skips anything between frames (kernel messages, \r from the
 * tty's ONLCR), and rejects a frame whose length or CRC-32 does not match,
 * whose base64 is bad, or that is cut short.  The CRC is zlib's crc32
 * (IEEE 802.3, as in gzip).
 */
#ifndef MLB_FRAMING_H
#define MLB_FRAMING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/errmsg.h"

#define FRAME_NAME_MAX 256

/* A name is a relative path of [A-Za-z0-9._/-], without "..": -EINVAL otherwise. */
int frame_name_valid(const char *name);

int frame_encode(FILE *out, const char *name, const void *data, size_t len);
int frame_encode_done(FILE *out, unsigned int frames, int status);

struct frame_stats {
	unsigned int ok;		/* frames delivered to the callback */
	unsigned int bad;		/* rejected: checksum, length, base64, truncated */
	bool done;			/* the =MLBDONE line was seen */
	unsigned int done_frames;	/* what it announced */
	int done_status;
	char first_error[160];		/* why the first bad frame was rejected */
};

/* Called for each good frame; a non-zero return stops decoding and is returned. */
typedef int (*frame_cb)(void *arg, const char *name, const void *data, size_t len);

int frame_decode(const char *buf, size_t len, frame_cb cb, void *arg,
		 struct frame_stats *st);

#endif
