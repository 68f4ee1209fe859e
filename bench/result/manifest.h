/* SPDX-License-Identifier: GPL-2.0 */
/*
 * manifest.json (docs/RESULTS.md): every key is written and read here.
 * manifest.c builds it for the writer and patches it for the campaign,
 * manifest_read.c reads it into a struct result_folder, manifest_system.c
 * owns the "system" object.
 */
#ifndef MLB_RESULT_MANIFEST_H
#define MLB_RESULT_MANIFEST_H

#include <stdbool.h>

#include <jansson.h>

#include "common/errmsg.h"
#include "engine/metric_sink.h"
#include "engine/run_sink.h"
#include "result/reader.h"
#include "result/schema.h"
#include "sysinfo/sysinfo.h"

/* A new run's manifest: schema, status "running", no configurations. NULL: no memory. */
json_t *manifest_new(void);
/* Whether @m is a manifest of this schema (any version). */
bool manifest_is_result(const json_t *m);
/* tool, cmdline, start, kernel_id "native", system, audit, jobs. */
int manifest_set_head(json_t *m, const struct run_head *h);
int manifest_add_config(json_t *m, const struct config *c);
/* Configuration @id's "smaps" object (manifest_smaps.c, docs/RESULTS.md). */
int manifest_add_smaps(json_t *m, unsigned int id, const struct smaps_proof *p);
/* The configuration object of @id in @m's configs; NULL when none. */
json_t *manifest_config(json_t *m, unsigned int id);
void manifest_drop_config(json_t *m, unsigned int id);
/* The entry of a closing collector; its overhead from the rows of @s. */
int manifest_add_collector(json_t *m, const struct job *j, const struct active_collector *ac,
			   const struct metric_sink *s);
/* status, end, checks (from @s) and, when not NULL, error. */
int manifest_finish(json_t *m, const char *status, const char *error,
		    const struct metric_sink *s);

/* manifest_system.c: the "system" object. */
json_t *manifest_system_json(const struct sysinfo *si);
void manifest_system_read(const json_t *sys, struct result_folder *f);

/* What a campaign adds to a kernel's manifest. */
struct manifest_campaign {
	const char *kernel_id, *campaign;
	const char *expected_design;	/* "" or NULL: not known */
	bool design_mismatch;
	bool failed;			/* the kernel's run did not complete */
	const char *error;		/* why, when failed */
	const struct sysaudit *host;	/* the host at the boot's start; NULL: none */
};

/*
 * The status of @dir/manifest.json ("" when it has none) into @status, and
 * whether it is one of ours; -ENOENT when there is no readable JSON there.
 */
int manifest_dir_status(const char *dir, char *status, size_t len, bool *is_result);
/* Whether @dir holds a manifest of ours with status "complete". */
bool manifest_dir_complete(const char *dir);
/*
 * Patch @dir/manifest.json with @p; a missing or unreadable one becomes a
 * manifest of status "failed", so a folder never says "complete" unless
 * the run did.
 */
int manifest_patch_campaign(const char *dir, const struct manifest_campaign *p,
			    struct errmsg *e);

/*
 * manifest_read.c: load @path into @f (status, kernel, system, audit,
 * configs with their identity).  -EINVAL naming @path for a bad manifest.
 */
int manifest_read(const char *path, bool allow_incomplete, struct result_folder *f,
		  struct errmsg *e);

#endif
