// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "cli/cli_folders.h"
#include "result/manifest.h"

#define CAMPAIGN_JSON_MAX (16 << 20)

int cli_add_metrics(const char *cmd, char *list, const char **metrics, size_t *n, size_t max)
{
	for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
		if (*n == max) {
			fprintf(stderr, "mlockbench %s: too many metrics\n", cmd);
			return -E2BIG;
		}
		metrics[(*n)++] = tok;
	}
	return 0;
}

struct dirlist {
	char **v;
	size_t n, cap;
};

static int dirlist_add(struct dirlist *l, const char *fmt, const char *a, const char *b)
{
	char buf[PATH_MAX];
	int len = snprintf(buf, sizeof(buf), fmt, a, b);

	if (len < 0 || len >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		char **v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n] = strdup(buf);
	return l->v[l->n] ? (l->n++, 0) : -ENOMEM;
}

static void dirlist_release(struct dirlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static bool is_file(const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return !stat(path, &st) && S_ISREG(st.st_mode);
}

/* A kernel id or boot folder named by campaign.json: one plain path component. */
static bool plain_name(const char *s)
{
	return s && *s && *s != '.' && !strchr(s, '/') && strlen(s) < 64;
}

/* The folder's manifest says complete (or @allow_incomplete and it has one). */
static bool usable_run(const char *dir, bool allow_incomplete)
{
	char status[32];
	bool is_result;

	if (manifest_dir_status(dir, status, sizeof(status), &is_result))
		return false;
	return allow_incomplete || !strcmp(status, "complete");
}

static int add_run(const char *cmd, struct dirlist *l, const char *dir, bool allow_incomplete,
		   size_t *skipped)
{
	if (!usable_run(dir, allow_incomplete)) {
		fprintf(stderr, "mlockbench %s: note: %s is not a complete run, left out\n", cmd,
			dir);
		(*skipped)++;
		return 0;
	}
	return dirlist_add(l, "%s%s", dir, "");
}

/* Whether an entry of @list before @upto names kernel @id. */
static bool seen_before(json_t *list, size_t upto, const char *key, const char *id)
{
	for (size_t i = 0; i < upto; i++) {
		const char *o = json_string_value(json_object_get(json_array_get(list, i), key));

		if (o && !strcmp(o, id))
			return true;
	}
	return false;
}

/* Entry @i of campaign.json (at @path) as a run folder under @dir. */
static int add_entry(const char *cmd, const char *dir, const char *path, json_t *v, size_t i,
		     bool boots, bool allow_incomplete, struct dirlist *l, size_t *skipped)
{
	const char *id = json_string_value(json_object_get(v, boots ? "kernel" : "id"));
	json_int_t b = json_integer_value(json_object_get(v, "boot"));
	char run[PATH_MAX];

	if (!plain_name(id) || (boots && (b < 1 || b > 100000))) {
		fprintf(stderr, "mlockbench %s: %s: entry %zu: bad kernel id or boot\n", cmd, path,
			i + 1);
		return -EINVAL;
	}
	if (boots)
		snprintf(run, sizeof(run), "%s/%s/boot-%lld", dir, id, (long long)b);
	else
		snprintf(run, sizeof(run), "%s/%s", dir, id);
	return add_run(cmd, l, run, allow_incomplete, skipped);
}

/*
 * campaign.json's boots (this layout) or kernels (the layout of one folder
 * per kernel), each checked to be a plain name under @dir: the file is data,
 * never a path to follow elsewhere.  Runs come grouped by kernel, in the
 * order the kernels first ran, each kernel's boots in the order they ran.
 */
static int expand_campaign(const char *cmd, const char *dir, bool allow_incomplete,
			   struct dirlist *l)
{
	size_t before = l->n, skipped = 0, n, k, i;
	char path[PATH_MAX];
	const char *key;
	json_error_t je;
	json_t *j, *list;
	bool boots;
	int err = 0;

	snprintf(path, sizeof(path), "%s/campaign.json", dir);
	j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!j) {
		fprintf(stderr, "mlockbench %s: %s:%d: %s\n", cmd, path, je.line, je.text);
		return -EINVAL;
	}
	list = json_object_get(j, "boots");
	boots = json_is_array(list);
	if (!boots)
		list = json_object_get(j, "kernels");
	if (!json_is_array(list)) {
		fprintf(stderr, "mlockbench %s: %s: neither a boots nor a kernels list\n", cmd,
			path);
		json_decref(j);
		return -EINVAL;
	}
	key = boots ? "kernel" : "id";
	n = json_array_size(list);
	for (k = 0; !err && k < n; k++) {
		const char *lead = json_string_value(json_object_get(json_array_get(list, k), key));

		if (!lead) {	/* add_entry says what is wrong with it */
			err = add_entry(cmd, dir, path, json_array_get(list, k), k, boots,
					allow_incomplete, l, &skipped);
			continue;
		}
		if (seen_before(list, k, key, lead))
			continue;
		for (i = k; !err && i < n; i++) {
			json_t *v = json_array_get(list, i);
			const char *id = json_string_value(json_object_get(v, key));

			if (id && !strcmp(id, lead))
				err = add_entry(cmd, dir, path, v, i, boots, allow_incomplete, l,
						&skipped);
		}
	}
	json_decref(j);
	if (!err && l->n == before) {
		fprintf(stderr, "mlockbench %s: campaign folder %s holds no complete run\n", cmd,
			dir);
		err = -ENOENT;
	}
	return err;
}

