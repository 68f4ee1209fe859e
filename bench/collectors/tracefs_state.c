// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collectors/tracefs.h"
#include "collectors/tracefs_state.h"

void tracefs_state_path(char *buf, size_t len)
{
	const char *d = getenv("MLOCKBENCH_STATE_DIR");

	snprintf(buf, len, "%s/tracefs-state", d && *d ? d : "/run/mlockbench");
}

static int write_file(const char *path, const char *text, bool append)
{
	int fd = open(path, O_WRONLY | (append ? O_APPEND : O_TRUNC));
	ssize_t n;
	int ret = 0;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != strlen(text))
		ret = -EIO;
	close(fd);
	return ret;
}

static int state_append(const char *file, const char *fmt, const char *arg)
{
	char line[512];
	int fd, ret = 0;

	snprintf(line, sizeof(line), fmt, arg);
	fd = open(file, O_WRONLY | O_APPEND);
	if (fd < 0)
		return -errno;
	if (write(fd, line, strlen(line)) != (ssize_t)strlen(line))
		ret = -EIO;
	else if (fsync(fd))
		ret = -errno;
	close(fd);
	return ret;
}

static int remove_probe(const char *tracefs, const char *file, const char *event)
{
	char path[512], cmd[128];

	snprintf(path, sizeof(path), "%s/%s", tracefs, file);
	snprintf(cmd, sizeof(cmd), "-:%s\n", event);
	return write_file(path, cmd, true);
}

/* Remove every probe of our group that @file (kprobe_events, uprobe_events) lists. */
static int sweep_file(const char *tracefs, const char *file)
{
	char path[512], line[1024], ev[128];
	int ret = 0, r;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tracefs, file);
	f = fopen(path, "r");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while (fgets(line, sizeof(line), f)) {
		/* "p:group/name sym ..." or "r256:group/name sym ..." */
		char *colon = strchr(line, ':'), *sp;

		if (!colon || strncmp(colon + 1, TRACEFS_KPROBE_GROUP "/",
				      strlen(TRACEFS_KPROBE_GROUP) + 1))
			continue;
		sp = strpbrk(colon + 1, " \t\n");
		if (sp)
			*sp = '\0';
		snprintf(ev, sizeof(ev), "%s", colon + 1);
		r = remove_probe(tracefs, file, ev);
		if (r && !ret)
			ret = r;
	}
	fclose(f);
	return ret;
}

static int sweep_group(const char *tracefs)
{
	int a = sweep_file(tracefs, "kprobe_events"), b = sweep_file(tracefs, "uprobe_events");

	return a ?: b;
}

int tracefs_state_cleanup_file(const char *file, struct errmsg *e)
{
	char line[512], mnt[256] = "", dir[256];
	bool mounted = false;
	int ret = 0, r;
	FILE *f;

	f = fopen(file, "r");
	if (!f)
		return errno == ENOENT ? 0 : errmsg_set(e, -errno, "%s: %s", file,
							strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "tracefs ", 8))
			snprintf(mnt, sizeof(mnt), "%s", line + 8);
		else if (!strncmp(line, "mount ", 6))
			mounted = true;
		else if (!strncmp(line, "probe ", 6) && mnt[0]) {
			char *ev = strchr(line + 6, ' ');

			if (ev) {
				*ev++ = '\0';
				remove_probe(mnt, line + 6, ev);
			}
		}
	}
	fclose(f);
	if (mnt[0]) {
		r = sweep_group(mnt);
		if (r)
			ret = errmsg_set(e, r, "cannot remove stale kprobes of group %s: %s",
					 TRACEFS_KPROBE_GROUP, strerror(-r));
	} else if (!tracefs_find(dir, sizeof(dir), false, NULL, NULL)) {
		sweep_group(dir);
	}
	if (mounted && mnt[0])
		umount2(mnt, 0);	/* busy: someone else uses it now, leave it */
	if (!ret && unlink(file) && errno != ENOENT)
		ret = errmsg_set(e, -errno, "remove %s: %s", file, strerror(errno));
	return ret;
}

static pid_t state_owner(const char *file)
{
	char line[64];
	long pid = 0;
	FILE *f;

	f = fopen(file, "r");
	if (!f)
		return 0;
	if (fgets(line, sizeof(line), f))
		sscanf(line, "pid %ld", &pid);
	fclose(f);
	return pid;
}

/* The state file is made at the first change: runs that change nothing never conflict. */
static int state_claim(struct tracefs_state *s, struct errmsg *e)
{
	char line[320];
	int fd;

	if (s->active)
		return 0;
	if (s->foreign_owner)
		return errmsg_set(e, -EBUSY, "another run (pid %d) is changing tracefs; state in %s",
				  (int)s->foreign_owner, s->file);
	fd = open(s->file, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0 && errno == EEXIST)
		return errmsg_set(e, -EBUSY, "another run is changing tracefs; state in %s",
				  s->file);
	if (fd < 0)
		return errmsg_set(e, -errno, "create %s: %s", s->file, strerror(errno));
	snprintf(line, sizeof(line), "pid %d\ntracefs %s\n", (int)getpid(), s->dir);
	if (write(fd, line, strlen(line)) != (ssize_t)strlen(line) || fsync(fd)) {
		close(fd);
		unlink(s->file);
		return errmsg_set(e, -EIO, "write %s", s->file);
	}
	close(fd);
	s->active = true;
	return 0;
}

