// SPDX-License-Identifier: GPL-2.0
/* A private apt configuration: update, search, download and unpack one package. */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/atomic_file.h"
#include "common/run_command.h"
#include "vm/apt.h"
#include "vm/fetch.h"

#define APT_TIMEOUT_MS (10 * 60 * 1000)

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

static size_t apt_argv(const struct apt *a, const char *tool, const char **argv)
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
	size_t n = 0;

	argv[n++] = tool;
	argv[n++] = "-o";
	argv[n++] = a->o_list;
	argv[n++] = "-o";
	argv[n++] = a->o_lists;
	argv[n++] = "-o";
	argv[n++] = a->o_cache;
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		argv[n++] = fixed[i];
	return n;
}

static int apt_dirs(struct apt *a, struct errmsg *e)
{
	static const char *const sub[] = { "apt/lists/partial", "apt/cache/archives/partial",
					   "debs" };
	char path[1200];
	int err;

	for (size_t i = 0; i < sizeof(sub) / sizeof(sub[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", a->cache, sub[i]);
		err = mkdir_p(path, NULL);
		if (err)
			return errmsg_set(e, err, "cannot create %s: %s", path, strerror(-err));
	}
	return 0;
}

/* The one source of a private apt configuration: the machine's mirror, one suite. */
struct sources_line {
	const char *why, *mirror, *suite;
};

static int write_sources(FILE *f, const void *arg)
{
	const struct sources_line *l = arg;

	return fprintf(f, "# written by mlockbench kernel fetch for %s\n"
		       "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n",
		       l->why, l->mirror, l->suite) < 0 ? -EIO : 0;
}

int apt_open(struct apt *a, const char *suite, const char *why, struct errmsg *e)
{
	char path[1200], mirror[512];
	struct sources_line src;
	int err;

	memset(a, 0, sizeof(*a));
	if (fetch_cache_dir(a->cache, sizeof(a->cache)))
		return errmsg_set(e, -ENOENT, "no cache folder: set MLOCKBENCH_CACHE or HOME");
	snprintf(a->dir, sizeof(a->dir), "%s/apt", a->cache);
	snprintf(a->log, sizeof(a->log), "%s/apt.log", a->dir);
	snprintf(a->o_list, sizeof(a->o_list), "Dir::Etc::SourceList=%s/sources.list", a->dir);
	snprintf(a->o_lists, sizeof(a->o_lists), "Dir::State::Lists=%s/lists", a->dir);
	snprintf(a->o_cache, sizeof(a->o_cache), "Dir::Cache=%s/cache", a->dir);
	err = apt_dirs(a, e);
	if (!err)
		err = fetch_find_mirror("", mirror, sizeof(mirror), e);
	if (err)
		return err;
	/* one suite per sources list: each descriptor's update is independent */
	snprintf(path, sizeof(path), "%s/sources.list", a->dir);
	src = (struct sources_line){ why, mirror, suite };
	return atomic_write_with(path, write_sources, &src, e);
}

int apt_update(struct apt *a, const char *suite, struct errmsg *e)
{
	const char *argv[40];
	struct child_process cp = CHILD_PROCESS_INIT;
	char path[1300];
	size_t n = apt_argv(a, "apt-get", argv);
	glob_t g;
	int err;

	argv[n++] = "update";
	argv[n] = NULL;
	cp.argv = argv;
	cp.stdout_path = a->log;
	cp.quiet = true;
	cp.new_pgrp = true;
	cp.timeout_ms = APT_TIMEOUT_MS;
	err = run_command(&cp, e);
	if (err == -EINTR)
		return errmsg_set(e, err, "interrupted");
	/* apt-get update exits 0 when the mirror is unreachable: look for the lists */
	snprintf(path, sizeof(path), "%s/lists/*_dists_%s_main_binary-amd64_Packages*", a->dir,
		 suite);
	if (glob(path, 0, NULL, &g) || !g.gl_pathc)
		err = -ENETUNREACH;
	else
		err = 0;
	globfree(&g);
	return err;
}

int apt_newest(struct apt *a, const char *pattern, char *out, size_t len, struct errmsg *e)
{
	const char *argv[40];
	struct child_process cp = CHILD_PROCESS_INIT;
	char anchored[300];
	size_t n = apt_argv(a, "apt-cache", argv);
	int err;

	snprintf(anchored, sizeof(anchored), "^(%s)$", pattern);
	argv[n++] = "search";
	argv[n++] = "--names-only";
	argv[n++] = anchored;
	argv[n] = NULL;
	cp.argv = argv;
	cp.capture_out = true;
	cp.quiet = true;
	cp.timeout_ms = APT_TIMEOUT_MS;
	err = run_command(&cp, e);
	if (!err)
		err = fetch_pick_newest(cp.out, pattern, out, len, e);
	child_release(&cp);
	return err;
}

/* <debs>/<package>_<version>_<arch>.deb: the version field */
static void deb_version(const char *deb, char *version, size_t vlen)
{
	const char *base = strrchr(deb, '/') + 1, *u1 = strchr(base, '_');
	const char *u2 = u1 ? strchr(u1 + 1, '_') : NULL;

	if (u1 && u2)
		snprintf(version, vlen, "%.*s", (int)(u2 - u1 - 1), u1 + 1);
}

int apt_download(struct apt *a, const char *package, char *deb, size_t deblen,
		 char *version, size_t vlen, struct errmsg *e)
{
	const char *argv[40];
	struct child_process cp = CHILD_PROCESS_INIT;
	char debdir[1100], path[1300];
	struct errmsg sub;
	size_t n = apt_argv(a, "apt-get", argv);
	glob_t g;
	int err;

	snprintf(debdir, sizeof(debdir), "%s/debs", a->cache);
	argv[n++] = "download";
	argv[n++] = package;
	argv[n] = NULL;
	cp.argv = argv;
	cp.dir = debdir;
	cp.stdout_path = a->log;
	cp.quiet = true;
	cp.new_pgrp = true;
	cp.timeout_ms = APT_TIMEOUT_MS;
	err = run_command(&cp, &sub);
	if (err)
		return errmsg_set(e, err == -EINTR ? -EINTR : -EIO,
				  "cannot download %s: %s (see %s)", package, sub.buf, a->log);
	snprintf(path, sizeof(path), "%s/%s_*.deb", debdir, package);
	if (glob(path, 0, NULL, &g) || !g.gl_pathc)
		return errmsg_set(e, -ENOENT, "apt-get download left no %s", path);
	snprintf(deb, deblen, "%s", g.gl_pathv[g.gl_pathc - 1]);
	globfree(&g);
	deb_version(deb, version, vlen);
	return 0;
}

int deb_unpack(const char *deb, const char *root, struct errmsg *e)
{
	const char *argv[] = { "dpkg-deb", "-x", deb, NULL, NULL };
	struct child_process cp = CHILD_PROCESS_INIT;
	char tmp[1300], path[1400];
	struct errmsg sub;
	int err, fd;

	snprintf(tmp, sizeof(tmp), "%s.tmp", root);
	argv[3] = tmp;
	run_rm_rf(tmp);
	err = mkdir_p(tmp, NULL);
	if (err)
		return errmsg_set(e, err, "cannot create %s", tmp);
	cp.argv = argv;
	cp.quiet = true;
	cp.timeout_ms = APT_TIMEOUT_MS;
	err = run_command(&cp, &sub);
	if (err) {
		run_rm_rf(tmp);
		return errmsg_set(e, err, "cannot unpack %s: %s", deb, sub.buf);
	}
	snprintf(path, sizeof(path), "%s/.complete", tmp);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
	run_rm_rf(root);
	if (rename(tmp, root))
		return errmsg_set(e, -errno, "cannot rename %s: %s", tmp, strerror(errno));
	return 0;
}
