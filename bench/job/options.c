// SPDX-License-Identifier: GPL-2.0
/*
 * The option table: one row per job option drives the command line, job
 * files, --help and the options echoed into the manifest (fio style).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "engine/collector.h"
#include "engine/workload.h"
#include "job/job.h"

enum opt_type {
	OPT_WORKLOAD,
	OPT_COUNT_LIST,
	OPT_SIZE_LIST,
	OPT_U64,
	OPT_SIZE,
	OPT_BACKING,
	OPT_LOCK,
	OPT_PROT_LIST,
	OPT_PIN,
	OPT_NODE,
	OPT_FLAG,
	OPT_STR,
	OPT_PROBE,
	OPT_LOCK_OFFSET,
};

struct opt_def {
	const char *name;
	enum opt_type type;
	size_t offset;
	uint64_t min, max;
	const char *def;
	const char *metavar;
	const char *help;
	bool identity;		/* changes the measurement: part of a configuration's key */
};

#define OFF(f) offsetof(struct job, f)

/* Upper bounds catch typos, not machines: the memory check is separate. */
static const struct opt_def opts[] = {
	{ "workload", OPT_WORKLOAD, OFF(workload), 0, 0, "exit", "NAME",
	  "what each locker does at the release (see 'workloads' below)", true },
	{ "procs", OPT_COUNT_LIST, OFF(procs), 1, 4096, "4", "LIST",
	  "mlocking processes (P); a sweep like 1,2,4,...,256", true },
	{ "size", OPT_SIZE_LIST, OFF(size), 4096, 1ull << 40, "64M", "LIST",
	  "bytes each locker maps and mlocks (the same file for all)", true },
	{ "plain", OPT_COUNT_LIST, OFF(plain), 0, 4096, "0", "LIST",
	  "extra processes that map and fault in the file without mlock", true },
	{ "backing", OPT_BACKING, OFF(backing), 0, 0, "shmem", "KIND",
	  "shmem, file:DIR, anon-cow, thp-shmem or thp-anon", true },
	{ "lock", OPT_LOCK, OFF(lock), 0, 0, "mlock", "METHOD",
	  "mlock, onfault (mlock2 MLOCK_ONFAULT), map-locked or mlockall", true },
	{ "prot", OPT_PROT_LIST, OFF(prot), 0, 0, "rw", "LIST",
	  "rw or ro: protection of every mapping of the file; a sweep like rw,ro", true },
	{ "reps", OPT_U64, OFF(reps), 1, 100000, "10", "N",
	  "measured repetitions per configuration", false },
	{ "warmup", OPT_U64, OFF(warmup), 0, 1000, "1", "N",
	  "unmeasured repetitions before them", false },
	{ "pin", OPT_PIN, OFF(pin), 0, 0, "none", "POLICY",
	  "none, compact or scatter: lockers pinned over cores (hwloc)", true },
	{ "membind", OPT_NODE, OFF(membind), 0, 4095, NULL, "NODE",
	  "allocate the file's memory on NUMA node NODE (libnuma)", true },
	{ "interleave", OPT_FLAG, OFF(interleave), 0, 0, NULL, NULL,
	  "interleave the file's memory over all NUMA nodes", true },
	{ "seed", OPT_U64, OFF(seed), 0, ~0ull, "0", "N",
	  "shuffle the order of configurations with this seed (0: sweep order)", false },
	{ "collect", OPT_STR, OFF(collect), 0, 0, "vmstat", "LIST",
	  "collectors, NAME[:OPTION=VALUE...] (see 'collectors' below)", false },
	/*
	 * Not identity: a probe perturbs the teardown, so it runs as a
	 * perturbing collector, in repetitions of its own marked instrumented
	 * and left out of the timing statistics; the clean ones measure what a
	 * run without it does.  The manifest records it (this option, and the
	 * collector with its interval), and runs that differ in it are not one
	 * series (result/manifest_read.c, method_options).
	 */
	{ "probe", OPT_PROBE, OFF(probe), 0, 0, "none", "LIST",
	  "probes timing what the teardown delays: mmap_lock (munmap, exit)", false },
	{ "perf-record", OPT_FLAG, OFF(perf_record), 0, 0, NULL, NULL,
	  "also save perf.data of the teardown window (perf record -a -g)", false },
	{ "timeout", OPT_U64, OFF(timeout), 1, 86400, "600", "SECONDS",
	  "kill the children of a repetition that takes longer", false },
	{ "force", OPT_FLAG, OFF(force), 0, 0, NULL, NULL,
	  "allow mlocking more than 80% of MemAvailable", false },
	/* a workload's own: its job_options list them, job_validate refuses them elsewhere */
	{ "reserve", OPT_SIZE, OFF(reserve), 4096, 1ull << 46, "64G", "SIZE",
	  "PROT_NONE reservation beside each locker's area, never populated", true },
	{ "vmas", OPT_U64, OFF(vmas), 1, 1ull << 24, "1024", "K",
	  "VMAs each locker's area is split into (page-sized, unmergeable)", true },
	/* the THP boundary (job/lock_range.h): 0 and 0, the whole area, is what old folders did */
	{ "lock-offset", OPT_LOCK_OFFSET, OFF(lock_offset), 0, 1ull << 40, "0", "OFF",
	  "mlock only from OFF into the area; auto: the middle of the first huge page to the "
	  "middle of the last", true },
	{ "lock-len", OPT_SIZE, OFF(lock_len), 0, 1ull << 40, "0", "LEN",
	  "bytes to mlock from --lock-offset (0: to the end of the area)", true },
	/*
	 * Not identity: a run it lets through measured what one without it
	 * does; a run it refuses measured nothing.
	 */
	{ "require-thp", OPT_FLAG, OFF(require_thp), 0, 0, NULL, NULL,
	  "refuse the run (exit 3) when a THP backing's lockers got no huge pages", false },
};

