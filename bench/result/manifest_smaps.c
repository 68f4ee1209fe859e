// SPDX-License-Identifier: GPL-2.0
/* A configuration's "smaps" object: the proof of what was measured. */
#include <errno.h>

#include "result/manifest.h"

/* The fields recorded (docs/RESULTS.md): what the issue asks, plus Pss. */
static const enum smaps_field recorded[] = {
	SMAPS_RSS, SMAPS_PSS, SMAPS_LOCKED, SMAPS_ANON_HUGE, SMAPS_SHMEM_PMD, SMAPS_FILE_PMD,
};

static json_t *bytes_or_null(int64_t v)
{
	return v < 0 ? json_null() : json_integer(v);
}

static json_t *ratio_or_null(double v)
{
	return v < 0 ? json_null() : json_real(v);
}

static json_t *stat_json(const struct smaps_stat *st)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:o}", "n", (json_int_t)st->n,
			 "min", bytes_or_null(st->min), "median", bytes_or_null(st->median),
			 "max", bytes_or_null(st->max), "sum", bytes_or_null(st->sum));
}

static json_t *proof_json(const struct smaps_proof *p)
{
	const struct smaps_summary *s = &p->sum;
	json_t *o, *fields = json_object();
	size_t i;

	for (i = 0; fields && i < sizeof(recorded) / sizeof(recorded[0]); i++)
		json_object_set_new(fields, smaps_field_names[recorded[i]],
				    stat_json(&s->f[recorded[i]]));
	o = json_pack("{s:i, s:I, s:I, s:b, s:o, s:o, s:{s:I, s:o, s:o, s:o}, s:I, s:s, s:s}",
		      "rep", p->rep, "lockers", (json_int_t)s->lockers,
		      "read", (json_int_t)p->read, "available", p->available,
		      "error", p->error[0] ? json_string(p->error) : json_null(),
		      "fields", fields,
		      "huge_coverage", "n", (json_int_t)s->coverage_n,
		      "min", ratio_or_null(s->coverage_min),
		      "median", ratio_or_null(s->coverage_median),
		      "max", ratio_or_null(s->coverage_max),
		      "lockers_without_huge", (json_int_t)s->lockers_without_huge,
		      "thp_verdict", thp_verdict_name(p->verdict), "thp_detail", p->detail);
	return o;
}

json_t *manifest_config(json_t *m, unsigned int id)
{
	json_t *cfgs = json_object_get(m, "configs"), *c;
	size_t i;

	json_array_foreach(cfgs, i, c)
		if (json_integer_value(json_object_get(c, "id")) == (json_int_t)id)
			return c;
	return NULL;
}

int manifest_add_smaps(json_t *m, unsigned int id, const struct smaps_proof *p)
{
	json_t *c = manifest_config(m, id), *o;

	if (!c)
		return -ENOENT;
	o = proof_json(p);
	return o && !json_object_set_new(c, "smaps", o) ? 0 : -ENOMEM;
}
