// SPDX-License-Identifier: GPL-2.0
/*
 * THP boundary geometry: where an mlock range cuts huge pages.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "sysinfo/thp_boundary.h"

static bool pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

int thp_pmd_size_read(const char *path, uint64_t *bytes, struct errmsg *e)
{
	char buf[32];
	uint64_t v = 0;
	ssize_t n;
	int fd, i;

	if (!path)
		path = THP_PMD_SIZE_PATH;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return errmsg_set(e, -errno, "%s: %s", path, strerror(errno));
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0)
		return errmsg_set(e, -EIO, "%s: read failed", path);
	/* digits, one newline, nothing else */
	for (i = 0; i < n && buf[i] >= '0' && buf[i] <= '9' && i < 12; i++)
		v = v * 10 + (buf[i] - '0');
	if (!i || n == (ssize_t)sizeof(buf) || (i < n && (buf[i] != '\n' || i + 1 != n)))
		return errmsg_set(e, -EINVAL, "%s: not one decimal number", path);
	if (!pow2(v) || v < (64u << 10) || v > (1u << 30))
		return errmsg_set(e, -EINVAL, "%s: %llu is not a huge page size", path,
				  (unsigned long long)v);
	*bytes = v;
	return 0;
}

static uint64_t down(uint64_t x, uint64_t a)
{
	return x & ~(a - 1);
}

/* Can the huge-page block at @b (aligned) hold a PMD huge page of @m? */
static bool mappable(const struct thp_mapping *m, uint64_t b)
{
	if (b < m->start || b - m->start > m->len || m->len - (b - m->start) < m->huge)
		return false;
	return !m->file || !((m->file_offset + (b - m->start)) & (m->huge - 1));
}

static int check_mapping(const struct thp_mapping *m, struct errmsg *e)
{
	if (!pow2(m->page) || !pow2(m->huge) || m->page >= m->huge)
		return errmsg_set(e, -EINVAL, "thp boundary: page %llu and huge page %llu sizes",
				  (unsigned long long)m->page, (unsigned long long)m->huge);
	if ((m->start | m->len | (m->file ? m->file_offset : 0)) & (m->page - 1))
		return errmsg_set(e, -EINVAL, "thp boundary: mapping not page-aligned");
	if (!m->len || m->start + m->len < m->start)
		return errmsg_set(e, -EINVAL, "thp boundary: empty or overflowing mapping");
	return 0;
}

int thp_lock_range(const struct thp_mapping *m, uint64_t off, uint64_t len,
		   struct thp_lock_range *r, struct errmsg *e)
{
	uint64_t ls, le, first, last, b;
	int ret = check_mapping(m, e);

	if (ret)
		return ret;
	memset(r, 0, sizeof(*r));
	if (off >= m->len)
		return errmsg_set(e, -EINVAL, "thp boundary: lock offset %llu beyond the "
				  "mapping (%llu bytes)", (unsigned long long)off,
				  (unsigned long long)m->len);
	if (!len)
		len = m->len - off;
	if ((off | len) & (m->page - 1))
		return errmsg_set(e, -EINVAL, "thp boundary: lock offset and length must be "
				  "multiples of the page size (%llu)", (unsigned long long)m->page);
	if (len > m->len - off)
		return errmsg_set(e, -EINVAL, "thp boundary: lock range ends beyond the mapping");
	ls = m->start + off;
	le = ls + len;
	r->start = ls;
	r->len = len;

	first = down(ls, m->huge);
	last = down(le - 1, m->huge);
	r->start_inside = ls != first && mappable(m, first);
	r->end_inside = le != last + m->huge && mappable(m, last);
	r->partial_huge = r->start_inside + r->end_inside;
	if (first == last && r->start_inside && r->end_inside)
		r->partial_huge = 1;	/* both ends cut the same huge page */
	for (b = down(m->start + m->huge - 1, m->huge); mappable(m, b); b += m->huge) {
		r->huge_blocks++;
		if (b >= ls && b + m->huge <= le)
			r->whole_huge++;
	}
	return 0;
}

int thp_boundary_default(const struct thp_mapping *m, uint64_t *off, uint64_t *len,
			 struct errmsg *e)
{
	uint64_t b = down(m->start + m->huge - 1, m->huge), n = 0, first;
	int ret = check_mapping(m, e);

	if (ret)
		return ret;
	/* the first block at or after the start that is PMD-mappable */
	while (!mappable(m, b) && b - m->start < m->len)
		b += m->huge;
	first = b;
	while (mappable(m, b)) {
		n++;
		b += m->huge;
	}
	if (n < 2)
		return errmsg_set(e, -EINVAL, "thp boundary: the mapping holds %llu huge pages, "
				  "two are needed", (unsigned long long)n);
	*off = first - m->start + m->huge / 2;
	*len = (n - 1) * m->huge;
	return 0;
}
