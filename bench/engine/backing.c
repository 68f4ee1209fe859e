// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "engine/backing.h"

#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 0x01
#endif

static bool kind_is_anon(enum backing_kind k)
{
	return k == BACKING_ANON_COW || k == BACKING_THP_ANON;
}

static int open_file(const struct job *j, struct errmsg *e)
{
	char path[PATH_MAX];
	int fd;

	if (j->backing != BACKING_FILE) {
		fd = memfd_create("mlockbench", MFD_CLOEXEC);
		if (fd < 0)
			return errmsg_set(e, -errno, "memfd_create: %s", strerror(errno));
		return fd;
	}
	fd = open(j->backing_dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	/* filesystems without O_TMPFILE: create and unlink at once */
	snprintf(path, sizeof(path), "%s/mlockbench.XXXXXX", j->backing_dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return errmsg_set(e, -errno, "cannot create a file in %s: %s", j->backing_dir,
				  strerror(errno));
	unlink(path);
	return fd;
}

/* Checked between chunks: filling gigabytes takes seconds. */
#define FILL_CHUNK ((size_t)1 << 20)

static bool stopped(const volatile sig_atomic_t *stop)
{
	return stop && *stop;
}

/* Write every page so the file is fully in the page cache / shmem. */
static int populate_fd(int fd, size_t len, const volatile sig_atomic_t *stop,
		       struct errmsg *e)
{
	size_t chunk = FILL_CHUNK, off;
	char *buf;
	ssize_t n;

	if (ftruncate(fd, len))
		return errmsg_set(e, -errno, "ftruncate: %s", strerror(errno));
	buf = malloc(chunk);
	if (!buf)
		return -ENOMEM;
	memset(buf, 0x5a, chunk);
	for (off = 0; off < len; off += n) {
		if (stopped(stop)) {
			free(buf);
			return -EINTR;
		}
		n = pwrite(fd, buf, len - off < chunk ? len - off : chunk, off);
		if (n < 0 && errno == EINTR) {
			n = 0;	/* a signal: the flag says whether to go on */
		} else if (n <= 0) {
			free(buf);
			return errmsg_set(e, n < 0 ? -errno : -EIO, "populating the file: %s",
					  strerror(n < 0 ? errno : EIO));
		}
	}
	free(buf);
	return 0;
}

/*
 * @len bytes at a multiple of @align: map @align more, unmap both ends.
 * @fd < 0: private anonymous memory; else the file, shared, over a
 * reservation taken first (MAP_FIXED only replaces our own mapping).
 */
static void *map_aligned(size_t len, size_t align, int prot, int flags, int fd)
{
	size_t head;
	char *p, *a;

	p = mmap(NULL, len + align, fd < 0 ? prot : PROT_NONE,
		 fd < 0 ? flags : MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return MAP_FAILED;
	a = (char *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
	head = a - p;
	if (fd >= 0 && mmap(a, len, prot, flags | MAP_FIXED, fd, 0) == MAP_FAILED) {
		int err = errno;

		munmap(p, len + align);
		errno = err;
		return MAP_FAILED;
	}
	if (head)
		munmap(p, head);
	if (align - head)
		munmap(a + len, align - head);
	return a;
}

int backing_create(struct backing *b, const struct job *j, size_t len,
		   const struct lock_range *r, const volatile sig_atomic_t *stop,
		   struct errmsg *e)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t i;
	int ret;

	memset(b, 0, sizeof(*b));
	b->kind = j->backing;
	b->len = len;
	b->fd = -1;
	b->align = r->whole ? 0 : r->align;
	b->lock_off = r->off;
	b->lock_len = r->len;
	if (kind_is_anon(b->kind)) {
		b->anon = b->align ? map_aligned(len, b->align, PROT_READ | PROT_WRITE,
						 MAP_PRIVATE | MAP_ANONYMOUS, -1)
				   : mmap(NULL, len, PROT_READ | PROT_WRITE,
					  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (b->anon == MAP_FAILED) {
			b->anon = NULL;
			return errmsg_set(e, -errno, "mmap anon %zu bytes: %s", len,
					  strerror(errno));
		}
		if (backing_is_thp(b->kind))
			madvise(b->anon, len, MADV_HUGEPAGE);
		for (i = 0; i < len; i += page) {
			if (i % FILL_CHUNK == 0 && stopped(stop)) {
				backing_destroy(b);
				return -EINTR;
			}
			((volatile char *)b->anon)[i] = 1;
		}
		return 0;
	}
	b->fd = open_file(j, e);
	if (b->fd < 0)
		return b->fd;
	ret = populate_fd(b->fd, len, stop, e);
	if (ret) {
		backing_destroy(b);
		return ret;
	}
	return 0;
}

void backing_destroy(struct backing *b)
{
	if (b->anon)
		munmap(b->anon, b->len);
	if (b->fd >= 0)
		close(b->fd);
	b->anon = NULL;
	b->fd = -1;
}

/* File mappings only: the anon area is read-only whatever @prot (job_validate refuses ro). */
static int map_area(const struct backing *b, enum prot_mode prot, int extra_flags,
		    struct locker_area *a, const char **step)
{
	int pr = prot == PROT_MODE_RO ? PROT_READ : PROT_READ | PROT_WRITE;

	a->len = b->len;
	if (kind_is_anon(b->kind)) {
		a->addr = b->anon;
		/*
		 * Read-only keeps the pages shared COW with the parent and the
		 * other lockers: mlock of a writable private area would break
		 * COW and lock private copies.
		 */
		if (mprotect(a->addr, a->len, PROT_READ)) {
			*step = "mprotect";
			return -errno;
		}
		return 0;
	}
	a->addr = b->align ? map_aligned(b->len, b->align, pr, MAP_SHARED | extra_flags, b->fd)
			   : mmap(NULL, b->len, pr, MAP_SHARED | extra_flags, b->fd, 0);
	if (a->addr == MAP_FAILED) {
		*step = "mmap";
		return -errno;
	}
	if (backing_is_thp(b->kind))
		madvise(a->addr, a->len, MADV_HUGEPAGE);
	return 0;
}

static void fault_in(const struct locker_area *a)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t i;

	for (i = 0; i < a->len; i += page)
		(void)((volatile char *)a->addr)[i];
}

int backing_lock(const struct backing *b, enum lock_method m, enum prot_mode prot,
		 struct locker_area *a, const char **step)
{
	int ret;

	a->lock_method = m;
	ret = map_area(b, prot, m == LOCK_MAP_LOCKED ? MAP_LOCKED : 0, a, step);
	if (ret)
		return ret;
	/* a range: the rest of the area is mapped as without one, only not locked */
	if (b->lock_len != a->len)
		fault_in(a);
	switch (m) {
	case LOCK_MLOCK:
		*step = "mlock";
		return mlock((char *)a->addr + b->lock_off, b->lock_len) ? -errno : 0;
	case LOCK_ONFAULT:
		*step = "mlock2(MLOCK_ONFAULT)";
		if (mlock2((char *)a->addr + b->lock_off, b->lock_len, MLOCK_ONFAULT))
			return -errno;
		fault_in(a);
		return 0;
	case LOCK_MAP_LOCKED:
		fault_in(a);	/* MAP_LOCKED populates best-effort only */
		return 0;
	case LOCK_MLOCKALL:
		*step = "mlockall";
		return mlockall(MCL_CURRENT | MCL_FUTURE) ? -errno : 0;
	}
	return -EINVAL;
}

int backing_map_plain(const struct backing *b, enum prot_mode prot, struct locker_area *a,
		      const char **step)
{
	int ret = map_area(b, prot, 0, a, step);

	if (!ret)
		fault_in(a);
	return ret;
}
