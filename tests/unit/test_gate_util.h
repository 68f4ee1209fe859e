/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the gate tests share: the real-run fixtures (tests/fixtures/results/
 * runs: aa-N real native runs, p110-N the same with timing x1.10) and
 * synthetic runs whose drift and noise the test sets.  Include after
 * test_util.h.
 */
#ifndef MLB_TEST_GATE_UTIL_H
#define MLB_TEST_GATE_UTIL_H

#include <math.h>
#include <stdint.h>

#include "report/gate.h"

#define NRUNS 8		/* real runs in tests/fixtures/results/runs */

/* runs/PREFIX-N loaded into f[0..n) for the n indices @idx (1-based). */
static inline void runs_load(const char *prefix, const int *idx, size_t n,
			     struct result_folder **f)
{
	char name[64];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "runs/%s-%d", prefix, idx[i]);
		f[i] = fixture_load(name);
	}
}

static inline void runs_free(struct result_folder **f, size_t n)
{
	while (n--)
		result_folder_free(f[n]);
}

/* Deterministic uniform in [-1, 1) (a 64-bit LCG). */
static inline double lcg_unit(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return (double)(*s >> 11) / (double)(1ull << 52) - 1.0;
}

struct synth {
	const char *release;	/* system.kernel.release */
	size_t nconf;		/* exit, procs 2, 4, ... */
	size_t reps;
	double median_ns;	/* of the first configuration; x2 per procs step */
	double drift;		/* this run's offset, relative (+0.02: 2% slower) */
	double noise;		/* each repetition uniform in +-noise, relative */
	uint64_t seed;
	const char *thp;	/* audit thp_enabled, NULL: no audit */
	const char *tool_version;	/* NULL: 0.1.0 */
	double host_load1;	/* > 0: a campaign's host_audit with this load1 */
};

/* A result folder in a new temporary directory (@dir, 32 bytes). */
static inline void synth_write(char *dir, const struct synth *s)
{
	uint64_t seed = s->seed;
	char path[4200];
	size_t c, rep;
	FILE *fp;

	strcpy(dir, "/tmp/mlb-gate-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	fp = fopen(path, "w");
	fprintf(fp, "{\"schema\": \"mlockbench-result\", \"schema_version\": 1, \"status\": "
		"\"complete\", \"start\": \"2026-12-02T05:00:00Z\", \"end\": "
		"\"2026-12-02T05:00:09Z\", \"tool\": {\"name\": \"mlockbench\", \"version\": "
		"\"%s\", \"git\": \"%llx\"}, \"system\": {\"kernel\": {\"release\": \"%s\", "
		"\"version\": \"#1 SMP\"}, \"design\": {\"name\": \"mlock_count\"}}, ",
		s->tool_version ? s->tool_version : "0.1.0", (unsigned long long)s->seed,
		s->release);
	if (s->thp)
		fprintf(fp, "\"audit\": {\"thp_enabled\": \"%s\", \"cpufreq_governor\": "
			"\"performance\", \"swap_total_kib\": 0, \"boot_id\": \"b-%llu\"}, ",
			s->thp, (unsigned long long)s->seed);
	if (s->host_load1 > 0)
		fprintf(fp, "\"host_audit\": {\"thp_enabled\": \"madvise\", \"load1\": %.2f}, ",
			s->host_load1);
	fputs("\"configs\": [", fp);
	for (c = 0; c < s->nconf; c++)
		fprintf(fp, "%s{\"id\": %zu, \"workload\": \"exit\", \"backing\": \"shmem\", "
			"\"lock\": \"mlock\", \"procs\": %zu, \"plain\": 0, \"size\": 4096}",
			c ? ", " : "", c, (size_t)2 << c);
	fputs("]}", fp);
	assert_int_equal(fclose(fp), 0);
	snprintf(path, sizeof(path), "%s/samples.csv", dir);
	fp = fopen(path, "w");
	fputs("config,job,workload,backing,lock,procs,plain,size,rep,warmup,setup_ns,"
	      "teardown_ns,lat_max_ns\n", fp);
	for (c = 0; c < s->nconf; c++)
		for (rep = 0; rep < s->reps; rep++) {
			double v = s->median_ns * (double)(1u << c) * (1 + s->drift) *
				   (1 + s->noise * lcg_unit(&seed));

			fprintf(fp, "%zu,,exit,shmem,mlock,%zu,0,4096,%zu,0,1000000,%.0f,%.0f\n",
				c, (size_t)2 << c, rep, v, v);
		}
	assert_int_equal(fclose(fp), 0);
}

static inline struct result_folder *synth_load(const char *dir)
{
	struct result_folder *f;
	struct errmsg e = { "" };

	if (result_folder_load(dir, false, &f, &e))
		fail_msg("%s", e.buf);
	return f;
}

#endif
