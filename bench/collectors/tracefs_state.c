// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <tracefs.h>

#include "collectors/tracefs.h"
#include "collectors/tracefs_state.h"

#define PROBE_TYPES (TRACEFS_DYNEVENT_KPROBE | TRACEFS_DYNEVENT_KRETPROBE | \
		     TRACEFS_DYNEVENT_UPROBE | TRACEFS_DYNEVENT_URETPROBE)

/* The dynamic-event files we write, and the events each one holds. */
static const struct {
	const char *file;
	unsigned int types;
} event_files[] = {
	{ "kprobe_events", TRACEFS_DYNEVENT_KPROBE | TRACEFS_DYNEVENT_KRETPROBE },
	{ "uprobe_events", TRACEFS_DYNEVENT_UPROBE | TRACEFS_DYNEVENT_URETPROBE },
	{ "dynamic_events", PROBE_TYPES },
};
#define NEVENT_FILES (sizeof(event_files) / sizeof(event_files[0]))

void tracefs_state_dir(char *buf, size_t len)
{
	const char *d = getenv("MLOCKBENCH_STATE_DIR");

	snprintf(buf, len, "%s", d && *d ? d : "/run/mlockbench");
}

static unsigned int file_types(const char *name)
{
	size_t i;

	for (i = 0; i < NEVENT_FILES; i++)
		if (!strcmp(name, event_files[i].file))
			return event_files[i].types;
	return 0;
}

bool tracefs_state_file_allowed(const char *name)
{
	return file_types(name) != 0;
}

bool tracefs_state_event_allowed(const char *event)
{
	const char *n = event + strlen(TRACEFS_KPROBE_GROUP "/");

	if (strncmp(event, TRACEFS_KPROBE_GROUP "/", strlen(TRACEFS_KPROBE_GROUP "/")) ||
	    !*n || strlen(n) > 64)
		return false;
	return strspn(n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ==
	       strlen(n);
}

unsigned long long tracefs_state_start_time(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long t = 0;
	ssize_t n;
	int fd, i;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* the name may hold spaces and ')': fields restart after the last ')' */
	p = strrchr(buf, ')');
	if (!p)
		return 0;
	/* field 3 (state) follows; start time is field 22 */
	for (i = 3; p && i <= 22; i++)
		p = strchr(p + 1, ' ');
	if (p)
		t = strtoull(p + 1, NULL, 10);
	return t;
}

static void boot_id(char *buf, size_t len)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");

	snprintf(buf, len, "-");
	if (f) {
		if (!fgets(buf, len, f))
			snprintf(buf, len, "-");
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
}

/* "owner PID START BOOTID": live only if the same process of the same boot. */
static pid_t live_owner(const char *line)
{
	char bid[64], mine[64];
	unsigned long long start;
	int pid;

	if (sscanf(line, "owner %d %llu %63s", &pid, &start, bid) != 3 || pid <= 0)
		return 0;
	boot_id(mine, sizeof(mine));
	if (strcmp(bid, mine) || !start || tracefs_state_start_time(pid) != start)
		return 0;
	return pid;
}

/*
 * The journal's folder: ours and writable by no one else, made 0700.  A
 * root-owned 0755 folder (older versions made it so) is safe to tighten.
 */
static int open_statedir(struct tracefs_state *s, struct errmsg *e)
{
	char parent[256], *slash;
	struct stat st;

	tracefs_state_dir(s->statedir, sizeof(s->statedir));
	/* an initramfs may have no /run yet */
	snprintf(parent, sizeof(parent), "%s", s->statedir);
	slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		mkdir(parent, 0755);
	}
	if (mkdir(s->statedir, 0700) && errno != EEXIST)
		return errmsg_set(e, -errno, "mkdir %s: %s", s->statedir, strerror(errno));
	s->dfd = open(s->statedir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (s->dfd < 0)
		return errmsg_set(e, -errno, "%s: %s", s->statedir, strerror(errno));
	if (fstat(s->dfd, &st) || st.st_uid != geteuid() || (st.st_mode & 022)) {
		snprintf(s->note, sizeof(s->note),
			 "%s is not a folder only we can write (uid %u, mode %04o): "
			 "its journal is ignored; remove it", s->statedir,
			 (unsigned int)st.st_uid, (unsigned int)(st.st_mode & 07777));
		return 0;
	}
	if ((st.st_mode & 07777) != 0700 && fchmod(s->dfd, 0700))
		return errmsg_set(e, -errno, "chmod %s: %s", s->statedir, strerror(errno));
	s->dir_trusted = true;
	return 0;
}

/* The journal, if it is a file we wrote: regular, ours, 0600, one link. */
static FILE *journal_open(struct tracefs_state *s, bool *refused)
{
	struct stat st;
	FILE *f;
	int fd;

	*refused = false;
	fd = openat(s->dfd, TRACEFS_STATE_FILE, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		*refused = errno != ENOENT;
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 07777) != 0600 || st.st_nlink != 1) {
		close(fd);
		*refused = true;
		return NULL;
	}
	f = fdopen(fd, "r");
	if (!f)
		close(fd);
	return f;
}