static int boot_number(const char *name)
{
	char *end;
	long n;

	if (strncmp(name, "boot-", 5) || name[5] < '1' || name[5] > '9')
		return -1;
	n = strtol(name + 5, &end, 10);
	return *end || n > 100000 ? -1 : (int)n;
}

static int by_boot(const void *a, const void *b)
{
	return boot_number(*(char *const *)a) - boot_number(*(char *const *)b);
}

/* A kernel's folder of a campaign: its boot-N folders, by N. */
static int expand_kernel(const char *cmd, const char *dir, bool allow_incomplete,
			 struct dirlist *l, bool *found)
{
	struct dirlist names = { 0 };
	size_t skipped = 0;
	struct dirent *de;
	DIR *d = opendir(dir);
	int err = 0;

	*found = false;
	if (!d)
		return 0;
	while (!err && (de = readdir(d)))
		if (boot_number(de->d_name) > 0)
			err = dirlist_add(&names, "%s%s", de->d_name, "");
	closedir(d);
	if (!err && names.n) {
		*found = true;
		qsort(names.v, names.n, sizeof(*names.v), by_boot);
		for (size_t i = 0; !err && i < names.n; i++) {
			char run[PATH_MAX];

			snprintf(run, sizeof(run), "%s/%s", dir, names.v[i]);
			err = add_run(cmd, l, run, allow_incomplete, &skipped);
		}
		if (!err && skipped == names.n) {
			fprintf(stderr, "mlockbench %s: %s holds no complete boot\n", cmd, dir);
			err = -ENOENT;
		}
	}
	dirlist_release(&names);
	return err;
}

/* One argument: a run folder, a campaign folder, or a campaign's kernel folder. */
static int expand_one(const char *cmd, const char *dir, bool allow_incomplete,
		      struct dirlist *l)
{
	bool found;
	int err;

	if (is_file(dir, "manifest.json"))
		return dirlist_add(l, "%s%s", dir, "");
	if (is_file(dir, "campaign.json"))
		return expand_campaign(cmd, dir, allow_incomplete, l);
	err = expand_kernel(cmd, dir, allow_incomplete, l, &found);
	if (err || found)
		return err;
	/* not a folder we know: the reader says why */
	return dirlist_add(l, "%s%s", dir, "");
}

int cli_load_folders(const char *cmd, char **dirs, size_t n, bool allow_incomplete,
		     struct result_folder ***f, size_t *nf)
{
	struct dirlist runs = { 0 };
	struct errmsg e = { "" };
	int err = 0;

	*nf = 0;
	*f = NULL;
	for (size_t i = 0; !err && i < n; i++)
		err = expand_one(cmd, dirs[i], allow_incomplete, &runs);
	if (err) {
		if (err == -ENOMEM || err == -ENAMETOOLONG)
			fprintf(stderr, "mlockbench %s: %s\n", cmd, strerror(-err));
		dirlist_release(&runs);
		return err;
	}
	*f = calloc(runs.n ? runs.n : 1, sizeof(**f));
	if (!*f) {
		dirlist_release(&runs);
		return -ENOMEM;
	}
	for (; *nf < runs.n; (*nf)++) {
		err = result_folder_load(runs.v[*nf], allow_incomplete, &(*f)[*nf], &e);
		if (err) {
			fprintf(stderr, "mlockbench %s: %s\n", cmd, e.buf);
			break;
		}
	}
	dirlist_release(&runs);
	return err;
}

void cli_free_folders(struct result_folder **f, size_t nf)
{
	size_t i;

	for (i = 0; i < nf; i++)
		result_folder_free(f[i]);
	free(f);
}
