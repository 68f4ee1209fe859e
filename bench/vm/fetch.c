// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/atomic_file.h"
#include "vm/fetch.h"
#include "common/run_command.h"

#define APT_TIMEOUT_MS (10 * 60 * 1000)

int fetch_cache_dir(char *buf, size_t len)
{
	const char *env = getenv("MLOCKBENCH_CACHE");
	const char *home = getenv("HOME");

	if (env && *env)
		snprintf(buf, len, "%s", env);
	else if (home && *home)
		snprintf(buf, len, "%s/.cache/mlockbench", home);
	else
		return -ENOENT;
	return 0;
}

static bool uri_usable(const char *u)
{
	return (!strncmp(u, "http://", 7) || !strncmp(u, "https://", 8)) &&
	       !strstr(u, "security") && !strstr(u, "updates");
}

static int take_uri(const char *u, char *buf, size_t len)
{
	size_t l = strlen(u);

	while (l && (u[l - 1] == '\n' || u[l - 1] == '/' || u[l - 1] == ' '))
		l--;
	if (!l || l >= len)
		return -ENAMETOOLONG;
	memcpy(buf, u, l);
	buf[l] = '\0';
	return 0;
}

/* deb822: "URIs: a b" lines */
static int mirror_from_sources(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int found = -ENOENT;

	if (!f)
		return -errno;
	while (found && fgets(line, sizeof(line), f)) {
		char *tok, *save;

		if (strncasecmp(line, "URIs:", 5))
			continue;
		for (tok = strtok_r(line + 5, " \t\n", &save); tok;
		     tok = strtok_r(NULL, " \t\n", &save))
			if (uri_usable(tok) && !take_uri(tok, buf, len)) {
				found = 0;
				break;
			}
	}
	fclose(f);
	return found;
}

/* one-line style: "deb [opts] URI suite comp..." */
static int mirror_from_list(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int found = -ENOENT;

	if (!f)
		return -errno;
	while (found && fgets(line, sizeof(line), f)) {
		char *tok, *save;
		bool in_opts = false;

		tok = strtok_r(line, " \t\n", &save);
		if (!tok || strcmp(tok, "deb"))
			continue;
		while ((tok = strtok_r(NULL, " \t\n", &save))) {
			if (tok[0] == '[')
				in_opts = true;
			if (in_opts) {
				if (strchr(tok, ']'))
					in_opts = false;
				continue;
			}
			break;
		}
		if (tok && uri_usable(tok) && !take_uri(tok, buf, len))
			found = 0;
	}
	fclose(f);
	return found;
}

int fetch_find_mirror(const char *root, char *buf, size_t len, struct errmsg *e)
{
	const char *env = getenv("MLOCKBENCH_MIRROR");
	char path[1024];
	glob_t g;
	size_t i;
	int err = -ENOENT;

	if (env && *env)
		return take_uri(env, buf, len);
	snprintf(path, sizeof(path), "%s/etc/apt/sources.list.d/*.sources", root);
	if (!glob(path, 0, NULL, &g)) {
		for (i = 0; i < g.gl_pathc && err; i++)
			err = mirror_from_sources(g.gl_pathv[i], buf, len);
		globfree(&g);
	}
	if (err) {
		snprintf(path, sizeof(path), "%s/etc/apt/sources.list", root);
		err = mirror_from_list(path, buf, len);
	}
	if (err) {
		snprintf(path, sizeof(path), "%s/etc/apt/sources.list.d/*.list", root);
		if (!glob(path, 0, NULL, &g)) {
			for (i = 0; i < g.gl_pathc && err; i++)
				err = mirror_from_list(g.gl_pathv[i], buf, len);
			globfree(&g);
		}
	}
	if (err)
		return errmsg_set(e, -ENOENT,
				  "no Debian mirror in this machine's apt configuration (set MLOCKBENCH_MIRROR)");
	return 0;
}

int fetch_pick_newest(const char *names, const char *pattern, char *out, size_t len,
		      struct errmsg *e)
{
	char anchored[600];
	const char *p = names;
	regex_t re;
	bool any = false;