#define NOPTS (sizeof(opts) / sizeof(opts[0]))
_Static_assert(NOPTS <= JOB_MAX_OPTS, "raise JOB_MAX_OPTS");

static const char *const backing_names[] = {
	[BACKING_SHMEM] = "shmem", [BACKING_FILE] = "file",
	[BACKING_ANON_COW] = "anon-cow", [BACKING_THP_SHMEM] = "thp-shmem",
	[BACKING_THP_ANON] = "thp-anon",
};

static const char *const lock_names[] = {
	[LOCK_MLOCK] = "mlock", [LOCK_ONFAULT] = "onfault",
	[LOCK_MAP_LOCKED] = "map-locked", [LOCK_MLOCKALL] = "mlockall",
};

static const char *const prot_names[] = {
	[PROT_MODE_RW] = "rw", [PROT_MODE_RO] = "ro",
};

const char *prot_mode_name(enum prot_mode p)
{
	return prot_names[p];
}

const char *backing_name(enum backing_kind b)
{
	return backing_names[b];
}

bool backing_is_thp(enum backing_kind b)
{
	return b == BACKING_THP_SHMEM || b == BACKING_THP_ANON;
}

const char *lock_method_name(enum lock_method l)
{
	return lock_names[l];
}

static int set_backing(struct job *j, const char *val, struct errmsg *e)
{
	int b;

	if (!strncmp(val, "file:", 5)) {
		if (!val[5])
			return errmsg_set(e, -EINVAL, "backing file: needs a directory (file:DIR)");
		snprintf(j->backing_dir, sizeof(j->backing_dir), "%s", val + 5);
		j->backing = BACKING_FILE;
		return 0;
	}
	if (parse_name(val, backing_names, 5, &b) || b == BACKING_FILE)
		return errmsg_set(e, -EINVAL,
				  "unknown backing '%s' (shmem, file:DIR, anon-cow, thp-shmem, thp-anon)",
				  val);
	j->backing = b;
	return 0;
}

/* "rw", "ro" or "rw,ro": each mode at most once (one configuration each). */
static int set_prot_list(struct u64_list *out, const char *val, struct errmsg *e)
{
	char buf[64], *tok, *save = NULL;
	struct u64_list l = { 0 };
	size_t i;
	int v;

	if (strlen(val) >= sizeof(buf))
		return errmsg_set(e, -EINVAL, "value too long");
	snprintf(buf, sizeof(buf), "%s", val);
	if (!buf[0] || buf[0] == ',' || buf[strlen(buf) - 1] == ',' || strstr(buf, ",,"))
		return errmsg_set(e, -EINVAL, "'%s' has an empty element (rw, ro or rw,ro)", val);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (parse_name(tok, prot_names, PROT_MODE_COUNT, &v))
			return errmsg_set(e, -EINVAL, "unknown protection '%s' (rw, ro)", tok);
		for (i = 0; i < l.n; i++)
			if (l.v[i] == (uint64_t)v)
				return errmsg_set(e, -EINVAL, "'%s' given twice", tok);
		l.v[l.n++] = v;
	}
	*out = l;
	return 0;
}

static size_t opt_index(const char *name)
{
	size_t i;

	for (i = 0; i < NOPTS && strcmp(opts[i].name, name); i++)
		;
	return i;
}

/*
 * A workload that accepts one lock method only implies it, unless --lock
 * was given (job_validate then refuses a mismatch); any other workload
 * gets the default back, whatever a [global] workload implied.
 */
