// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/atomic_file.h"
#include "vm/initramfs.h"
#include "vm/vm_collect.h"

/* Reads at most @max bytes: a guest can fill its serial file without bound. */
static char *read_file(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "re");
	char *buf;
	size_t n;

	*len = 0;
	if (!f)
		return NULL;
	buf = malloc(max + 1);
	if (!buf) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, max, f);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

struct unpack {
	const char *dir;
	struct errmsg *e;
};

static int unpack_frame(void *arg, const char *name, const void *data, size_t len)
{
	struct unpack *u = arg;
	char path[1400], parent[1400], *slash;
	struct atomic_file af;
	int err;

	/* frame_decode checked the name: relative, no "..", no odd characters */
	snprintf(path, sizeof(path), "%s/%s", u->dir, name);
	snprintf(parent, sizeof(parent), "%s", path);
	slash = strrchr(parent, '/');
	*slash = '\0';
	err = mkdir_p(parent, u->e);
	if (!err)
		err = atomic_file_open(&af, path, u->e);
	if (err)
		return err;
	if (len && fwrite(data, 1, len, af.f) != len) {
		atomic_file_abort(&af);
		return errmsg_set(u->e, -EIO, "cannot write %s", path);
	}
	return atomic_file_commit(&af, u->e);
}

int collect_frames(const char *ship_log, const char *dir, struct frame_stats *st,
		   struct errmsg *e)
{
	struct unpack u = { .dir = dir, .e = e };
	struct stat sb;
	size_t len;
	char *raw;
	int err = 0;

	memset(st, 0, sizeof(*st));
	if (stat(ship_log, &sb))
		return 0;
	raw = read_file(ship_log, sb.st_size, &len);
	if (!raw)
		return errmsg_set(e, -ENOMEM, "cannot read %s", ship_log);
	err = frame_decode(raw, len, unpack_frame, &u, st);
	free(raw);
	unlink(ship_log);
	return err;
}

double collect_boot_s(const char *console)
{
	size_t len;
	char *buf = read_file(console, 16 << 20, &len);
	char *m;
	double t = -1;

	if (!buf)
		return -1;
	m = strstr(buf, INITRAMFS_BOOT_MARKER " ");
	if (m)
		t = strtod(m + strlen(INITRAMFS_BOOT_MARKER " "), NULL);
	free(buf);
	return t;
}

bool collect_console_spoke(const char *console)
{
	struct stat sb;

	return !stat(console, &sb) && sb.st_size > 0;
}

void collect_qemu_error(const char *qemu_log, char *out, size_t len)
{
	size_t n;
	char *buf = read_file(qemu_log, 64 << 10, &n);
	char *line, *save, *last = NULL;

	out[0] = '\0';
	if (!buf)
		return;
	for (line = strtok_r(buf, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save))
		if (line[strspn(line, " \t")])
			last = line;
	if (last)
		snprintf(out, len, "%s", last);
	/* printed on the user's terminal: no control characters */
	for (char *c = out; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	free(buf);
}
