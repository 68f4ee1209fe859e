// SPDX-License-Identifier: GPL-2.0
/*
 * The run summary's smaps line per configuration: what the lockers had
 * mapped after set-up, from the manifest the writer holds, so the line and
 * the recorded "smaps" object cannot disagree.
 */
#include <string.h>

#include "cli/run_summary.h"
#include "result/manifest.h"

static void print_line(FILE *f, const json_t *s)
{
	const char *verdict = json_string_value(json_object_get(s, "thp_verdict")) ?: "?";
	const char *detail = json_string_value(json_object_get(s, "thp_detail")) ?: "";
	const json_t *cov = json_object_get(s, "huge_coverage");
	const json_t *lo = json_object_get(cov, "min"), *md = json_object_get(cov, "median");
	const json_t *hi = json_object_get(cov, "max");
	bool flag = !strcmp(verdict, "no-huge-pages") || !strcmp(verdict, "partial") ||
		    !strcmp(verdict, "unknown");

	if (!json_is_true(json_object_get(s, "available"))) {
		fprintf(f, "  smaps: %s%s\n", flag ? "FLAGGED: " : "",
			json_string_value(json_object_get(s, "error")) ?: "not read");
		return;
	}
	fprintf(f, "  smaps: huge-page coverage of Rss ");
	if (json_is_number(md))
		fprintf(f, "%.3f (%.3f..%.3f)", json_number_value(md), json_number_value(lo),
			json_number_value(hi));
	else
		fprintf(f, "n/a");
	fprintf(f, " in %lld lockers; %s%s: %s\n",
		(long long)json_integer_value(json_object_get(s, "read")),
		flag ? "FLAGGED " : "", verdict, detail);
}

bool run_smaps_summary_print(FILE *f, const struct result_writer *r, unsigned int id,
			     bool print)
{
	const json_t *s = json_object_get(manifest_config(r->manifest, id), "smaps");

	if (s && print)
		print_line(f, s);
	return s != NULL;
}