	snprintf(anchored, sizeof(anchored), "^(%s)$", pattern);
	if (regcomp(&re, anchored, REG_EXTENDED | REG_NOSUB))
		return errmsg_set(e, -EINVAL, "bad package pattern '%s'", pattern);
	while (*p) {
		const char *nl = strchrnul(p, '\n');
		char name[256];
		size_t l = nl - p;

		/* apt-cache search prints "name - summary" */
		const char *sp = memchr(p, ' ', l);

		if (sp)
			l = sp - p;
		if (l && l < sizeof(name)) {
			memcpy(name, p, l);
			name[l] = '\0';
			if (!regexec(&re, name, 0, NULL, 0) &&
			    (!any || strverscmp(name, out) > 0)) {
				snprintf(out, len, "%s", name);
				any = true;
			}
		}
		p = *nl ? nl + 1 : nl;
	}
	regfree(&re);
	if (!any)
		return errmsg_set(e, -ENOENT, "no package matches '%s'", pattern);
	return 0;
}

struct apt {
	char cache[1024];
	char dir[1100];
	char o_list[1200], o_lists[1200], o_cache[1200];
};

static void apt_argv(struct apt *a, const char **argv, size_t *n)
{
	static const char *const fixed[] = {
		"-o", "Dir::Etc::SourceParts=/dev/null",
		"-o", "Dir::State::Status=/dev/null",
		"-o", "Debug::NoLocking=1",
		"-o", "APT::Sandbox::User=root",
		"-o", "Acquire::Check-Valid-Until=false",
		"-o", "Dir::Etc::Preferences=/dev/null",
		"-o", "Dir::Etc::PreferencesParts=/dev/null",
		"-q",
	};

	argv[(*n)++] = "-o";
	argv[(*n)++] = a->o_list;
	argv[(*n)++] = "-o";
	argv[(*n)++] = a->o_lists;
	argv[(*n)++] = "-o";
	argv[(*n)++] = a->o_cache;
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		argv[(*n)++] = fixed[i];
}

static int apt_setup(struct apt *a, const struct kernel_desc *d, bool write_sources,
		     struct errmsg *e)
{
	char path[1200], mirror[512];
	FILE *f;
	int err;

	if (fetch_cache_dir(a->cache, sizeof(a->cache)))
		return errmsg_set(e, -ENOENT, "no cache folder: set MLOCKBENCH_CACHE or HOME");
	snprintf(a->dir, sizeof(a->dir), "%s/apt", a->cache);
	snprintf(a->o_list, sizeof(a->o_list), "Dir::Etc::SourceList=%s/sources.list", a->dir);
	snprintf(a->o_lists, sizeof(a->o_lists), "Dir::State::Lists=%s/lists", a->dir);
	snprintf(a->o_cache, sizeof(a->o_cache), "Dir::Cache=%s/cache", a->dir);
	snprintf(path, sizeof(path), "%s/lists/partial", a->dir);
	err = mkdir_p(path, NULL);
	if (!err) {
		snprintf(path, sizeof(path), "%s/cache/archives/partial", a->dir);
		err = mkdir_p(path, NULL);
	}
	if (!err) {
		snprintf(path, sizeof(path), "%s/debs", a->cache);
		err = mkdir_p(path, NULL);
	}
	if (err)
		return errmsg_set(e, err, "cannot create %s: %s", path, strerror(-err));
	if (!write_sources)
		return 0;
	err = fetch_find_mirror("", mirror, sizeof(mirror), e);
	if (err)
		return err;
	/* one suite per sources list: each descriptor's update is independent */
	snprintf(path, sizeof(path), "%s/sources.list", a->dir);
	f = fopen(path, "w");
	if (!f)
		return errmsg_set(e, -errno, "cannot write %s: %s", path, strerror(errno));
	fprintf(f, "# written by mlockbench kernel fetch for %s\n"
		   "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n",
		d->id, mirror, d->suite);
	if (fclose(f))
		return errmsg_set(e, -EIO, "cannot write %s", path);
	return 0;
}

static int resolved_path(const char *cache, const char *id, char *buf, size_t len)
{
	snprintf(buf, len, "%s/kernels/%s.resolved", cache, id);
	return 0;
}

