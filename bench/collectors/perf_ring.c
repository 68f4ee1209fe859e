// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "collectors/perf_ring.h"

int perf_open(struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd,
	      unsigned long flags)
{
	long fd = syscall(SYS_perf_event_open, attr, pid, cpu, group_fd, flags);

	return fd < 0 ? -errno : (int)fd;
}

int perf_ring_map(struct perf_ring *r, int fd, size_t data_pages)
{
	size_t pg = sysconf(_SC_PAGESIZE);

	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->data_size = data_pages * pg;
	r->mmap_size = r->data_size + pg;
	r->base = mmap(NULL, r->mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (r->base == MAP_FAILED) {
		r->base = NULL;
		return -errno;
	}
	r->scratch_size = 65536;
	r->scratch = malloc(r->scratch_size);
	if (!r->scratch) {
		perf_ring_unmap(r);
		return -ENOMEM;
	}
	return 0;
}

void perf_ring_unmap(struct perf_ring *r)
{
	if (r->base)
		munmap(r->base, r->mmap_size);
	free(r->scratch);
	r->base = NULL;
	r->scratch = NULL;
}

void perf_ring_discard(struct perf_ring *r)
{
	struct perf_event_mmap_page *mp = r->base;
	uint64_t head;

	if (!mp)
		return;
	head = __atomic_load_n(&mp->data_head, __ATOMIC_ACQUIRE);
	__atomic_store_n(&mp->data_tail, head, __ATOMIC_RELEASE);
}

long perf_ring_drain(struct perf_ring *r,
		     void (*cb)(const struct perf_event_header *h, void *arg), void *arg)
{
	struct perf_event_mmap_page *mp = r->base;
	const char *data;
	uint64_t head, tail;
	long n = 0;

	if (!mp)
		return 0;
	data = (const char *)r->base + mp->data_offset;
	if (!mp->data_offset)	/* kernels before 4.1 */
		data = (const char *)r->base + sysconf(_SC_PAGESIZE);
	head = __atomic_load_n(&mp->data_head, __ATOMIC_ACQUIRE);
	tail = mp->data_tail;
	while (tail < head) {
		size_t off = tail & (r->data_size - 1);
		const struct perf_event_header *h = (const void *)(data + off);
		struct perf_event_header hcopy;
		size_t size;

		if (off + sizeof(hcopy) > r->data_size) {
			size_t first = r->data_size - off;

			memcpy(&hcopy, data + off, first);
			memcpy((char *)&hcopy + first, data, sizeof(hcopy) - first);
			h = &hcopy;
		}
		size = h->size;
		if (!size || tail + size > head)
			break;
		if (off + size > r->data_size) {
			size_t first = r->data_size - off;

			if (size > r->scratch_size)
				break;
			memcpy(r->scratch, data + off, first);
			memcpy(r->scratch + first, data, size - first);
			h = (const void *)r->scratch;
		}
		cb(h, arg);
		tail += size;
		n++;
	}
	__atomic_store_n(&mp->data_tail, tail, __ATOMIC_RELEASE);
	return n;
}

uint64_t perf_sample_identifier(const struct perf_event_header *h)
{
	uint64_t id;

	memcpy(&id, h + 1, sizeof(id));
	return id;
}

int perf_sample_parse(const struct perf_event_header *h, uint64_t st, struct perf_sample *s)
{
	const uint8_t *p = (const uint8_t *)(h + 1), *end = (const uint8_t *)h + h->size;
	const uint64_t known = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID |
			       PERF_SAMPLE_TIME | PERF_SAMPLE_CPU | PERF_SAMPLE_CALLCHAIN |
			       PERF_SAMPLE_RAW;
	memset(s, 0, sizeof(*s));
	if (st & ~known)
		return -EINVAL;
#define TAKE(dst) do {							\
		if (p + sizeof(dst) > end)				\
			return -EINVAL;					\
		memcpy(&(dst), p, sizeof(dst));				\
		p += sizeof(dst);					\
	} while (0)
	if (st & PERF_SAMPLE_IDENTIFIER)
		TAKE(s->id);
	if (st & PERF_SAMPLE_IP)
		TAKE(s->ip);
	if (st & PERF_SAMPLE_TID) {
		TAKE(s->pid);
		TAKE(s->tid);
	}
	if (st & PERF_SAMPLE_TIME)
		TAKE(s->time);
	if (st & PERF_SAMPLE_CPU) {
		uint32_t res;

		TAKE(s->cpu);
		TAKE(res);
	}
	if (st & PERF_SAMPLE_CALLCHAIN) {
		TAKE(s->nr);
		if (s->nr > (uint64_t)(end - p) / 8)
			return -EINVAL;
		s->ips = (const uint64_t *)p;
		p += s->nr * 8;
	}
	if (st & PERF_SAMPLE_RAW) {
		TAKE(s->raw_size);
		if (s->raw_size > (uint64_t)(end - p))
			return -EINVAL;
		s->raw = p;
		p += s->raw_size;
	}
#undef TAKE
	return 0;
}

int perf_read_scaled(int fd, uint64_t *value, uint64_t *enabled, uint64_t *running,
		     double *scaled)
{
	uint64_t buf[3];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n < 0)
		return -errno;
	if (n != sizeof(buf))
		return -EIO;
	*value = buf[0];
	*enabled = buf[1];
	*running = buf[2];
	if (!buf[2])
		*scaled = 0;
	else if (buf[2] < buf[1])
		*scaled = (double)buf[0] * buf[1] / buf[2];
	else
		*scaled = buf[0];
	return 0;
}