static void imply_lock(struct job *j)
{
	const struct workload_ops *w = workload_find(j->workload);
	size_t i = opt_index("lock");
	int v = LOCK_MLOCK;

	if (i == NOPTS || j->given[i])
		return;
	if (w && w->locks && !(w->locks & (w->locks - 1)))
		v = __builtin_ctz(w->locks);
	else
		parse_name(opts[i].def, lock_names, 4, &v);
	j->lock = v;
}

static int set_one(struct job *j, const struct opt_def *o, const char *val,
		   struct errmsg *e)
{
	void *field = (char *)j + o->offset;
	int v;

	switch (o->type) {
	case OPT_WORKLOAD:
		if (strlen(val) >= sizeof(j->workload))
			return errmsg_set(e, -EINVAL, "value too long");
		if (workload_spec_check(val, e))
			return -EINVAL;
		snprintf(field, sizeof(j->workload), "%s", val);
		imply_lock(j);
		return 0;
	case OPT_COUNT_LIST:
	case OPT_SIZE_LIST:
		return parse_u64_list(val, o->type == OPT_SIZE_LIST, o->min, o->max,
				      field, e);
	case OPT_U64:
		return parse_u64(val, o->min, o->max, field, e);
	case OPT_SIZE: {
		struct u64_list one;
		int ret = parse_u64_list(val, true, o->min, o->max, &one, e);

		if (!ret && one.n != 1)
			ret = errmsg_set(e, -EINVAL, "'%s': one size, not a list", val);
		if (!ret)
			*(uint64_t *)field = one.v[0];
		return ret;
	}
	case OPT_NODE: {
		uint64_t node;
		int ret = parse_u64(val, o->min, o->max, &node, e);

		if (!ret)
			*(int64_t *)field = node;
		return ret;
	}
	case OPT_BACKING:
		return set_backing(j, val, e);
	case OPT_LOCK:
		if (parse_name(val, lock_names, 4, &v))
			return errmsg_set(e, -EINVAL,
					  "unknown lock method '%s' (mlock, onfault, map-locked, mlockall)",
					  val);
		*(enum lock_method *)field = v;
		return 0;
	case OPT_PROT_LIST:
		return set_prot_list(field, val, e);
	case OPT_PIN:
		if (pin_policy_parse(val, (enum pin_policy *)field))
			return errmsg_set(e, -EINVAL,
					  "unknown pin policy '%s' (none, compact, scatter)", val);
		return 0;
	case OPT_FLAG:
		if (!val || !strcmp(val, "1") || !strcmp(val, "true") || !strcmp(val, "yes"))
			*(bool *)field = true;
		else if (!strcmp(val, "0") || !strcmp(val, "false") || !strcmp(val, "no"))
			*(bool *)field = false;
		else
			return errmsg_set(e, -EINVAL, "'%s' is not a boolean (1/0, true/false)",
					  val);
		return 0;
	case OPT_STR:
		if (strlen(val) >= sizeof(j->collect))
			return errmsg_set(e, -EINVAL, "value too long");
		snprintf(field, sizeof(j->collect), "%s", val);
		return 0;
	case OPT_LOCK_OFFSET: {
		uint64_t off;

		if (!strcmp(val, "auto")) {
			*(uint64_t *)field = LOCK_OFFSET_AUTO;
			return 0;
		}
		if (parse_size(val, &off, NULL))
			return errmsg_set(e, -EINVAL, "'%s' is not a size or auto", val);
		if (off > o->max)
			return errmsg_set(e, -EINVAL, "'%s' is beyond %llu bytes", val,
					  (unsigned long long)o->max);
		*(uint64_t *)field = off;
		return 0;
	}
	case OPT_PROBE:
		if (strlen(val) >= sizeof(j->probe))
			return errmsg_set(e, -EINVAL, "value too long");
		if (probe_list_check(val, e))
			return -EINVAL;
		snprintf(field, sizeof(j->probe), "%s", val);
		return 0;
	}
	return -EINVAL;
}

int job_set(struct job *j, const char *key, const char *val, struct errmsg *e)
{
	size_t i;
	int ret;

	for (i = 0; i < NOPTS; i++) {
		if (strcmp(opts[i].name, key))
			continue;
		if (opts[i].type == OPT_FLAG && !val)
			val = "1";
		if (!val)
			return errmsg_set(e, -EINVAL, "%s needs a value", key);
		ret = set_one(j, &opts[i], val, e);
		if (ret)
			return errmsg_prefix(e, ret, "%s", key);
		snprintf(j->given_buf[i], sizeof(j->given_buf[i]), "%s", val);
		j->given[i] = j->given_buf[i];
		return 0;
	}
	return errmsg_set(e, -ENOENT, "unknown option '%s'", key);
}

void job_init(struct job *j, const char *name)
{
	size_t i;

	memset(j, 0, sizeof(*j));
	snprintf(j->name, sizeof(j->name), "%s", name);
	j->membind = -1;
	for (i = 0; i < NOPTS; i++)
		if (opts[i].def && set_one(j, &opts[i], opts[i].def, NULL))
			__builtin_trap();	/* a bad default is a bug */
}

