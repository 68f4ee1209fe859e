// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "sysinfo/sysinfo.h"
#include "vm/initramfs.h"
#include "common/run_command.h"
#include "probes/exec_target.h"

int cpio_open(struct cpio_writer *w, const char *path, struct errmsg *e)
{
	int fd;

	memset(w, 0, sizeof(*w));
	/* a new file, never one planted in its place: what is there is replaced */
	if (unlink(path) && errno != ENOENT)
		return errmsg_set(e, -errno, "cannot replace %s: %s", path, strerror(errno));
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	w->f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!w->f) {
		if (fd >= 0)
			close(fd);
		return errmsg_set(e, -errno, "cannot create %s: %s", path, strerror(errno));
	}
	w->ino = 300000;
	return 0;
}

static const char *rel(const char *path)
{
	while (*path == '/')
		path++;
	return path;
}

static void pad4(struct cpio_writer *w)
{
	while (w->off & 3) {
		fputc(0, w->f);
		w->off++;
	}
}

static int header(struct cpio_writer *w, const char *name, unsigned int mode, size_t size,
		  unsigned int rmaj, unsigned int rmin)
{
	size_t nl = strlen(name) + 1;
	int n;

	n = fprintf(w->f, "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
		    w->ino++, mode, 0, 0, (mode & S_IFMT) == S_IFDIR ? 2 : 1, 0, size, 0, 0,
		    rmaj, rmin, nl, 0);
	if (n != 110)
		return w->err = -EIO;
	w->off += 110;
	fwrite(name, 1, nl, w->f);
	w->off += nl;
	pad4(w);
	return ferror(w->f) ? (w->err = -EIO) : 0;
}

static bool dir_seen(struct cpio_writer *w, const char *p)
{
	for (size_t i = 0; i < w->ndirs; i++)
		if (!strcmp(w->dirs[i], p))
			return true;
	return false;
}

