// SPDX-License-Identifier: GPL-2.0
/*
 * Does the gate compare like with like?  Two runs in different environments
 * (governor, THP, swap, NUMA balancing, ASLR, command line, VM or bare
 * metal, topology, tool version) differ for reasons that are not the kernel.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/gate.h"
#include "result/identity.h"

/* "mlockbench 0.1.0 (abc123)" -> "mlockbench 0.1.0": the git id may differ. */
static void tool_version(const char *tool, char *buf, size_t len)
{
	const char *paren = strstr(tool, " (");
	size_t n = paren ? (size_t)(paren - tool) : strlen(tool);

	snprintf(buf, len, "%.*s", (int)n, tool);
}

static size_t add(char (*out)[400], size_t n, size_t max, const struct result_folder *a,
		  const struct result_folder *b, const char *field, const char *va,
		  const char *vb)
{
	if (n < max)
		snprintf(out[n], sizeof(out[n]), "%s differs: %s in %s, %s in %s", field, va,
			 a->path, vb, b->path);
	return n + 1;
}

/*
 * Whether a configuration both folders hold was measured otherwise by
 * their jobs (reps, warm-up, seed, collectors, perf-record, probe: a
 * collector's overhead or a different repetition count is not the kernel);
 * the two values go into @va/@vb.
 */
static bool method_differs(const struct result_folder *a, const struct result_folder *b,
			   char *va, char *vb, size_t len)
{
	const struct result_config *y, *x = result_folders_measured_otherwise(a, b, &y);
	char what[256];

	if (!x)
		return false;
	result_config_describe(x, what, sizeof(what));
	snprintf(va, len, "%s (%.100s)", x->method, what);
	snprintf(vb, len, "%s", y->method);
	return true;
}

/*
 * The campaigns' hosts, where both folders have one: a guest's speed under
 * TCG follows the host's governor, THP and command line as much as its own.
 */
static size_t host_differences(const struct result_folder *a, const struct result_folder *b,
			       char (*out)[400], size_t n, size_t max)
{
	struct sysaudit_mismatch mm[GATE_MAX_MISMATCH];
	char field[96];
	size_t j, k;

	if (!a->has_host || !b->has_host)
		return n;
	k = sysaudit_compare(&a->host, &b->host, mm, GATE_MAX_MISMATCH);
	for (j = 0; j < k && j < GATE_MAX_MISMATCH; j++) {
		snprintf(field, sizeof(field), "host %s", mm[j].field);
		n = add(out, n, max, a, b, field, mm[j].a, mm[j].b);
	}
	return n + (k > GATE_MAX_MISMATCH ? k - GATE_MAX_MISMATCH : 0);
}

/* The kernel command line of the manifest's system object, as an audit field. */
static size_t cmdline_differs(const struct result_folder *a, const struct result_folder *b)
{
	struct sysaudit x, y;

	sysaudit_init(&x);
	sysaudit_init(&y);
	if (!a->kcmdline[0] || !b->kcmdline[0])
		return 0;
	snprintf(x.cmdline, sizeof(x.cmdline), "%s", a->kcmdline);
	snprintf(y.cmdline, sizeof(y.cmdline), "%s", b->kcmdline);
	return sysaudit_compare(&x, &y, NULL, 0);
}

size_t gate_env_differences(struct result_folder **f, size_t nf, char (*out)[400],
			    size_t max, char *no_audit, size_t len)
{
	size_t i, j, n = 0, missing = 0;
	char ta[128], tb[128], ma[400], mb[400];

	if (no_audit && len)
		no_audit[0] = 0;
	for (i = 0; i < nf; i++) {
		const struct result_folder *a = f[0], *b = f[i];

		if (!b->has_audit && no_audit) {
			size_t l = strlen(no_audit);

			if (missing++ < 3)
				snprintf(no_audit + l, len - l, "%s%s", l ? ", " : "", b->path);
			else if (missing == 4)
				snprintf(no_audit + l, len - l, ", ...");
		}
		if (!i)
			continue;
		if (a->has_audit && b->has_audit) {
			struct sysaudit_mismatch mm[GATE_MAX_MISMATCH];
			size_t k = sysaudit_compare(&a->audit, &b->audit, mm, GATE_MAX_MISMATCH);

			for (j = 0; j < k && j < GATE_MAX_MISMATCH; j++)
				n = add(out, n, max, a, b, mm[j].field, mm[j].a, mm[j].b);
			n += k > GATE_MAX_MISMATCH ? k - GATE_MAX_MISMATCH : 0;
		} else if (cmdline_differs(a, b)) {
			n = add(out, n, max, a, b, "kernel command line", a->kcmdline, b->kcmdline);
		}
		n = host_differences(a, b, out, n, max);
		if (strcmp(a->thp, b->thp))
			n = add(out, n, max, a, b, "thp", a->thp, b->thp);
		if (strcmp(a->topology, b->topology))
			n = add(out, n, max, a, b, "topology", a->topology, b->topology);
		if (method_differs(a, b, ma, mb, sizeof(ma)))
			n = add(out, n, max, a, b, "job options", ma, mb);
		tool_version(a->tool, ta, sizeof(ta));
		tool_version(b->tool, tb, sizeof(tb));
		if (strcmp(ta, tb))
			n = add(out, n, max, a, b, "tool version", ta, tb);
	}
	return n;
}

/*
 * The load1 that slows a run: the host's for a campaign's boot (a guest
 * under TCG shares the host's CPUs), else the run's own; nan if unknown.
 */
static double run_load(const struct result_folder *f)
{
	if (f->has_host && isfinite(f->host.load1))
		return f->host.load1;
	return f->has_audit ? f->audit.load1 : NAN;
}

/* The range of that load over @nf folders; false if none has one. */
static bool load_range(struct result_folder *const *f, size_t nf, double *lo, double *hi)
{
	size_t i, n = 0;

	*lo = INFINITY;
	*hi = -INFINITY;
	for (i = 0; i < nf; i++)
		if (isfinite(run_load(f[i]))) {
			*lo = fmin(*lo, run_load(f[i]));
			*hi = fmax(*hi, run_load(f[i]));
			n++;
		}
	return n > 0;
}

bool gate_load_note(struct result_folder *const *base, size_t nbase,
		    struct result_folder *const *cand, size_t ncand, char *buf, size_t len)
{
	double blo, bhi, clo, chi;

	buf[0] = 0;
	if (!load_range(base, nbase, &blo, &bhi) || !load_range(cand, ncand, &clo, &chi))
		return false;
	/* apart by more than 1 and by a factor of 2: not one machine state */
	if (!((clo > bhi + 1 && clo > 2 * bhi) || (blo > chi + 1 && blo > 2 * chi)))
		return false;
	snprintf(buf, len, "load average at the start: baseline %.1f-%.1f, candidate %.1f-%.1f; "
		 "runs under different load drift apart", blo, bhi, clo, chi);
	return true;
}