/* Remove our group's event @name of a type held by @file; -errno. */
static int remove_event(const char *file, const char *name)
{
	struct tracefs_dynevent *dev;
	int ret = 0;

	dev = tracefs_dynevent_get(file_types(file), TRACEFS_KPROBE_GROUP, name);
	if (!dev) {
		/* tracefs_dynevent_get() takes one type: try each */
		unsigned int t, types = file_types(file);

		for (t = 1; t < TRACEFS_DYNEVENT_MAX && !dev; t <<= 1)
			if (types & t)
				dev = tracefs_dynevent_get(t, TRACEFS_KPROBE_GROUP, name);
	}
	if (!dev)
		return 0;	/* already gone */
	if (tracefs_dynevent_destroy(dev, false))
		ret = errno ? -errno : -EIO;
	tracefs_dynevent_free(dev);
	return ret;
}

/* Best effort: every probe of our group, recorded or not. */
static void sweep_group(void)
{
	struct tracefs_dynevent **all;
	int i;

	all = tracefs_dynevent_get_all(PROBE_TYPES, TRACEFS_KPROBE_GROUP);
	for (i = 0; all && all[i]; i++)
		tracefs_dynevent_destroy(all[i], false);
	tracefs_dynevent_list_free(all);
}

static bool tracefs_mounted(void)
{
	const char *p = NULL;

	return tracefs_tracing_dir_is_mounted(false, &p) == 1;
}

