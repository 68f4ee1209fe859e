// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "common/timeutil.h"
#include "engine/runner.h"
#include "job/lock_range.h"
#include "stats/stats.h"
#include "sysinfo/topology.h"

/* The configurations of job @j, appended at @cfg[*k]: sweep order, procs fastest. */
static void expand_job(struct job *j, struct config *cfg, size_t *k)
{
	size_t a, b, c, p;

	for (p = 0; p < j->prot.n; p++)
		for (c = 0; c < j->size.n; c++)
			for (b = 0; b < j->plain.n; b++)
				for (a = 0; a < j->procs.n; a++, (*k)++)
					cfg[*k] = (struct config){
						.id = *k, .job = j,
						.wl = workload_find(j->workload),
						.procs = j->procs.v[a],
						.plain = j->plain.v[b],
						.size = j->size.v[c],
						.prot = j->prot.v[p],
					};
}

int runner_expand(struct job *jobs, size_t njobs, struct config **out, size_t *n,
		  struct errmsg *e)
{
	size_t total = 0, j, k = 0;
	struct config *cfg;

	for (j = 0; j < njobs; j++)
		total += jobs[j].procs.n * jobs[j].plain.n * jobs[j].size.n * jobs[j].prot.n;
	if (total > 4096)
		return errmsg_set(e, -E2BIG, "the sweeps make %zu configurations (at most 4096)",
				  total);
	cfg = calloc(total ? total : 1, sizeof(*cfg));
	if (!cfg)
		return -ENOMEM;
	for (j = 0; j < njobs; j++)
		expand_job(&jobs[j], cfg, &k);
	*out = cfg;
	*n = total;
	return 0;
}

/* Whether collector @name is among the first @n items of @list (a comma list). */
static bool named_before(const char *list, size_t n, const char *name)
{
	size_t len = strlen(name);

	while (n) {
		size_t k = strcspn(list, ",:");

		if (k == len && !strncmp(list, name, len))
			return true;
		list += strcspn(list, ",");
		if (!*list)
			break;
		list++;
		n--;
	}
	return false;
}

/*
 * Calls @fn for each collector named in the job ("name" or "name:options"):
 * --collect's, then --perf-record's and --probe's (once each).
 */
static int for_each_collector_spec(const struct job *j,
				   int (*fn)(const char *name, const char *spec, void *ctx),
				   void *ctx)
{
	char buf[sizeof(j->collect) + sizeof(j->probe) + 16], *tok, *save = NULL;
	char all[sizeof(buf)];
	size_t n = 0;
	int ret;

	snprintf(buf, sizeof(buf), "%s%s,%s", j->collect, j->perf_record ? ",perf-record" : "",
		 j->probe);
	memcpy(all, buf, sizeof(all));
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save), n++) {
		char name[64], *colon;

		if (!*tok || !strcmp(tok, "none"))
			continue;
		snprintf(name, sizeof(name), "%s", tok);
		colon = strchr(name, ':');
		if (colon)
			*colon = 0;
		if (named_before(all, n, name))
			continue;	/* --collect mmap_lock --probe mmap_lock: one */
		ret = fn(name, tok, ctx);
		if (ret)
			return ret;
	}
	return 0;
}

/* A collector that measures only some workloads (a probe) refuses the others. */
static int check_collector_workload(const struct job *j, const struct collector_ops *ops,
				    struct errmsg *e)
{
	size_t len = strcspn(j->workload, ":"), i;
	char list[128] = "";

	if (!ops->workloads)
		return 0;
	for (i = 0; ops->workloads[i]; i++) {
		if (strlen(ops->workloads[i]) == len && !strncmp(ops->workloads[i], j->workload, len))
			return 0;
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
			 !i ? "" : ops->workloads[i + 1] ? ", " : " or ", ops->workloads[i]);
	}
	return errmsg_set(e, -EINVAL, "%s measures only --workload %s, not %.*s", ops->name,
			  list, (int)len, j->workload);
}

struct check_ctx {
	const struct job *j;
	struct errmsg *e;
};

