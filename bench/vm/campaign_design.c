// SPDX-License-Identifier: GPL-2.0
/*
 * Which munlock design each kernel ran, by the one detector (sysinfo/design.c)
 * applied to that kernel's kallsyms: the guest ships the fingerprint lines of
 * its /proc/kallsyms (design-symbols.txt), a native run reads this machine's.
 * The answer is recorded in the kernel's campaign.json (design_detected),
 * where skipped kernels and the design comparison read it back.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "sysinfo/sysinfo.h"
#include "vm/kernel_run.h"

void design_from_kallsyms(const char *path, char *out, size_t len)
{
	struct design_evidence ev;
	FILE *f;
	int err;

	out[0] = '\0';
	if (!path) {
		err = design_detect(&ev, NULL);
	} else {
		f = fopen(path, "re");
		if (!f)
			return;
		err = design_detect_stream(f, &ev);
		fclose(f);
	}
	if (!err && ev.design != DESIGN_UNKNOWN)
		snprintf(out, len, "%s", design_name(ev.design));
}

void design_of_folder(const char *dir, char *out, size_t len)
{
	char path[1200];
	const char *s;
	json_t *j;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/campaign.json", dir);
	j = json_load_file(path, 0, NULL);
	s = json_string_value(json_object_get(j, "design_detected"));
	if (s && strcmp(s, "unknown"))
		snprintf(out, len, "%s", s);
	json_decref(j);
}

/* Fold one more design into the comparison: @first is the first one seen. */
static void see(const char *d, char *first, size_t len, bool *two)
{
	if (!d[0])
		return;
	if (!first[0])
		snprintf(first, len, "%s", d);
	else if (strcmp(first, d))
		*two = true;
}

static bool selected(const struct campaign *c, const char *id)
{
	for (size_t k = 0; k < c->nkernels; k++)
		if (!strcmp(c->kernels[k], id))
			return true;
	return false;
}

int design_compare_check(const struct campaign_state *cs, const struct kernel_report *reports,
			 struct errmsg *e)
{
	const struct campaign *c = cs->c;
	char first[32] = "";
	bool two = false;

	for (size_t i = 0; i < campaign_nboots(c); i++)
		if (reports[i].outcome == KOUT_COMPLETE || reports[i].outcome == KOUT_SKIPPED)
			see(reports[i].design, first, sizeof(first), &two);
	/* kernels left out by --kernels count with their finished boots */
	for (size_t i = 0; i < c->nall; i++) {
		char dir[1200], d[32];

		if (selected(c, c->all_kernels[i]))
			continue;
		for (unsigned int b = 1; b <= c->runs; b++) {
			if (campaign_boot_dir(cs->dir, c->all_kernels[i], b, dir, sizeof(dir)) ||
			    !stage_manifest_complete(dir))
				continue;
			design_of_folder(dir, d, sizeof(d));
			see(d, first, sizeof(first), &two);
		}
	}
	if (two)
		return 0;
	return errmsg_set(e, -EDOM,
			  "campaign %s compares designs, but every kernel ran %s: no design comparison to report",
			  c->name, first[0] ? first : "an unknown design");
}
