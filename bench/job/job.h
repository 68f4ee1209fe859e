/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A job: one workload with its parameters, some of them sweeps.  Expanded
 * into configurations (the cartesian product of the sweeps) by the runner.
 * Every field is set through the option table (options.c), from the
 * command line or a job file alike.
 */
#ifndef MLB_JOB_H
#define MLB_JOB_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "common/errmsg.h"
#include "common/parse.h"
#include "sysinfo/topology.h"

enum backing_kind {
	BACKING_SHMEM,		/* memfd: a shmem/tmpfs file */
	BACKING_FILE,		/* page-cache file in a directory */
	BACKING_ANON_COW,	/* anonymous memory shared COW after fork */
	BACKING_THP_SHMEM,	/* shmem with MADV_HUGEPAGE */
	BACKING_THP_ANON,	/* anon COW with MADV_HUGEPAGE */
};

enum lock_method {
	LOCK_MLOCK,		/* mlock() */
	LOCK_ONFAULT,		/* mlock2(MLOCK_ONFAULT), then fault in */
	LOCK_MAP_LOCKED,	/* mmap(MAP_LOCKED) */
	LOCK_MLOCKALL,		/* mlockall(MCL_CURRENT | MCL_FUTURE) */
};

/* Protection of the lockers' and plain mappers' mappings (--prot). */
enum prot_mode {
	PROT_MODE_RW,		/* PROT_READ | PROT_WRITE: the default */
	PROT_MODE_RO,		/* PROT_READ */
};
#define PROT_MODE_COUNT 2

/* --lock-offset auto: the middle of the first huge page to the middle of the last */
#define LOCK_OFFSET_AUTO UINT64_MAX

#define JOB_NAME_MAX 64
#define JOB_MAX_OPTS 32

struct job {
	char name[JOB_NAME_MAX];
	char workload[32];
	struct u64_list procs;		/* lockers (P) */
	struct u64_list plain;		/* non-locking mappers (M) */
	struct u64_list size;		/* bytes per locker (N pages) */
	enum backing_kind backing;
	char backing_dir[PATH_MAX];	/* for BACKING_FILE */
	enum lock_method lock;
	struct u64_list prot;		/* enum prot_mode values: a sweep */
	uint64_t reps;
	uint64_t warmup;
	enum pin_policy pin;
	int64_t membind;		/* NUMA node, -1 = none */
	bool interleave;
	uint64_t seed;
	char collect[256];		/* comma list of collectors */
	char probe[128];		/* comma list of probes (collectors too), "none" */
	bool perf_record;
	bool force;			/* allow mlocking > 80% of MemAvailable */
	uint64_t timeout;		/* seconds per repetition before children are killed */
	uint64_t reserve;		/* munlockall-reserve: bytes of PROT_NONE reservation */
	uint64_t vmas;			/* vmas: VMAs each locker's area is split into (K) */
	/*
	 * The THP boundary: each locker mlocks only [lock_offset, +lock_len)
	 * of its area (job/lock_range.h).  0, 0: the whole area (the default,
	 * and what folders without the options measured).
	 */
	uint64_t lock_offset;		/* bytes, or LOCK_OFFSET_AUTO */
	uint64_t lock_len;		/* bytes; 0: to the end of the area */
	bool require_thp;		/* refuse a THP backing that got no huge pages */
	/* what was given for each option, echoed into the manifest */
	const char *given[JOB_MAX_OPTS];
	char given_buf[JOB_MAX_OPTS][256];
};

const char *backing_name(enum backing_kind b);
/* thp-shmem or thp-anon: the backings that ask for huge pages */
bool backing_is_thp(enum backing_kind b);
const char *lock_method_name(enum lock_method l);
const char *prot_mode_name(enum prot_mode p);

/* Defaults for every option. */
void job_init(struct job *j, const char *name);

/* Copy a job; the echoed values are re-pointed into @dst's own buffers. */
void job_copy(struct job *dst, const struct job *src);

/* Set option @key (long name, no dashes) to @val; -ENOENT if unknown. */
int job_set(struct job *j, const char *key, const char *val, struct errmsg *e);

/* Checks that need every option (combinations). */
int job_validate(const struct job *j, struct errmsg *e);

/* File descriptors the engine keeps beside one pidfd per child. */
#define JOB_SPARE_FDS 64

/* The machine's limits a job must respect (from sysinfo). */
struct job_limits {
	uint64_t mem_available;		/* bytes */
	uint64_t memlock_soft;		/* bytes, UINT64_MAX = unlimited */
	bool cap_ipc_lock;
	uint64_t page_size;		/* bytes; 0 = 4096 */
	/* what bounds the number of children; 0 = not known or not applying */
	uint64_t pid_max;		/* kernel.pid_max */
	uint64_t threads_max;		/* kernel.threads-max */
	uint64_t threads_now;		/* threads on the machine before the run */
	uint64_t nproc_soft;		/* RLIMIT_NPROC (0 for root: not enforced) */
	uint64_t nofile_hard;		/* RLIMIT_NOFILE's hard limit: one pidfd a child */
	uint64_t max_map_count;		/* vm.max_map_count; 0 = not known */
};

/*
 * Refuse a job whose largest configuration would need more than 80% of
 * MemAvailable (unless force): the memory it mlocks, the page tables of
 * every mapping and each child's own memory (job/footprint.h).  Refuse
 * more than RLIMIT_MEMLOCK allows a process without CAP_IPC_LOCK
 * (-EPERM), and more children than pid_max, threads-max or RLIMIT_NPROC
 * leave room for (-EAGAIN), or RLIMIT_NOFILE (-EMFILE), force or not.
 * Then the workload's own checks against @l (workload_ops.validate).  The
 * message says how to fix it.
 */
int job_check_limits(const struct job *j, const struct job_limits *l, struct errmsg *e);

/* Largest value of a sweep. */
uint64_t u64_list_max(const struct u64_list *l);

/* The option table's size, names, help; used for --help and getopt. */
struct opt_def;
size_t job_option_count(void);
const char *job_option_name(size_t i);
bool job_option_takes_arg(size_t i);
/* The value in effect: as given, else the default; NULL for none. */
const char *job_option_value(const struct job *j, size_t i);
/* Whether option @i changes the measurement (a configuration's identity). */
bool job_option_identity(size_t i);
/*
 * The parsed value of option @i in canonical form ("none" for no membind,
 * "1"/"0" for flags, a sweep as "1,2,4", a size in bytes): equal exactly
 * when the job does the same.
 */
int job_option_format(const struct job *j, size_t i, char *buf, size_t len);
/* "  --procs LIST   lockers ..." lines for --help */
void job_options_help(char *buf, size_t len);

/*
 * A job file: INI, fio-like.  [global] sets defaults for the sections
 * after it; every other [section] is a job named after it.  Keys are the
 * options' long names.  On error @e says "FILE:LINE: message".
 */
int jobfile_load(const char *path, const struct job *base, struct job **jobs,
		 size_t *njobs, struct errmsg *e);
/* The same from an open stream; @origin is the FILE in the messages. */
int jobfile_load_stream(FILE *f, const char *origin, const struct job *base,
			struct job **jobs, size_t *njobs, struct errmsg *e);

#endif
