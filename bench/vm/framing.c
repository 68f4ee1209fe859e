// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "vm/framing.h"

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int b64_val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int frame_name_valid(const char *name)
{
	const char *p;

	if (!*name || strlen(name) >= FRAME_NAME_MAX || name[0] == '/')
		return -EINVAL;
	for (p = name; *p; p++)
		if (!(isalnum((unsigned char)*p) || strchr("._/-", *p)))
			return -EINVAL;
	if (strstr(name, "..") || strstr(name, "//"))
		return -EINVAL;
	return 0;
}

int frame_encode(FILE *out, const char *name, const void *data, size_t len)
{
	const unsigned char *p = data;
	char line[80];
	size_t i, col = 0;

	if (frame_name_valid(name))
		return -EINVAL;
	fprintf(out, "=MLBFRAME name=%s len=%zu crc32=%08" PRIx32 "\n", name, len,
		(uint32_t)crc32_z(0, data, len));
	for (i = 0; i < len; i += 3) {
		uint32_t v = p[i] << 16;
		size_t n = len - i < 3 ? len - i : 3;

		if (n > 1)
			v |= p[i + 1] << 8;
		if (n > 2)
			v |= p[i + 2];
		line[col++] = b64[(v >> 18) & 63];
		line[col++] = b64[(v >> 12) & 63];
		line[col++] = n > 1 ? b64[(v >> 6) & 63] : '=';
		line[col++] = n > 2 ? b64[v & 63] : '=';
		if (col >= 76) {
			fwrite(line, 1, col, out);
			fputc('\n', out);
			col = 0;
		}
	}
	if (col) {
		fwrite(line, 1, col, out);
		fputc('\n', out);
	}
	fprintf(out, "=MLBEND name=%s\n", name);
	fflush(out);
	return ferror(out) ? -EIO : 0;
}

int frame_encode_done(FILE *out, unsigned int frames, int status)
{
	fprintf(out, "=MLBDONE frames=%u status=%d\n", frames, status);
	fflush(out);
	return ferror(out) ? -EIO : 0;
}

/* Next line of buf[*pos..len) without \r\n; returns its length, or -1 at the end. */
static long next_line(const char *buf, size_t len, size_t *pos, const char **line)
{
	size_t s = *pos, e;

	if (s >= len)
		return -1;
	e = s;
	while (e < len && buf[e] != '\n')
		e++;
	*pos = e < len ? e + 1 : e;
	*line = buf + s;
	while (e > s && (buf[e - 1] == '\r' || buf[e - 1] == '\0'))
		e--;
	return e - s;
}

static void bad(struct frame_stats *st, const char *name, const char *why)
{
	if (!st->bad)
		snprintf(st->first_error, sizeof(st->first_error), "%s: %s", name, why);
	st->bad++;
}

/* Decode one frame's body; *pos is after the header.  0 = good, 1 = bad. */
static int decode_body(const char *buf, size_t len, size_t *pos, const char *name,
		       size_t want, uint32_t crc, unsigned char *out, struct frame_stats *st,
		       size_t *got)
{
	char endline[FRAME_NAME_MAX + 16];
	uint32_t acc = 0;
	int nacc = 0, pad = 0;
	const char *line;
	long n;

	snprintf(endline, sizeof(endline), "=MLBEND name=%s", name);
	*got = 0;
	for (;;) {
		size_t save = *pos;

		n = next_line(buf, len, pos, &line);
		if (n < 0) {
			bad(st, name, "truncated frame (no end line)");
			return 1;
		}
		if (n > 0 && line[0] == '=') {
			if ((size_t)n == strlen(endline) && !memcmp(line, endline, n))
				break;
			/* another frame's header: this one was cut short */
			*pos = save;
			bad(st, name, "truncated frame (interrupted)");
			return 1;
		}
		for (long i = 0; i < n; i++) {
			int v;

			if (line[i] == '=') {
				pad++;
				continue;
			}
			v = b64_val((unsigned char)line[i]);
			if (v < 0 || pad) {
				bad(st, name, "bad base64");
				return 1;
			}
			acc = acc << 6 | v;
			if (++nacc == 4) {
				if (*got + 3 > want) {
					bad(st, name, "longer than announced");
					return 1;
				}
				out[(*got)++] = acc >> 16;
				out[(*got)++] = acc >> 8;
				out[(*got)++] = acc;
				nacc = 0;
				acc = 0;
			}
		}
	}
	if (nacc + pad != 0 && nacc + pad != 4) {
		bad(st, name, "bad base64 padding");
		return 1;
	}
	if (nacc == 2 || nacc == 3) {
		acc <<= 6 * (4 - nacc);
		if (*got + nacc - 1 > want) {
			bad(st, name, "longer than announced");
			return 1;
		}
		out[(*got)++] = acc >> 16;
		if (nacc == 3)
			out[(*got)++] = acc >> 8;
	}
	if (*got != want) {
		bad(st, name, "length mismatch");
		return 1;
	}
	if ((uint32_t)crc32_z(0, out, want) != crc) {
		bad(st, name, "checksum mismatch");
		return 1;
	}
	return 0;
}

int frame_decode(const char *buf, size_t len, frame_cb cb, void *arg,
		 struct frame_stats *st)
{
	size_t pos = 0;
	const char *line;
	long n;

	memset(st, 0, sizeof(*st));
	while ((n = next_line(buf, len, &pos, &line)) >= 0) {
		char hdr[FRAME_NAME_MAX + 80], name[FRAME_NAME_MAX];
		unsigned long long want;
		unsigned char *out;
		unsigned int frames;
		uint32_t crc;
		size_t got;
		int status, r, rest = 0;

		if (n <= 0 || (size_t)n >= sizeof(hdr) || line[0] != '=')
			continue;
		memcpy(hdr, line, n);
		hdr[n] = '\0';
		if (sscanf(hdr, "=MLBDONE frames=%u status=%d%n", &frames, &status, &rest) == 2 &&
		    rest == n) {
			st->done = true;
			st->done_frames = frames;
			st->done_status = status;
			continue;
		}
		if (sscanf(hdr, "=MLBFRAME name=%255s len=%llu crc32=%8" SCNx32 "%n", name,
			   &want, &crc, &rest) != 3 || rest != n)
			continue;
		if (frame_name_valid(name) || want > len) {
			bad(st, name, "bad header");
			continue;
		}
		out = malloc(want + 3);
		if (!out)
			return -ENOMEM;
		if (!decode_body(buf, len, &pos, name, want, crc, out, st, &got)) {
			r = cb(arg, name, out, want);
			if (r) {
				free(out);
				return r;
			}
			st->ok++;
		}
		free(out);
	}
	return 0;
}