/* Fill image/modules/release from an unpacked package root. */
static int locate_image(struct kernel_files *kf, struct errmsg *e)
{
	char pat[1100];
	glob_t g;

	snprintf(pat, sizeof(pat), "%s/boot/vmlinuz-*", kf->root);
	if (glob(pat, 0, NULL, &g) || !g.gl_pathc)
		return errmsg_set(e, -ENOENT, "no boot/vmlinuz-* in %s", kf->root);
	snprintf(kf->image, sizeof(kf->image), "%s", g.gl_pathv[g.gl_pathc - 1]);
	globfree(&g);
	snprintf(kf->release, sizeof(kf->release), "%s", strrchr(kf->image, '/') + 9);
	snprintf(kf->modules, sizeof(kf->modules), "%s/lib/modules/%s", kf->root, kf->release);
	if (access(kf->modules, F_OK))
		kf->modules[0] = '\0';
	return 0;
}

int kernel_cached(const struct kernel_desc *d, struct kernel_files *kf, struct errmsg *e)
{
	char cache[1024], path[1200];
	FILE *f;
	int n;

	memset(kf, 0, sizeof(*kf));
	if (d->source == KSRC_NATIVE)
		return 0;
	if (d->source == KSRC_LOCAL) {
		if (access(d->image, R_OK))
			return errmsg_set(e, -ENOENT, "%s: image %s not readable", d->id, d->image);
		snprintf(kf->image, sizeof(kf->image), "%s", d->image);
		snprintf(kf->modules, sizeof(kf->modules), "%s", d->modules);
		if (kf->modules[0] && access(kf->modules, R_OK))
			return errmsg_set(e, -ENOENT, "%s: modules folder %s not readable", d->id,
					  d->modules);
		kf->from_cache = true;
		return 0;
	}
	if (fetch_cache_dir(cache, sizeof(cache)))
		return errmsg_set(e, -ENOENT, "no cache folder");
	resolved_path(cache, d->id, path, sizeof(path));
	f = fopen(path, "r");
	if (!f)
		return errmsg_set(e, -ENOENT, "%s: %s not in the cache", d->id, d->package);
	n = fscanf(f, "%255s %127s %1023s", kf->package, kf->version, kf->root);
	fclose(f);
	if (n != 3)
		return errmsg_set(e, -ENOENT, "%s: bad cache record %s", d->id, path);
	snprintf(path, sizeof(path), "%s/.complete", kf->root);
	if (access(path, F_OK))
		return errmsg_set(e, -ENOENT, "%s: cached unpack %s incomplete", d->id, kf->root);
	kf->from_cache = true;
	return locate_image(kf, e);
}

int kernel_fetch(const struct kernel_desc *d, bool refresh, struct kernel_files *kf,
		 struct errmsg *e)
{
	const char *argv[40];
	struct child_process cp;
	char pattern[300], debdir[1100], path[1300], tmp[1300], logp[1200];
	struct errmsg sub;
	struct apt a;
	glob_t g;
	size_t n;
	FILE *f;
	int err;

	if (d->source != KSRC_DEBIAN || !refresh) {
		err = kernel_cached(d, kf, &sub);
		if (!err || d->source != KSRC_DEBIAN)
			return err ? errmsg_set(e, err, "%s", sub.buf) : 0;
	}
	memset(kf, 0, sizeof(*kf));
	err = apt_setup(&a, d, true, e);
	if (err)
		return err;
	snprintf(logp, sizeof(logp), "%s/apt.log", a.dir);

	/* apt-get update of the private lists */
	n = 0;
	argv[n++] = "apt-get";
	apt_argv(&a, argv, &n);
	argv[n++] = "update";
	argv[n] = NULL;
	cp = (struct child_process){ .argv = argv, .stdout_path = logp,
				     .stderr_path = NULL, .quiet = true, .new_pgrp = true,
				     .timeout_ms = APT_TIMEOUT_MS };
	err = run_command(&cp, &sub);
	if (err == -EINTR)
		return errmsg_set(e, err, "interrupted");
	/* apt-get update exits 0 when the mirror is unreachable: look for the lists */
	snprintf(path, sizeof(path), "%s/lists/*_dists_%s_main_binary-amd64_Packages*", a.dir,
		 d->suite);
	if (glob(path, 0, NULL, &g) || !g.gl_pathc)
		err = err ? err : -ENETUNREACH;
	else
		err = 0;
	globfree(&g);
	if (err)
		return errmsg_set(e, -ENETUNREACH,
				  "cannot fetch %s (%s): apt-get update failed (offline?) and nothing cached; see %s",
				  d->package, d->suite, logp);