static int check_one_collector(const char *name, const char *spec, void *ctx)
{
	struct check_ctx *cc = ctx;

	const struct collector_ops *ops;
	struct ops_args args;
	int ret = collector_spec_parse(spec, &ops, &args, cc->e);

	if (!ret)
		ret = check_collector_workload(cc->j, ops, cc->e);
	return ret ? errmsg_prefix(cc->e, ret, "job '%s'", cc->j->name) : 0;
}

static int check_collectors(const struct job *j, struct errmsg *e)
{
	struct check_ctx cc = { j, e };

	return for_each_collector_spec(j, check_one_collector, &cc);
}

/* The first number in @path; 0 when it cannot be read (the check is skipped). */
static uint64_t proc_u64(const char *path)
{
	unsigned long long v = 0;
	FILE *f = fopen(path, "re");

	if (f) {
		if (fscanf(f, "%llu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

/* Threads on the machine now: /proc/loadavg's "running/total" field. */
static uint64_t threads_now(void)
{
	unsigned long long running, total = 0;
	FILE *f = fopen("/proc/loadavg", "re");

	if (f) {
		if (fscanf(f, "%*s %*s %*s %llu/%llu", &running, &total) != 2)
			total = 0;
		fclose(f);
	}
	return total;
}

/* RLIMIT_NPROC binds only without root's CAP_SYS_RESOURCE/CAP_SYS_ADMIN. */
static uint64_t nproc_soft(void)
{
	struct rlimit rl;

	if (!geteuid() || getrlimit(RLIMIT_NPROC, &rl) || rl.rlim_cur == RLIM_INFINITY)
		return 0;
	return rl.rlim_cur;
}

static uint64_t nofile_hard(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_max == RLIM_INFINITY)
		return 0;
	return rl.rlim_max;
}

static int check_jobs(struct runner *r, const struct run_request *req, struct errmsg *e)
{
	struct job_limits lim = {
		.mem_available = r->si.mem_available_kib * 1024,
		.memlock_soft = r->si.memlock_soft,
		.cap_ipc_lock = r->si.cap_ipc_lock,
		.page_size = sysconf(_SC_PAGESIZE),
		.pid_max = proc_u64("/proc/sys/kernel/pid_max"),
		.threads_max = proc_u64("/proc/sys/kernel/threads-max"),
		.threads_now = threads_now(),
		.nproc_soft = nproc_soft(),
		.nofile_hard = nofile_hard(),
		.max_map_count = proc_u64("/proc/sys/vm/max_map_count"),
	};
	size_t i;
	int ret;

	for (i = 0; i < req->njobs; i++) {
		ret = job_validate(&req->jobs[i], e);
		if (!ret)
			ret = job_check_limits(&req->jobs[i], &lim, e);
		if (!ret)
			ret = check_collectors(&req->jobs[i], e);
		if (ret)
			return ret;
	}
	return 0;
}

struct open_ctx {
	const struct job *j;
	struct active_collector *ac;
	size_t n, cap;
	struct errmsg *e;
};

static int open_one_collector(const char *name, const char *spec, void *ctx)
{
	struct open_ctx *oc = ctx;
	struct active_collector *a;
	int ret;

	if (oc->n == oc->cap)
		return errmsg_set(oc->e, -E2BIG, "job '%s': too many collectors", oc->j->name);
	a = &oc->ac[oc->n];
	snprintf(a->spec, sizeof(a->spec), "%s", spec);
	ret = collector_spec_open(spec, &a->ops, &a->state, oc->e);	/* locks:kprobe */
	if (ret)
		return errmsg_prefix(oc->e, ret, "collector %s", name);
	oc->n++;
	return 0;
}

static int open_collectors(const struct job *j, struct active_collector **out, size_t *n,
			   struct errmsg *e)
{
	struct open_ctx oc = { .j = j, .cap = 8, .e = e };
	int ret;

	oc.ac = calloc(oc.cap, sizeof(*oc.ac));
	if (!oc.ac)
		return -ENOMEM;
	ret = for_each_collector_spec(j, open_one_collector, &oc);
	*out = oc.ac;
	*n = oc.n;
	return ret;
}

/* Close collectors that never ran (nothing to describe in the manifest). */
static void release_collectors(struct active_collector *ac, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ac[i].ops->close(ac[i].state);
	free(ac);
}

static void close_collectors(struct runner *r, const struct job *j,
			     struct active_collector *ac, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		/* described before it closes; a description lost to ENOMEM is not a failed run */
		r->sink->ops->add_collector(r->sink->ctx, j, &ac[i]);
		ac[i].ops->close(ac[i].state);
	}
	free(ac);
}

struct config_run {
	struct runner *r;
	const struct run_request *req;
	struct config *c;
	struct engine_env env;
	struct active_collector *all;
	size_t nall;
	struct rep_result res;
	/* this configuration's measured teardowns, for the overheads */
	struct teardown_rec {
		const char *by;		/* "" = clean, else the perturbing collector */
		double ns;
	} *tds;
	size_t ntds, tdcap;
};

static int record_teardown(struct config_run *cr, const char *by, double ns)
{
	if (cr->ntds == cr->tdcap) {
		size_t nc = cr->tdcap ? 2 * cr->tdcap : 32;
		struct teardown_rec *p = realloc(cr->tds, nc * sizeof(*p));

		if (!p)
			return -ENOMEM;
		cr->tds = p;
		cr->tdcap = nc;
	}
	cr->tds[cr->ntds++] = (struct teardown_rec){ by, ns };
	return 0;
}

/*
 * The first repetition's proof of what is measured: recorded, and the
 * run refused here, before the release, when --require-thp says so.
 */
static int take_smaps_proof(void *ctx, const pid_t *pids, struct errmsg *e)
{
	struct config_run *cr = ctx;
	struct smaps_proof p;
	int ret;

	smaps_proof_take(cr->c, 0, pids, &cr->r->audit, &p);
	cr->c->huge_backed = p.verdict == THP_GOT;
	ret = cr->r->sink->ops->add_smaps(cr->r->sink->ctx, cr->c, &p);
	if (ret)
		return errmsg_set(e, ret, "recording smaps_rollup: %s", strerror(-ret));
	if (p.pass)
		return 0;
	cr->r->thp_refused = true;
	return errmsg_set(e, -EMEDIUMTYPE, "--require-thp: %s", p.detail);
}

/* One repetition with the clean collectors plus, optionally, one perturbing one. */
static int one_rep(struct config_run *cr, int rep, bool warmup,
		   struct active_collector *extra, struct errmsg *e)
{
	struct active_collector active[16];
	size_t i, n = 0;
	int ret;

	for (i = 0; i < cr->nall && n < 15; i++)
		if (!cr->all[i].ops->perturbs)
			active[n++] = cr->all[i];
	if (extra)
		active[n++] = *extra;
	cr->env.collectors = active;
	cr->env.ncollectors = n;
	cr->env.after_setup = rep == 0 ? take_smaps_proof : NULL;
	cr->env.after_setup_ctx = cr;
	metric_sink_at(cr->r->sink->metrics, cr->c->id, rep);
	ret = engine_run_rep(cr->c, rep, &cr->env, &cr->res, e);
	if (!ret && !warmup)
		ret = record_teardown(cr, extra ? extra->ops->name : "", cr->res.teardown_ns);
	if (ret)
		return ret;
	return cr->r->sink->ops->add_rep(cr->r->sink->ctx, cr->c, rep, warmup,
					 extra ? extra->ops->name : NULL, &cr->res);
}

static void report(struct config_run *cr, unsigned int round, unsigned int rounds,
		   bool warmup, const struct active_collector *extra)
{
	struct run_progress p = {
		.config_index = cr->r->configs_done, .nconfigs = cr->r->nconfigs,
		.config = cr->c, .round = round, .rounds = rounds, .warmup = warmup,
		.instrumented_by = extra ? extra->ops->name : NULL,
	};

	if (cr->req->progress)
		cr->req->progress(cr->req->progress_ctx, &p);
}

/* Median teardown of this configuration's measured repetitions run with @by ("" = clean). */
static double teardown_median(const struct config_run *cr, const char *by)
{
	double *v = malloc((cr->ntds + 1) * sizeof(*v)), m;
	size_t i, n = 0;

	if (!v)
		return NAN;
	for (i = 0; i < cr->ntds; i++)
		if (!strcmp(cr->tds[i].by, by))
			v[n++] = cr->tds[i].ns;
	if (stats_median(v, n, &m))
		m = NAN;
	free(v);
	return m;
}

/*
 * What each perturbing collector costs: its repetitions' median teardown
 * over the clean ones', measured alternately in this run.
 */
static int emit_overheads(struct config_run *cr)
{
	struct metric_sink *ms = cr->r->sink->metrics;
	double clean = teardown_median(cr, "");
	size_t i;
	int ret;

	for (i = 0; i < cr->nall; i++) {
		const char *name = cr->all[i].ops->name;
		double instr;

		if (!cr->all[i].ops->perturbs)
			continue;
		instr = teardown_median(cr, name);
		ret = isfinite(instr) && clean > 0
			? metric_emit(ms, name, "overhead.teardown_ratio", instr / clean, "ratio")
			: metric_emit_na(ms, name, "overhead.teardown_ratio", "ratio");
		if (ret)
			return ret;
	}
	return 0;
}

static int run_config(struct config_run *cr, struct errmsg *e)
{
	const struct job *j = cr->c->job;
	unsigned int rounds = j->warmup + j->reps, round;
	int rep = 0, ret;
	size_t i;

	for (round = 0; round < rounds; round++) {
		bool warmup = round < j->warmup;

		report(cr, round, rounds, warmup, NULL);
		ret = one_rep(cr, rep++, warmup, NULL, e);
		if (ret)
			return ret;
		if (warmup)
			continue;
		/* instrumented repetitions alternate with the clean ones */
		for (i = 0; i < cr->nall; i++) {
			if (!cr->all[i].ops->perturbs)
				continue;
			report(cr, round, rounds, false, &cr->all[i]);
			ret = one_rep(cr, rep++, false, &cr->all[i], e);
			if (ret)
				return ret;
		}
	}
	metric_sink_at(cr->r->sink->metrics, cr->c->id, -1);
	ret = emit_overheads(cr);
	if (ret)
		return ret;
	for (i = 0; i < cr->nall; i++) {
		const struct collector_ops *o = cr->all[i].ops;
		struct rep_info info = {
			.config = cr->c->id, .rep = -1, .workload = cr->c->wl->name,
			.procs = cr->c->procs, .plain = cr->c->plain, .size = cr->c->size,
			.page_size = sysconf(_SC_PAGESIZE), .outdir = cr->req->outdir,
		};
		struct lock_range lr;

		if (lock_range_of(cr->c->job, cr->c->size, info.page_size, lock_range_huge_size(),
				  &lr, NULL))
			lr = (struct lock_range){ .whole = true };
		config_locked_pages(cr->c, &lr, info.page_size, &info.locked);
		if (o->config_end) {
			ret = o->config_end(cr->all[i].state, &info, cr->r->sink->metrics, e);
			if (ret)
				return errmsg_prefix(e, ret, "collector %s", o->name);
		}
	}
	return 0;
}

static bool stop_requested(const struct run_request *req)
{
	return req->interrupted && *req->interrupted;
}

/* @pre, @npre: @j's collectors if already open (then owned here), else NULL. */
static int run_job_configs(struct runner *r, const struct run_request *req,
			   const struct job *j, const struct topo *topo,
			   struct active_collector *pre, size_t npre, struct errmsg *e)
{
	struct config_run cr = { .r = r, .req = req, .all = pre, .nall = npre };
	struct placement pl = { .membind = j->membind, .interleave = j->interleave };
	int *cpus = NULL;
	size_t i;
	int ret;

	ret = placement_check(topo, &pl, e);
	if (!ret && (pl.membind >= 0 || pl.interleave))
		ret = placement_apply(&pl, e);	/* children inherit the policy */
	if (!ret && !cr.all) {
		ret = open_collectors(j, &cr.all, &cr.nall, e);
		r->collector_failed = ret != 0;
	}
	if (ret)
		goto out;
	cr.env = (struct engine_env){
		.topo = topo, .sink = r->sink->metrics, .outdir = req->outdir,
		.interrupted = req->interrupted,
	};
	for (i = 0; i < r->nconfigs && !ret; i++) {
		if (r->configs[i].job != j)
			continue;
		/* a signal between configurations: start no other */
		if (stop_requested(req)) {
			ret = -EINTR;
			break;
		}
		cr.c = &r->configs[i];
		cr.ntds = 0;
		cr.res.lat_ns = calloc(cr.c->procs, sizeof(*cr.res.lat_ns));
		cpus = calloc(cr.c->procs, sizeof(*cpus));
		if (!cr.res.lat_ns || !cpus) {
			ret = -ENOMEM;
		} else {
			ret = pin_plan(topo, j->pin, cr.c->procs, cpus, e);
			cr.env.cpus = j->pin == PIN_NONE ? NULL : cpus;
			if (!ret)
				ret = r->sink->ops->add_config(r->sink->ctx, cr.c);
			if (!ret)
				ret = run_config(&cr, e);
			/* interrupted half-way: the folder keeps finished ones only */
			if (ret && (ret == -EINTR || stop_requested(req))) {
				r->sink->ops->drop_config(r->sink->ctx, cr.c->id);
				ret = -EINTR;
			}
		}
		free(cr.res.lat_ns);
		free(cpus);
		cr.res.lat_ns = NULL;
		cpus = NULL;
		if (!ret) {
			r->configs_done++;
			ret = r->sink->ops->flush(r->sink->ctx, "running", NULL, e);
		}
	}
out:
	free(cr.tds);
	if (cr.all)
		close_collectors(r, j, cr.all, cr.nall);
	if (pl.membind >= 0 || pl.interleave)
		placement_apply(&(struct placement){ .membind = -1 }, NULL);
	return ret;
}

static void shuffle_configs(struct runner *r, uint64_t seed)
{
	gsl_rng *rng;

	if (!seed)
		return;
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!rng)
		return;
	gsl_rng_set(rng, seed);
	gsl_ran_shuffle(rng, r->configs, r->nconfigs, sizeof(*r->configs));
	gsl_rng_free(rng);
}

int runner_run(struct runner *r, const struct run_request *req, struct errmsg *e)
{
	struct active_collector *pre = NULL;
	struct topo *topo = NULL;
	size_t npre = 0;
	const char *status;
	size_t i;
	int ret, fret;

	memset(r, 0, sizeof(*r));
	r->sink = req->sink;
	ret = sysinfo_gather(&r->si, NULL, e);
	if (!ret)
		ret = collectors_probe(&r->si.avail);
	if (!ret)
		ret = sysaudit_gather(&r->audit, NULL, e);
	if (!ret)
		ret = check_jobs(r, req, e);
	if (!ret)
		ret = runner_expand(req->jobs, req->njobs, &r->configs, &r->nconfigs, e);
	if (!ret)
		ret = topo_load(&topo, NULL, e);
	/*
	 * The first job's collectors open before the folder exists: a machine
	 * or a user that cannot run them (perf as nobody) is told up front.
	 */
	if (!ret && req->njobs) {
		ret = open_collectors(&req->jobs[0], &pre, &npre, e);
		r->collector_failed = ret != 0;
	}
	if (!ret)
		ret = r->sink->ops->open(r->sink->ctx, &(struct run_head){
			.argc = req->argc, .argv = req->argv, .jobs = req->jobs,
			.njobs = req->njobs, .si = &r->si, .audit = &r->audit,
		}, e);
	if (ret) {
		release_collectors(pre, npre);
		topo_free(topo);
		return ret;
	}
	/* ids stay in sweep order; only the execution order is shuffled */
	shuffle_configs(r, req->jobs[0].seed);
	r->started = true;
	for (i = 0; i < req->njobs && !ret; i++) {
		if (stop_requested(req)) {
			ret = -EINTR;
			break;
		}
		ret = run_job_configs(r, req, &req->jobs[i], topo, pre, npre, e);
		pre = NULL;	/* job 0 took them */
		npre = 0;
	}
	release_collectors(pre, npre);
	topo_free(topo);

	if (ret == -EINTR || (req->interrupted && *req->interrupted)) {
		ret = -EINTR;
		status = "interrupted";
	} else {
		status = ret ? "failed" : "complete";
	}
	fret = r->sink->ops->flush(r->sink->ctx, status, ret && ret != -EINTR ? e->buf : NULL,
				   ret ? NULL : e);
	return ret ? ret : fret;
}

void runner_release(struct runner *r)
{
	free(r->configs);
	memset(r, 0, sizeof(*r));
}