int tracefs_state_open(struct tracefs_state *s, struct errmsg *e)
{
	char dirname[256], *slash;
	pid_t owner;
	int ret;

	memset(s, 0, sizeof(*s));
	tracefs_state_path(s->file, sizeof(s->file));
	snprintf(dirname, sizeof(dirname), "%s", s->file);
	slash = strrchr(dirname, '/');
	if (slash)
		*slash = '\0';
	/* an initramfs may have no /run yet */
	slash = strrchr(dirname, '/');
	if (slash && slash != dirname) {
		*slash = '\0';
		mkdir(dirname, 0755);
		*slash = '/';
	}
	if (mkdir(dirname, 0755) && errno != EEXIST)
		return errmsg_set(e, -errno, "mkdir %s: %s", dirname, strerror(errno));

	owner = state_owner(s->file);
	if (owner > 0 && owner != getpid() && (kill(owner, 0) == 0 || errno == EPERM)) {
		s->foreign_owner = owner;	/* alive: leave its changes alone */
	} else if (owner || access(s->file, F_OK) == 0) {
		ret = tracefs_state_cleanup_file(s->file, e);
		if (ret)
			return errmsg_prefix(e, ret, "cleaning up after a killed run");
		s->stale_cleaned = true;
	}

	ret = tracefs_find(s->dir, sizeof(s->dir), false, NULL, NULL);
	if (ret) {
		bool now = false;

		/* record the intent to mount before mounting */
		snprintf(s->dir, sizeof(s->dir), "/sys/kernel/tracing");
		ret = state_claim(s, e);
		if (ret)
			return ret;
		state_append(s->file, "mount %s\n", s->dir);
		ret = tracefs_find(s->dir, sizeof(s->dir), true, &now, e);
		if (ret) {
			tracefs_state_close(s);
			return ret;
		}
		s->mounted = now;
	}
	return 0;
}

int tracefs_state_add_probe(struct tracefs_state *s, const char *file, const char *event,
			    const char *def, struct errmsg *e)
{
	char path[512], rec[160];
	int ret;

	if (s->nkprobes == TRACEFS_STATE_MAX_KPROBES)
		return errmsg_set(e, -ENOSPC, "too many probes");
	snprintf(path, sizeof(path), "%s/%s", s->dir, file);
	if (access(path, W_OK))
		return errmsg_set(e, -EOPNOTSUPP, "no %s (kernel built without %s)", path,
				  !strcmp(file, "kprobe_events") ? "CONFIG_KPROBES" : "it");
	ret = state_claim(s, e);
	if (ret)
		return ret;
	snprintf(rec, sizeof(rec), "%s %s", file, event);
	ret = state_append(s->file, "probe %s\n", rec);
	if (ret)
		return errmsg_set(e, ret, "write %s: %s", s->file, strerror(-ret));
	snprintf(s->kprobes[s->nkprobes++], sizeof(s->kprobes[0]), "%s", rec);
	ret = write_file(path, def, true);
	if (ret)
		return errmsg_set(e, ret, "%s: '%.*s': %s", file, (int)strcspn(def, "\n"),
				  def, strerror(-ret));
	return 0;
}

int tracefs_state_add_kprobe(struct tracefs_state *s, const char *event, const char *def,
			     struct errmsg *e)
{
	return tracefs_state_add_probe(s, "kprobe_events", event, def, e);
}

int tracefs_event_id(const char *tracefs, const char *event, struct errmsg *e)
{
	char path[512];
	int id = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/events/%s/id", tracefs, event);
	f = fopen(path, "r");
	if (!f)
		return errmsg_set(e, -errno, "%s: %s", path, strerror(errno));
	if (fscanf(f, "%d", &id) != 1)
		id = -1;
	fclose(f);
	if (id < 0)
		return errmsg_set(e, -EINVAL, "%s: no id", path);
	return id;
}

void tracefs_state_close(struct tracefs_state *s)
{
	int i;

	if (!s->active)
		return;
	for (i = s->nkprobes - 1; i >= 0; i--) {
		char rec[sizeof(s->kprobes[0])], *ev;

		snprintf(rec, sizeof(rec), "%s", s->kprobes[i]);
		ev = strchr(rec, ' ');
		if (!ev)
			continue;
		*ev++ = '\0';
		remove_probe(s->dir, rec, ev);
	}
	s->nkprobes = 0;
	if (s->mounted)
		umount2(s->dir, 0);
	s->mounted = false;
	unlink(s->file);
	s->active = false;
}
