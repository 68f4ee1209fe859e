/* SPDX-License-Identifier: GPL-2.0 */
/*
 * perf_event_open and its mmap'd ring buffer: open, drain records, parse
 * samples.  Shared by the counting and the sampling collectors.
 */
#ifndef MLB_PERF_RING_H
#define MLB_PERF_RING_H

#include <linux/perf_event.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

int perf_open(struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd,
	      unsigned long flags);

struct perf_ring {
	int fd;
	void *base;		/* metadata page, then the data area */
	size_t data_size;	/* bytes, a power of two */
	size_t mmap_size;
	char *scratch;		/* a record that wraps around is copied here */
	size_t scratch_size;
};

/* mmap @data_pages (a power of two) of data for @fd. */
int perf_ring_map(struct perf_ring *r, int fd, size_t data_pages);
void perf_ring_unmap(struct perf_ring *r);
/* Throw away what is in the ring. */
void perf_ring_discard(struct perf_ring *r);
/* Pass every complete record to @cb, then release them; returns records seen. */
long perf_ring_drain(struct perf_ring *r,
		     void (*cb)(const struct perf_event_header *h, void *arg), void *arg);

/* A parsed PERF_RECORD_SAMPLE (only the fields we ask for). */
struct perf_sample {
	uint64_t id;
	uint64_t ip;
	uint32_t pid, tid;
	uint64_t time;
	uint32_t cpu;
	uint64_t nr;		/* callchain entries, context markers included */
	const uint64_t *ips;
	uint32_t raw_size;
	const uint8_t *raw;
};

/*
 * Parse @h with @sample_type (IDENTIFIER, IP, TID, TIME, CPU, CALLCHAIN, RAW
 * supported).  -EINVAL if truncated or another field is present.
 */
int perf_sample_parse(const struct perf_event_header *h, uint64_t sample_type,
		      struct perf_sample *s);
/* With PERF_SAMPLE_IDENTIFIER the id is the first word: read it alone. */
uint64_t perf_sample_identifier(const struct perf_event_header *h);

/* Read {value, enabled, running} of a counter opened with both time formats. */
int perf_read_scaled(int fd, uint64_t *value, uint64_t *enabled, uint64_t *running,
		     double *scaled);

#endif