/* A tracing mount point named by the journal, opened; -1 if it is not one. */
static int open_tracing(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd >= 0 && !tracefs_fd_is_tracing(fd)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

struct undo {
	int tfd;		/* the journal's tracing folder, -1: none or refused */
	char tdir[256];
	bool umount;
	char refused[160];	/* the first line refused */
	char failed_ev[96], failed_file[32];
	int failed;
};

static void undo_line(struct undo *u, char *line)
{
	char *ev;

	if (!strncmp(line, "tracefs ", 8)) {
		if (u->tfd >= 0)
			close(u->tfd);
		snprintf(u->tdir, sizeof(u->tdir), "%s", line + 8);
		u->tfd = open_tracing(u->tdir);
		if (u->tfd < 0 && !u->refused[0])
			snprintf(u->refused, sizeof(u->refused), "%.100s is not a tracing mount",
				 u->tdir);
	} else if (!strncmp(line, "mount ", 6)) {
		/* we mount only at one place, and unmount only a tracing mount */
		u->umount = !strcmp(line + 6, TRACEFS_MOUNT_POINT);
	} else if (!strncmp(line, "probe ", 6) && (ev = strchr(line + 6, ' '))) {
		*ev++ = '\0';
		if (u->tfd < 0)
			return;
		if (!tracefs_state_file_allowed(line + 6) || !tracefs_state_event_allowed(ev) ||
		    faccessat(u->tfd, line + 6, F_OK, AT_SYMLINK_NOFOLLOW)) {
			if (!u->refused[0])
				snprintf(u->refused, sizeof(u->refused), "probe %.40s %.60s",
					 line + 6, ev);
			return;
		}
		if (!tracefs_mounted())
			return;	/* events die with the mount... or were never made */
		u->failed = remove_event(line + 6, ev + strlen(TRACEFS_KPROBE_GROUP "/")) ?:
			    0;
		if (u->failed) {
			snprintf(u->failed_ev, sizeof(u->failed_ev), "%s", ev);
			snprintf(u->failed_file, sizeof(u->failed_file), "%s", line + 6);
		}
	}
}

/* Undo what a dead run's trusted journal @f records, then remove the journal. */
static int undo_journal(struct tracefs_state *s, FILE *f, struct errmsg *e)
{
	struct undo u = { .tfd = -1 };
	char line[512];
	int tfd, ret = 0;

	while (fgets(line, sizeof(line), f) && !u.failed) {
		line[strcspn(line, "\n")] = '\0';
		undo_line(&u, line);
	}
	fclose(f);
	if (u.tfd >= 0)
		close(u.tfd);
	if (tracefs_mounted())
		sweep_group();
	if (u.umount && !u.failed && (tfd = open_tracing(TRACEFS_MOUNT_POINT)) >= 0) {
		close(tfd);
		umount2(TRACEFS_MOUNT_POINT, UMOUNT_NOFOLLOW);	/* busy: in use now, leave it */
	}
	if (u.refused[0])
		snprintf(s->note, sizeof(s->note), "ignored in %s/" TRACEFS_STATE_FILE ": %s",
			 s->statedir, u.refused);
	if (u.failed) {
		/* moved aside, so that it does not block every later run */
		renameat(s->dfd, TRACEFS_STATE_FILE, s->dfd, TRACEFS_STATE_FILE ".failed");
		return errmsg_set(e, u.failed,
				  "cannot remove %s left by a killed run (%s); once nothing "
				  "uses it: echo '-:%s' >> %s/%s (journal moved to %s/"
				  TRACEFS_STATE_FILE ".failed)", u.failed_ev, strerror(-u.failed),
				  u.failed_ev, u.tdir, u.failed_file, s->statedir);
	}
	if (unlinkat(s->dfd, TRACEFS_STATE_FILE, 0) && errno != ENOENT)
		ret = errmsg_set(e, -errno, "remove %s/" TRACEFS_STATE_FILE ": %s", s->statedir,
				 strerror(errno));
	return ret;
}

/* Look at a journal left behind: a live owner's, a dead run's, or not ours. */
static int check_journal(struct tracefs_state *s, struct errmsg *e)
{
	char line[256] = "";
	bool refused;
	FILE *f;
	pid_t owner;
	int ret;

	if (!s->dir_trusted) {
		if (tracefs_mounted())
			sweep_group();
		return 0;
	}
	f = journal_open(s, &refused);
	if (refused) {
		/* not a file we wrote: never act on what it says */
		snprintf(s->note, sizeof(s->note), "%s/" TRACEFS_STATE_FILE " is not a journal "
			 "this tool wrote (not ours, 0600, a plain file): moved to "
			 TRACEFS_STATE_FILE ".refused", s->statedir);
		renameat(s->dfd, TRACEFS_STATE_FILE, s->dfd, TRACEFS_STATE_FILE ".refused");
		if (tracefs_mounted())
			sweep_group();
		return 0;
	}
	if (!f)
		return 0;
	owner = 0;
	while (!owner && fgets(line, sizeof(line), f))
		owner = live_owner(line);
	if (owner && owner != getpid()) {
		fclose(f);
		s->foreign_owner = owner;	/* alive: leave its changes alone */
		return 0;
	}
	rewind(f);
	ret = undo_journal(s, f, e);
	if (!ret)
		s->stale_cleaned = true;
	return ret;
}

static int state_append(struct tracefs_state *s, const char *text)
{
	int fd, ret = 0;

	fd = openat(s->dfd, TRACEFS_STATE_FILE, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		ret = -EIO;
	else if (fsync(fd))
		ret = -errno;
	close(fd);
	return ret;
}

/* The journal is made at the first change: runs that change nothing never conflict. */
static int state_claim(struct tracefs_state *s, struct errmsg *e)
{
	char line[400], bid[64];
	int fd;

	if (s->active)
		return 0;
	if (!s->dir_trusted)
		return errmsg_set(e, -EPERM, "%s", s->note);
	if (s->foreign_owner)
		return errmsg_set(e, -EBUSY, "another run (pid %d) is changing tracefs; "
				  "journal in %s", (int)s->foreign_owner, s->statedir);
	fd = openat(s->dfd, TRACEFS_STATE_FILE,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 && errno == EEXIST)
		return errmsg_set(e, -EBUSY, "another run is changing tracefs; journal in %s",
				  s->statedir);
	if (fd < 0)
		return errmsg_set(e, -errno, "create %s/" TRACEFS_STATE_FILE ": %s", s->statedir,
				  strerror(errno));
	boot_id(bid, sizeof(bid));
	snprintf(line, sizeof(line), "owner %d %llu %s\ntracefs %s\n", (int)getpid(),
		 tracefs_state_start_time(getpid()), bid, s->dir);
	if (fchmod(fd, 0600) || write(fd, line, strlen(line)) != (ssize_t)strlen(line) ||
	    fsync(fd)) {
		close(fd);
		unlinkat(s->dfd, TRACEFS_STATE_FILE, 0);
		return errmsg_set(e, -EIO, "write %s/" TRACEFS_STATE_FILE, s->statedir);
	}
	close(fd);
	s->active = true;
	return 0;
}

int tracefs_state_open(struct tracefs_state *s, struct errmsg *e)
{
	int ret;

	memset(s, 0, sizeof(*s));
	s->dfd = -1;
	ret = open_statedir(s, e);
	if (!ret)
		ret = check_journal(s, e);
	if (ret) {
		tracefs_state_close(s);
		return ret;
	}
	ret = tracefs_find(s->dir, sizeof(s->dir), false, NULL, NULL);
	if (ret) {
		bool now = false;

		/* record the intent to mount before mounting */
		snprintf(s->dir, sizeof(s->dir), TRACEFS_MOUNT_POINT);
		ret = state_claim(s, e);
		if (!ret && state_append(s, "mount " TRACEFS_MOUNT_POINT "\n"))
			ret = errmsg_set(e, -EIO, "write %s/" TRACEFS_STATE_FILE, s->statedir);
		if (!ret)
			ret = tracefs_find(s->dir, sizeof(s->dir), true, &now, e);
		s->mounted = now;
		if (ret) {
			tracefs_state_close(s);
			return ret;
		}
	}
	return 0;
}

static const char *type_file(enum tracefs_dynevent_type t)
{
	if (t & (TRACEFS_DYNEVENT_KPROBE | TRACEFS_DYNEVENT_KRETPROBE))
		return "kprobe_events";
	if (t & (TRACEFS_DYNEVENT_UPROBE | TRACEFS_DYNEVENT_URETPROBE))
		return "uprobe_events";
	return NULL;
}

/* Check that @file exists, claim the journal and record the probe before it is made. */
static int record_probe(struct tracefs_state *s, const char *file, const char *ev,
			struct errmsg *e)
{
	char path[512], rec[256];
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
	snprintf(rec, sizeof(rec), "probe %s " TRACEFS_KPROBE_GROUP "/%s\n", file, ev);
	ret = state_append(s, rec);
	if (ret)
		return errmsg_set(e, ret, "write %s/" TRACEFS_STATE_FILE ": %s", s->statedir,
				  strerror(-ret));
	return 0;
}

int tracefs_state_add_dynevent(struct tracefs_state *s, struct tracefs_dynevent *dev,
			       struct errmsg *e)
{
	char *sys = NULL, *ev = NULL, *addr = NULL, *fmt = NULL;
	const char *file;
	int ret;

	if (!dev)
		return errmsg_set(e, -ENOMEM, "cannot allocate a dynamic event");
	file = type_file(tracefs_dynevent_info(dev, &sys, &ev, NULL, &addr, &fmt));
	if (!file || !sys || strcmp(sys, TRACEFS_KPROBE_GROUP) ||
	    !ev) {
		ret = errmsg_set(e, -EINVAL, "not a probe of group " TRACEFS_KPROBE_GROUP);
		goto out;
	}
	ret = record_probe(s, file, ev, e);
	if (ret)
		goto out;
	errno = 0;
	if (tracefs_dynevent_create(dev)) {
		ret = errno ? -errno : -EINVAL;
		errmsg_set(e, ret, "%s: '%s/%s %s %s': %s", file, sys, ev, addr ? addr : "",
			   fmt ? fmt : "", strerror(-ret));
		goto out;
	}
	s->kprobes[s->nkprobes++] = dev;
	dev = NULL;
out:
	tracefs_dynevent_free(dev);
	free(sys);
	free(ev);
	free(addr);
	free(fmt);
	return ret;
}

int tracefs_state_add_kretprobe(struct tracefs_state *s, const char *event, const char *addr,
				unsigned int maxactive, struct errmsg *e)
{
	char def[256];
	int ret;

	snprintf(def, sizeof(def), TRACEFS_KPROBE_GROUP "/%s", event);
	if (!tracefs_state_event_allowed(def) || strpbrk(addr, " \t\n"))
		return errmsg_set(e, -EINVAL, "bad kretprobe %s at '%s'", event, addr);
	ret = record_probe(s, "kprobe_events", event, e);
	if (ret)
		return ret;
	/*
	 * libtracefs 1.6 writes "r1024::group/event" (two colons) for a
	 * kretprobe with a maxactive, which the kernel refuses: the line is
	 * written through the library's file API, the probe then taken back
	 * from the library for removal.
	 */
	snprintf(def, sizeof(def), "r%u:" TRACEFS_KPROBE_GROUP "/%s %s\n", maxactive, event, addr);
	errno = 0;
	if (tracefs_instance_file_append(NULL, "kprobe_events", def) < 0) {
		ret = errno ? -errno : -EINVAL;
		return errmsg_set(e, ret, "kprobe_events: '%.*s': %s", (int)strcspn(def, "\n"),
				  def, strerror(-ret));
	}
	s->kprobes[s->nkprobes] = tracefs_dynevent_get(TRACEFS_DYNEVENT_KRETPROBE,
						       TRACEFS_KPROBE_GROUP, event);
	if (!s->kprobes[s->nkprobes])
		return errmsg_set(e, -ENOENT, "kretprobe %s made but not listed", event);
	s->nkprobes++;
	return 0;
}

void tracefs_state_close(struct tracefs_state *s)
{
	int i;

	for (i = s->nkprobes - 1; i >= 0; i--) {
		tracefs_dynevent_destroy(s->kprobes[i], false);
		tracefs_dynevent_free(s->kprobes[i]);
	}
	s->nkprobes = 0;
	if (s->mounted)
		umount2(s->dir, UMOUNT_NOFOLLOW);
	s->mounted = false;
	if (s->active)
		unlinkat(s->dfd, TRACEFS_STATE_FILE, 0);
	s->active = false;
	if (s->dfd >= 0)
		close(s->dfd);
	s->dfd = -1;
}
