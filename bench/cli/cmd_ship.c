// SPDX-License-Identifier: GPL-2.0
/*
 * mlockbench ship (hidden, guest side of a campaign): send every file under
 * the given folders over a serial port as frames (vm/framing.h), then the
 * end marker with the job's status.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "cli/commands.h"
#include "common/exitcodes.h"
#include "vm/framing.h"

static int ship_file(FILE *out, const char *path, const char *name)
{
	FILE *f = fopen(path, "r");
	char *data = NULL;
	size_t len = 0, cap = 0, n;
	int err;

	if (!f)
		return -errno;
	for (;;) {
		if (len + 65536 > cap) {
			char *nd = realloc(data, cap = (len + 65536) * 2);

			if (!nd) {
				free(data);
				fclose(f);
				return -ENOMEM;
			}
			data = nd;
		}
		n = fread(data + len, 1, cap - len, f);
		if (!n)
			break;
		len += n;
	}
	fclose(f);
	err = frame_encode(out, name, data, len);
	free(data);
	return err;
}

static int ship_tree(FILE *out, const char *dir, const char *prefix, unsigned int *frames)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int err = 0;

	if (!d)
		return -errno;
	while (!err && (de = readdir(d))) {
		char path[1024], name[FRAME_NAME_MAX];
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		snprintf(name, sizeof(name), "%s%s%s", prefix, *prefix ? "/" : "", de->d_name);
		if (stat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			err = ship_tree(out, path, name, frames);
		} else if (S_ISREG(st.st_mode)) {
			if (frame_name_valid(name)) {
				fprintf(stderr, "mlockbench ship: skipping %s (name)\n", path);
				continue;
			}
			err = ship_file(out, path, name);
			if (!err)
				(*frames)++;
		}
	}
	closedir(d);
	return err;
}

int cmd_ship(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "status", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *port = "-";
	unsigned int frames = 0;
	int c, fd, status = 0, err = 0;
	struct termios t;
	FILE *out;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			port = optarg;
			break;
		case 's':
			status = atoi(optarg);
			break;
		case 'h':
			printf("usage: mlockbench ship [--port DEV] [--status N] DIR...\n"
			       "Guest side of a campaign: frames every file under DIR to DEV (default\n"
			       "stdout) for the host to check and unpack.\n");
			return MLB_EXIT_OK;
		default:
			return MLB_EXIT_USAGE;
		}
	}
	if (!strcmp(port, "-")) {
		fd = dup(1);
	} else {
		fd = open(port, O_WRONLY | O_NOCTTY | O_CLOEXEC);
		/* raw: no \r insertion, no flow control surprises */
		if (fd >= 0 && !tcgetattr(fd, &t)) {
			cfmakeraw(&t);
			tcsetattr(fd, TCSANOW, &t);
		}
	}
	if (fd < 0 || !(out = fdopen(fd, "w"))) {
		fprintf(stderr, "mlockbench ship: cannot open %s: %s\n", port, strerror(errno));
		return MLB_EXIT_HARNESS;
	}
	for (int i = optind; i < argc && !err; i++) {
		err = ship_tree(out, argv[i], "", &frames);
		if (err == -ENOENT) {
			fprintf(stderr, "mlockbench ship: no %s\n", argv[i]);
			err = 0;
		}
	}
	if (!err)
		err = frame_encode_done(out, frames, status);
	fflush(out);
	tcdrain(fd);
	fclose(out);
	if (err) {
		fprintf(stderr, "mlockbench ship: %s\n", strerror(-err));
		return MLB_EXIT_HARNESS;
	}
	return MLB_EXIT_OK;
}
