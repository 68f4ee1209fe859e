/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What machine and kernel a result came from: everything the manifest's
 * "system" object and `mlockbench info` show.
 */
#ifndef MLB_SYSINFO_H
#define MLB_SYSINFO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "common/errmsg.h"
#include "sysinfo/collector_avail.h"

enum mlock_design {
	DESIGN_UNKNOWN,
	DESIGN_RMAP_WALK,	/* try_to_munlock/page_mlock: before 5.18 */
	DESIGN_MLOCK_COUNT,	/* mlock_folio, munlock_page/folio: 5.18 on */
};

#define DESIGN_MAX_EVIDENCE 16

struct design_evidence {
	enum mlock_design design;
	size_t n;
	char sym[DESIGN_MAX_EVIDENCE][64];	/* fingerprint symbols found */
};

const char *design_name(enum mlock_design d);
/* "rmap-walk", "mlock_count", "unknown" -> enum; -EINVAL otherwise. */
int design_parse(const char *s, enum mlock_design *out);
/* Scan a kallsyms stream ("addr type name [module]" lines). */
int design_detect_stream(FILE *kallsyms, struct design_evidence *out);
/* The i-th fingerprint symbol, NULL past the last (a guest greps for them). */
const char *design_fingerprint(size_t i);
/* /proc/kallsyms of the running kernel. */
int design_detect(struct design_evidence *out, struct errmsg *e);

struct topo_summary {
	unsigned int packages, numa_nodes, cores, pus;
	char source[256];	/* "this machine", an XML path or a synthetic string */
};

struct sysinfo {
	char release[128], version[256], machine[32];
	char cmdline[1024];
	char cpu_model[128];
	struct design_evidence design;
	struct topo_summary topo;
	uint64_t mem_total_kib, mem_available_kib;
	char thp_enabled[64], thp_shmem_enabled[64];
	uint64_t memlock_soft, memlock_hard;	/* bytes; UINT64_MAX = unlimited */
	bool cap_ipc_lock;
	struct collector_avail avail;
};

/* @topology: NULL for this machine, else an hwloc XML path or synthetic string. */
int sysinfo_gather(struct sysinfo *si, const char *topology, struct errmsg *e);

#endif