static int parents(struct cpio_writer *w, const char *path)
{
	char buf[1024], *s;

	snprintf(buf, sizeof(buf), "%s", rel(path));
	for (s = strchr(buf, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (*buf && !dir_seen(w, buf)) {
			int err = cpio_add_dir(w, buf, 0755);

			if (err)
				return err;
		}
		*s = '/';
	}
	return 0;
}

int cpio_add_dir(struct cpio_writer *w, const char *path, unsigned int mode)
{
	char **nd;
	int err;

	path = rel(path);
	if (dir_seen(w, path))
		return 0;
	err = parents(w, path);
	if (err)
		return err;
	nd = realloc(w->dirs, (w->ndirs + 1) * sizeof(*nd));
	if (!nd)
		return w->err = -ENOMEM;
	w->dirs = nd;
	w->dirs[w->ndirs] = strdup(path);
	if (!w->dirs[w->ndirs])
		return w->err = -ENOMEM;
	w->ndirs++;
	return header(w, path, S_IFDIR | mode, 0, 0, 0);
}

int cpio_add_data(struct cpio_writer *w, const char *path, unsigned int mode,
		  const void *data, size_t len)
{
	int err = parents(w, path);

	if (!err)
		err = header(w, rel(path), S_IFREG | mode, len, 0, 0);
	if (err)
		return err;
	if (len && fwrite(data, 1, len, w->f) != len)
		return w->err = -EIO;
	w->off += len;
	pad4(w);
	return 0;
}

int cpio_add_file(struct cpio_writer *w, const char *path, const char *src, struct errmsg *e)
{
	struct stat st;
	void *map = NULL;
	int fd, err;

	fd = open(src, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errmsg_set(e, -errno, "cannot read %s: %s", src, strerror(errno));
	if (fstat(fd, &st)) {
		err = -errno;
		close(fd);
		return errmsg_set(e, err, "cannot stat %s", src);
	}
	if (st.st_size) {
		map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED) {
			err = -errno;
			close(fd);
			return errmsg_set(e, err, "cannot map %s", src);
		}
	}
	close(fd);
	err = cpio_add_data(w, path, st.st_mode & 07777, map, st.st_size);
	if (map)
		munmap(map, st.st_size);
	if (err)
		return errmsg_set(e, err, "cannot write %s into the archive", path);
	return 0;
}

int cpio_add_symlink(struct cpio_writer *w, const char *path, const char *target)
{
	int err = parents(w, path);
	size_t len = strlen(target);

	if (!err)
		err = header(w, rel(path), S_IFLNK | 0777, len, 0, 0);
	if (err)
		return err;
	fwrite(target, 1, len, w->f);
	w->off += len;
	pad4(w);
	return ferror(w->f) ? (w->err = -EIO) : 0;
}

int cpio_add_node(struct cpio_writer *w, const char *path, unsigned int mode,
		  unsigned int major, unsigned int minor)
{
	int err = parents(w, path);

	if (!err)
		err = header(w, rel(path), mode, 0, major, minor);
	return err;
}

int cpio_add_tree(struct cpio_writer *w, const char *path, const char *src, struct errmsg *e)
{
	DIR *d = opendir(src);
	struct dirent *de;
	int err;

	if (!d)
		return errmsg_set(e, -errno, "cannot open %s: %s", src, strerror(errno));
	err = cpio_add_dir(w, path, 0755);
	while (!err && (de = readdir(d))) {
		char s[1024], p[1024];
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(s, sizeof(s), "%s/%s", src, de->d_name);
		snprintf(p, sizeof(p), "%s/%s", path, de->d_name);
		if (lstat(s, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			err = cpio_add_tree(w, p, s, e);
		} else if (S_ISLNK(st.st_mode)) {
			char t[1024];
			ssize_t n = readlink(s, t, sizeof(t) - 1);

			if (n > 0) {
				t[n] = '\0';
				err = cpio_add_symlink(w, p, t);
			}
		} else if (S_ISREG(st.st_mode)) {
			err = cpio_add_file(w, p, s, e);
		}
	}
	closedir(d);
	if (err && !e->buf[0])
		errmsg_set(e, err, "cannot add %s", src);
	return err;
}

int cpio_close(struct cpio_writer *w, struct errmsg *e)
{
	int err = w->err;

	if (!err)
		err = header(w, "TRAILER!!!", 0, 0, 0, 0);
	/* round the archive to 512 bytes like cpio(1) */
	while (!err && (w->off & 511)) {
		fputc(0, w->f);
		w->off++;
	}
	if (fclose(w->f) && !err)
		err = -EIO;
	for (size_t i = 0; i < w->ndirs; i++)
		free(w->dirs[i]);
	free(w->dirs);
	w->dirs = NULL;
	w->f = NULL;
	if (err)
		return errmsg_set(e, err, "cannot write the archive: %s", strerror(-err));
	return 0;
}

static unsigned long hex8(const char *p)
{
	char b[9];

	memcpy(b, p, 8);
	b[8] = '\0';
	return strtoul(b, NULL, 16);
}

int cpio_list(const char *path, cpio_cb cb, void *arg, struct errmsg *e)
{
	struct stat st;
	const char *buf;
	size_t off = 0;
	int fd, err = 0;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return errmsg_set(e, -errno, "cannot open %s: %s", path, strerror(errno));
	if (fstat(fd, &st) || st.st_size < 110) {
		close(fd);
		return errmsg_set(e, -EINVAL, "%s: not a cpio archive", path);
	}
	buf = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (buf == MAP_FAILED)
		return errmsg_set(e, -errno, "cannot map %s", path);
	for (;;) {
		struct cpio_entry ent;
		size_t nsz, fsz;

		if (off + 110 > (size_t)st.st_size || memcmp(buf + off, "070701", 6)) {
			err = errmsg_set(e, -EINVAL, "%s: bad header at %zu", path, off);
			break;
		}
		ent.mode = hex8(buf + off + 14);
		fsz = hex8(buf + off + 54);
		nsz = hex8(buf + off + 94);
		if (off + 110 + nsz > (size_t)st.st_size || !nsz) {
			err = errmsg_set(e, -EINVAL, "%s: truncated at %zu", path, off);
			break;
		}
		ent.name = buf + off + 110;
		if (ent.name[nsz - 1]) {
			err = errmsg_set(e, -EINVAL, "%s: bad name at %zu", path, off);
			break;
		}
		off = (off + 110 + nsz + 3) & ~(size_t)3;
		if (off + fsz > (size_t)st.st_size) {
			err = errmsg_set(e, -EINVAL, "%s: truncated data at %zu", path, off);
			break;
		}
		ent.data = buf + off;
		ent.len = fsz;
		off = (off + fsz + 3) & ~(size_t)3;
		if (!strcmp(ent.name, "TRAILER!!!"))
			break;
		err = cb(arg, &ent);
		if (err)
			break;
	}
	munmap((void *)buf, st.st_size);
	return err;
}

int ldd_parse(const char *out, struct ldd_list *l, struct errmsg *e)
{
	const char *p = out;

	l->n = 0;
	while (*p) {
		const char *nl = strchrnul(p, '\n');
		char line[1024], *arrow, *path, *sp;

		snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
		p = *nl ? nl + 1 : nl;
		if (strstr(line, "not found"))
			return errmsg_set(e, -ENOENT, "ldd: %s", line + strspn(line, " \t"));
		arrow = strstr(line, "=> ");
		path = arrow ? arrow + 3 : line + strspn(line, " \t");
		if (*path != '/')
			continue;	/* linux-vdso.so.1, "statically linked" */
		sp = strchr(path, ' ');
		if (sp)
			*sp = '\0';
		if (l->n >= LDD_MAX)
			return errmsg_set(e, -E2BIG, "ldd: too many libraries");
		snprintf(l->path[l->n++], sizeof(l->path[0]), "%s", path);
	}
	if (!l->n)
		return errmsg_set(e, -ENOENT, "ldd listed no libraries (static binary?)");
	return 0;
}

int ldd_run(const char *binary, struct ldd_list *l, struct errmsg *e)
{
	const char *argv[] = { "ldd", binary, NULL };
	struct child_process cp = CHILD_PROCESS_INIT;
	int err;

	cp.argv = argv;
	cp.capture_out = true;
	cp.quiet = true;
	cp.timeout_ms = 30000;
	err = run_command(&cp, e);
	if (!err)
		err = ldd_parse(cp.out, l, e);
	child_release(&cp);
	return err;
}

/* "sym1|sym2|...": symbol names are [A-Za-z0-9_], nothing to quote in a regex */
static void fingerprint_regex(char *buf, size_t len)
{
	size_t off = 0;
	const char *sym;

	buf[0] = '\0';
	for (size_t i = 0; (sym = design_fingerprint(i)) && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? "|" : "", sym);
}

char *initramfs_init_script(const struct initramfs_spec *s)
{
	const char *id = s->kernel_id ? s->kernel_id : "guest";
	char fingerprints[1024];
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fingerprint_regex(fingerprints, sizeof(fingerprints));
	fprintf(f,
		"#!/bin/sh\n"
		"# mlockbench guest init (generated): mount, run the job, ship results, power off\n"
		"/bin/busybox --install -s /bin\n"
		"export PATH=/bin:/sbin LD_LIBRARY_PATH=/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu\n"
		"mkdir -p /proc /sys /dev /tmp /run /results\n"
		"mount -t proc proc /proc\n"
		"mount -t sysfs sysfs /sys\n"
		"mount -t devtmpfs devtmpfs /dev\n"
		"mount -t tmpfs -o mode=1777 tmpfs /tmp\n"
		"mkdir -p /dev/shm && mount -t tmpfs -o mode=1777 tmpfs /dev/shm\n"
		"mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null\n"
		"mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null\n"
		"ulimit -l unlimited\n"
		"echo " INITRAMFS_BOOT_MARKER " $(cut -d' ' -f1 /proc/uptime)\n");
	if (s->probe) {
		fprintf(f, "poweroff -f\n");
		fclose(f);
		return buf;
	}
	fprintf(f,
		"OUT=/results/%s EXTRA=/results/extra\n"
		"mkdir -p $EXTRA\n"
		"uname -a > $EXTRA/guest-uname.txt\n"
		"[ -d /lib/modules ] && find /lib/modules -type f > $EXTRA/guest-modules.txt\n"
		/* the design fingerprints (sysinfo's table): the host decides from them */
		"grep -E ' (%s)(\\.|$)' /proc/kallsyms > $EXTRA/design-symbols.txt\n"
		"mlockbench info --json > $EXTRA/guest-info.json 2> $EXTRA/guest-info.err\n"
		"echo MLB-RUN-START $(cut -d' ' -f1 /proc/uptime)\n"
		/* tee would hide run's status: the group records it */
		"{ mlockbench run --job /job.ini --out $OUT; echo $? > /tmp/rc; } 2>&1 | tee $EXTRA/guest-run.log\n"
		"rc=$(cat /tmp/rc 2>/dev/null)\n"
		"echo MLB-RUN-END status=${rc:-255} $(cut -d' ' -f1 /proc/uptime)\n"
		"dmesg > $EXTRA/guest-dmesg.txt\n"
		"mlockbench ship --port /dev/ttyS%u --status ${rc:-255} $OUT $EXTRA\n"
		"echo MLB-SHIPPED $? $(cut -d' ' -f1 /proc/uptime)\n"
		"poweroff -f\n",
		id, fingerprints, s->ship_port ? s->ship_port : 1);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int add_data_files(struct cpio_writer *w, const char *dir, struct errmsg *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int err = 0;

	if (!d)
		return 0;
	while (!err && (de = readdir(d))) {
		char p[1024];
		size_t l = strlen(de->d_name);
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (stat(p, &st))
			continue;
		if (S_ISDIR(st.st_mode))
			err = add_data_files(w, p, e);
		else if (l > 4 && !strcmp(de->d_name + l - 4, ".tsv"))
			err = cpio_add_file(w, p, p, e);
	}
	closedir(d);
	return err;
}

int initramfs_build(const struct initramfs_spec *s, const char *out, struct errmsg *e)
{
	const char *busybox = s->busybox ? s->busybox : "/bin/busybox";
	struct cpio_writer w;
	struct ldd_list libs;
	char *init;
	int err;

	if (access(busybox, X_OK))
		return errmsg_set(e, -ENOENT, "no static busybox at %s (install busybox-static)",
				  busybox);
	if (!s->probe) {
		err = ldd_run(s->binary, &libs, e);
		if (err)
			return errmsg_prefix(e, err, "%s", s->binary);
	}
	init = initramfs_init_script(s);
	if (!init)
		return errmsg_set(e, -ENOMEM, "out of memory");
	err = cpio_open(&w, out, e);
	if (err) {
		free(init);
		return err;
	}
	cpio_add_dir(&w, "dev", 0755);
	cpio_add_node(&w, "dev/console", S_IFCHR | 0600, 5, 1);
	cpio_add_dir(&w, "proc", 0755);
	cpio_add_dir(&w, "sys", 0755);
	cpio_add_dir(&w, "tmp", 01777);
	cpio_add_dir(&w, "results", 0755);
	cpio_add_dir(&w, "lib64", 0755);
	cpio_add_data(&w, "init", 0755, init, strlen(init));
	free(init);
	err = cpio_add_file(&w, "bin/busybox", busybox, e);
	if (!err)
		err = cpio_add_symlink(&w, "bin/sh", "busybox");
	if (!err && !s->probe) {
		err = cpio_add_file(&w, "bin/mlockbench", s->binary, e);
		/* found beside /proc/self/exe, as natively */
		if (!err && s->exec_target)
			err = cpio_add_file(&w, "bin/" MLB_EXEC_TARGET_NAME, s->exec_target, e);
		for (size_t i = 0; !err && i < libs.n; i++)
			err = cpio_add_file(&w, libs.path[i], libs.path[i], e);
		if (!err && s->job_text)
			err = cpio_add_data(&w, "job.ini", 0644, s->job_text, strlen(s->job_text));
		if (!err && s->data_root) {
			char p[1024];

			snprintf(p, sizeof(p), "%s/bench", s->data_root);
			err = add_data_files(&w, p, e);
		}
		if (!err && s->modules && *s->modules) {
			char dst[1024], tmp[1024];

			snprintf(tmp, sizeof(tmp), "%s", s->modules);
			snprintf(dst, sizeof(dst), "lib/modules/%s", basename(tmp));
			err = cpio_add_tree(&w, dst, s->modules, e);
		}
	}
	if (err) {
		cpio_close(&w, NULL);
		unlink(out);
		return err;
	}
	err = cpio_close(&w, e);
	if (err)
		unlink(out);
	return err;
}
