// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/collector.h"
#include "engine/metric_sink.h"

void metric_sink_init(struct metric_sink *s)
{
	memset(s, 0, sizeof(*s));
}

void metric_sink_release(struct metric_sink *s)
{
	free(s->rows);
	free(s->checks);
	metric_sink_init(s);
}

void metric_sink_at(struct metric_sink *s, unsigned int config, int rep)
{
	s->config = config;
	s->rep = rep;
}

static int grow(void **arr, size_t *alloc, size_t n, size_t elem)
{
	void *p;
	size_t want;

	if (n < *alloc)
		return 0;
	want = *alloc ? *alloc * 2 : 64;
	p = realloc(*arr, want * elem);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*alloc = want;
	return 0;
}

static int emit(struct metric_sink *s, const char *collector, const char *metric,
		double value, bool available, const char *unit)
{
	struct metric_row *r;
	int ret;

	ret = grow((void **)&s->rows, &s->rows_alloc, s->nrows, sizeof(*r));
	if (ret)
		return ret;
	r = &s->rows[s->nrows++];
	memset(r, 0, sizeof(*r));
	r->config = s->config;
	r->rep = s->rep;
	snprintf(r->collector, sizeof(r->collector), "%s", collector);
	snprintf(r->metric, sizeof(r->metric), "%s", metric);
	snprintf(r->unit, sizeof(r->unit), "%s", unit ? unit : "");
	r->value = value;
	r->available = available;
	return 0;
}

int metric_emit(struct metric_sink *s, const char *collector, const char *metric,
		double value, const char *unit)
{
	return emit(s, collector, metric, value, true, unit);
}

int metric_emit_na(struct metric_sink *s, const char *collector, const char *metric,
		   const char *unit)
{
	return emit(s, collector, metric, 0, false, unit);
}

/*
 * A detail cut by its buffer may end inside a UTF-8 sequence ("Δ"); the
 * manifest's JSON library refuses such a string, and the check would be
 * lost.  Drop the incomplete tail.
 */
static void utf8_trim_tail(char *buf)
{
	size_t n = strlen(buf), i = n, need;

	while (i > 0 && ((unsigned char)buf[i - 1] & 0xc0) == 0x80 && n - i < 3)
		i--;
	if (i == 0 || ((unsigned char)buf[i - 1] & 0x80) == 0)
		return;
	need = ((unsigned char)buf[i - 1] & 0xe0) == 0xc0 ? 2 :
	       ((unsigned char)buf[i - 1] & 0xf0) == 0xe0 ? 3 :
	       ((unsigned char)buf[i - 1] & 0xf8) == 0xf0 ? 4 : 0;
	if (n - (i - 1) != need)
		buf[i - 1] = '\0';
}

int check_emit(struct metric_sink *s, const char *collector, const char *name,
	       bool ok, const char *fmt, ...)
{
	struct check_row *c;
	va_list ap;
	int ret;

	ret = grow((void **)&s->checks, &s->checks_alloc, s->nchecks, sizeof(*c));
	if (ret)
		return ret;
	c = &s->checks[s->nchecks++];
	memset(c, 0, sizeof(*c));
	c->config = s->config;
	c->ok = ok;
	snprintf(c->collector, sizeof(c->collector), "%s", collector);
	snprintf(c->name, sizeof(c->name), "%s", name);
	va_start(ap, fmt);
	vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
	va_end(ap);
	utf8_trim_tail(c->detail);
	return 0;
}
