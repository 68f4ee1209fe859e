// SPDX-License-Identifier: GPL-2.0
/*
 * Which munlock design the kernel has, told by the symbols it carries rather
 * than by its version string (distributions backport).
 */
#include <errno.h>
#include <string.h>

#include "common/parse.h"
#include "sysinfo/kallsyms.h"
#include "sysinfo/sysinfo.h"

struct fingerprint {
	const char *sym;
	enum mlock_design design;
};

/* Table order is the evidence order: stable output whatever kallsyms order. */
static const struct fingerprint fingerprints[] = {
	{ "try_to_munlock", DESIGN_RMAP_WALK },		/* <= 5.13 */
	{ "page_mlock", DESIGN_RMAP_WALK },		/* 5.14 - 5.17 */
	{ "page_mlock_one", DESIGN_RMAP_WALK },
	{ "munlock_vma_pages_range", DESIGN_RMAP_WALK },
	{ "clear_page_mlock", DESIGN_RMAP_WALK },
	{ "mlock_folio", DESIGN_MLOCK_COUNT },		/* 5.18 on */
	{ "munlock_page", DESIGN_MLOCK_COUNT },		/* 5.18 - 6.2 */
	{ "munlock_folio", DESIGN_MLOCK_COUNT },	/* 6.3 on */
	{ "mlock_new_page", DESIGN_MLOCK_COUNT },
	{ "mlock_new_folio", DESIGN_MLOCK_COUNT },
	{ "mlock_page_drain_local", DESIGN_MLOCK_COUNT },
	{ "mlock_drain_local", DESIGN_MLOCK_COUNT },
	{ "need_mlock_page_drain", DESIGN_MLOCK_COUNT },
	{ "need_mlock_drain", DESIGN_MLOCK_COUNT },
};

#define N_FINGERPRINTS (sizeof(fingerprints) / sizeof(fingerprints[0]))

const char *design_fingerprint(size_t i)
{
	return i < N_FINGERPRINTS ? fingerprints[i].sym : NULL;
}

static const char *const design_names[] = {
	[DESIGN_UNKNOWN] = "unknown",
	[DESIGN_RMAP_WALK] = "rmap-walk",
	[DESIGN_MLOCK_COUNT] = "mlock_count",
};

const char *design_name(enum mlock_design d)
{
	if ((unsigned int)d >= sizeof(design_names) / sizeof(design_names[0]))
		return "unknown";
	return design_names[d];
}

int design_parse(const char *s, enum mlock_design *out)
{
	int i, err = parse_name(s, design_names, sizeof(design_names) / sizeof(design_names[0]),
				&i);

	if (!err)
		*out = i;
	return err;
}

static int seen_cb(const char *name, void *arg)
{
	bool *seen = arg;
	size_t i;

	for (i = 0; i < N_FINGERPRINTS; i++)
		if (ksym_match(name, fingerprints[i].sym))
			seen[i] = true;
	return 0;
}

/* Only one design's symbols: that design; none or both: unknown. */
static void decide(const bool *seen, struct design_evidence *out)
{
	bool rmap = false, count = false;
	size_t i;

	for (i = 0; i < N_FINGERPRINTS; i++) {
		if (!seen[i])
			continue;
		rmap |= fingerprints[i].design == DESIGN_RMAP_WALK;
		count |= fingerprints[i].design == DESIGN_MLOCK_COUNT;
		if (out->n < DESIGN_MAX_EVIDENCE)
			strcpy(out->sym[out->n++], fingerprints[i].sym);
	}
	if (rmap != count)
		out->design = rmap ? DESIGN_RMAP_WALK : DESIGN_MLOCK_COUNT;
}

int design_detect_stream(FILE *kallsyms, struct design_evidence *out)
{
	bool seen[N_FINGERPRINTS] = { false };
	int ret;

	memset(out, 0, sizeof(*out));
	out->design = DESIGN_UNKNOWN;
	ret = ksym_scan(kallsyms, seen_cb, seen);
	if (ret < 0)
		return ret;
	decide(seen, out);
	return 0;
}

int design_detect(struct design_evidence *out, struct errmsg *e)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	int ret;

	memset(out, 0, sizeof(*out));
	if (!f)
		return errmsg_set(e, -errno, "cannot open /proc/kallsyms: %s",
				  strerror(errno));
	ret = design_detect_stream(f, out);
	fclose(f);
	if (ret < 0)
		return errmsg_set(e, ret, "cannot read /proc/kallsyms: %s",
				  strerror(-ret));
	return 0;
}