void job_copy(struct job *dst, const struct job *src)
{
	size_t i;

	if (dst == src)
		return;
	*dst = *src;
	/* a plain copy would point into @src, which may not outlive @dst */
	for (i = 0; i < NOPTS; i++)
		if (src->given[i])
			dst->given[i] = dst->given_buf[i];
}

size_t job_option_count(void)
{
	return NOPTS;
}

const char *job_option_name(size_t i)
{
	return i < NOPTS ? opts[i].name : NULL;
}

bool job_option_takes_arg(size_t i)
{
	return i < NOPTS && opts[i].type != OPT_FLAG;
}

/* A workload's own option in a job of another workload: not in effect. */
static bool foreign_option(const struct job *j, size_t i)
{
	const struct workload_ops *w = workload_owning_option(opts[i].name);

	return w && !workload_takes_option(workload_find(j->workload) ?: w, opts[i].name);
}

const char *job_option_value(const struct job *j, size_t i)
{
	if (i >= NOPTS || foreign_option(j, i))
		return NULL;
	if (j->given[i])
		return j->given[i];
	if (opts[i].type == OPT_LOCK)
		return lock_method_name(j->lock);	/* the default, or a workload's */
	if (opts[i].def)
		return opts[i].def;
	return opts[i].type == OPT_FLAG ? "0" : NULL;
}

bool job_option_identity(size_t i)
{
	return i < NOPTS && opts[i].identity;
}

static void format_list(const struct u64_list *l, char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = 0;
	for (i = 0; i < l->n && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%llu", i ? "," : "",
				(unsigned long long)l->v[i]);
}

int job_option_format(const struct job *j, size_t i, char *buf, size_t len)
{
	const void *field;

	if (i >= NOPTS || !len)
		return -EINVAL;
	if (foreign_option(j, i)) {
		snprintf(buf, len, "none");
		return 0;
	}
	field = (const char *)j + opts[i].offset;
	switch (opts[i].type) {
	case OPT_WORKLOAD:
	case OPT_STR:
	case OPT_PROBE:
		snprintf(buf, len, "%s", (const char *)field);
		break;
	case OPT_COUNT_LIST:
	case OPT_SIZE_LIST:
		format_list(field, buf, len);
		break;
	case OPT_U64:
	case OPT_SIZE:
		snprintf(buf, len, "%llu", (unsigned long long)*(const uint64_t *)field);
		break;
	case OPT_LOCK_OFFSET:
		if (*(const uint64_t *)field == LOCK_OFFSET_AUTO)
			snprintf(buf, len, "auto");
		else
			snprintf(buf, len, "%llu", (unsigned long long)*(const uint64_t *)field);
		break;
	case OPT_NODE:
		if (*(const int64_t *)field < 0)
			snprintf(buf, len, "none");
		else
			snprintf(buf, len, "%lld", (long long)*(const int64_t *)field);
		break;
	case OPT_BACKING:
		snprintf(buf, len, "%s%s%s", backing_name(j->backing),
			 j->backing == BACKING_FILE ? ":" : "",
			 j->backing == BACKING_FILE ? j->backing_dir : "");
		break;
	case OPT_LOCK:
		snprintf(buf, len, "%s", lock_method_name(j->lock));
		break;
	case OPT_PROT_LIST: {
		const struct u64_list *l = field;
		size_t k, off = 0;

		buf[0] = 0;
		for (k = 0; k < l->n && off < len; k++)
			off += snprintf(buf + off, len - off, "%s%s", k ? "," : "",
					prot_mode_name(l->v[k]));
		break;
	}
	case OPT_PIN:
		snprintf(buf, len, "%s", pin_policy_name(j->pin));
		break;
	case OPT_FLAG:
		snprintf(buf, len, "%d", *(const bool *)field);
		break;
	}
	return 0;
}

void job_options_help(char *buf, size_t len)
{
	size_t i, off = 0;

	for (i = 0; i < NOPTS && off < len; i++) {
		const struct workload_ops *w = workload_owning_option(opts[i].name);
		char lhs[48], only[64] = "";

		snprintf(lhs, sizeof(lhs), "--%s%s%s", opts[i].name,
			 opts[i].metavar ? " " : "", opts[i].metavar ? opts[i].metavar : "");
		if (w)
			snprintf(only, sizeof(only), "; --workload %s only", w->name);
		off += snprintf(buf + off, len - off, "  %-24s %s%s%s%s%s\n", lhs, opts[i].help,
				only, opts[i].def ? " [" : "", opts[i].def ? opts[i].def : "",
				opts[i].def ? "]" : "");
	}
}