	/* newest matching name */
	snprintf(pattern, sizeof(pattern), "^(%s)$", d->package);
	n = 0;
	argv[n++] = "apt-cache";
	apt_argv(&a, argv, &n);
	argv[n++] = "search";
	argv[n++] = "--names-only";
	argv[n++] = pattern;
	argv[n] = NULL;
	cp = (struct child_process){ .argv = argv, .capture_out = true, .quiet = true,
				     .timeout_ms = APT_TIMEOUT_MS };
	err = run_command(&cp, &sub);
	if (!err)
		err = fetch_pick_newest(cp.out, d->package, kf->package, sizeof(kf->package), &sub);
	child_release(&cp);
	if (err)
		return errmsg_set(e, err, "%s: %s in %s: %s", d->id, d->package, d->suite,
				  sub.buf);

	/* download into debs/ */
	snprintf(debdir, sizeof(debdir), "%s/debs", a.cache);
	n = 0;
	argv[n++] = "apt-get";
	apt_argv(&a, argv, &n);
	argv[n++] = "download";
	argv[n++] = kf->package;
	argv[n] = NULL;
	cp = (struct child_process){ .argv = argv, .dir = debdir, .stdout_path = logp,
				     .quiet = true, .new_pgrp = true,
				     .timeout_ms = APT_TIMEOUT_MS };
	err = run_command(&cp, &sub);
	if (err)
		return errmsg_set(e, err == -EINTR ? -EINTR : -EIO,
				  "cannot download %s: %s (see %s)", kf->package, sub.buf, logp);
	snprintf(path, sizeof(path), "%s/%s_*.deb", debdir, kf->package);
	if (glob(path, 0, NULL, &g) || !g.gl_pathc)
		return errmsg_set(e, -ENOENT, "apt-get download left no %s", path);
	snprintf(path, sizeof(path), "%s", g.gl_pathv[g.gl_pathc - 1]);
	globfree(&g);
	{
		char *base = strrchr(path, '/') + 1, *u1 = strchr(base, '_');
		char *u2 = u1 ? strchr(u1 + 1, '_') : NULL;

		if (u1 && u2)
			snprintf(kf->version, sizeof(kf->version), "%.*s", (int)(u2 - u1 - 1),
				 u1 + 1);
	}

	/* unpack to a temporary folder, then rename into place */
	snprintf(kf->root, sizeof(kf->root), "%s/kernels/%s_%s", a.cache, kf->package,
		 kf->version);
	snprintf(tmp, sizeof(tmp), "%s.tmp", kf->root);
	run_rm_rf(tmp);
	err = mkdir_p(tmp, NULL);
	if (err)
		return errmsg_set(e, err, "cannot create %s", tmp);
	n = 0;
	argv[n++] = "dpkg-deb";
	argv[n++] = "-x";
	argv[n++] = path;
	argv[n++] = tmp;
	argv[n] = NULL;
	cp = (struct child_process){ .argv = argv, .quiet = true, .timeout_ms = APT_TIMEOUT_MS };
	err = run_command(&cp, &sub);
	if (err) {
		run_rm_rf(tmp);
		return errmsg_set(e, err, "cannot unpack %s: %s", path, sub.buf);
	}
	snprintf(path, sizeof(path), "%s/.complete", tmp);
	f = fopen(path, "w");
	if (f)
		fclose(f);
	run_rm_rf(kf->root);
	if (rename(tmp, kf->root))
		return errmsg_set(e, -errno, "cannot rename %s: %s", tmp, strerror(errno));

	resolved_path(a.cache, d->id, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return errmsg_set(e, -errno, "cannot write %s: %s", tmp, strerror(errno));
	fprintf(f, "%s %s %s\n", kf->package, kf->version, kf->root);
	if (fclose(f) || rename(tmp, path))
		return errmsg_set(e, -EIO, "cannot write %s", path);
	return locate_image(kf, e);
}
