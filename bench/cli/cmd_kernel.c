// SPDX-License-Identifier: GPL-2.0
/* mlockbench kernel list|show|fetch: the kernels a campaign can boot. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "common/exitcodes.h"
#include "vm/descriptor.h"
#include "vm/fetch.h"
#include "vm/kernel_source.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mlockbench kernel list\n"
		"       mlockbench kernel show ID\n"
		"       mlockbench kernel fetch [--refresh] ID...\n\n"
		"Kernels are described by kernels/ID.ini (folder: $MLOCKBENCH_KERNELS, default\n"
		"%s). Debian kernels are downloaded with apt-get download through a\n"
		"private apt configuration (the mirror this machine's apt uses) into the cache\n"
		"($MLOCKBENCH_CACHE, default ~/.cache/mlockbench) and unpacked there; a cached\n"
		"kernel is reused without network unless --refresh.\n\nSources:\n",
		kdesc_dir());
	for (const struct kernel_source_ops *const *s = kernel_sources; *s; s++)
		fprintf(f, "  %-8s %s\n", (*s)->name, (*s)->help);
}

static int exit_for(int err)
{
	if (err == -EINVAL)
		return MLB_EXIT_USAGE;
	if (err == -EINTR)
		return MLB_EXIT_INTERRUPTED;
	return MLB_EXIT_HARNESS;
}

static int kernel_list(void)
{
	struct kernel_desc *v;
	struct errmsg e = { "" };
	size_t n;
	int err = kdesc_list(&v, &n, &e);

	if (err) {
		fprintf(stderr, "mlockbench kernel: %s\n", e.buf);
		return exit_for(err);
	}
	printf("%-14s %-7s %-12s %-8s %s\n", "ID", "SOURCE", "DESIGN", "CACHED", "WHAT");
	for (size_t i = 0; i < n; i++) {
		struct kernel_files kf;
		char what[600];
		bool cached = !kernel_cached(&v[i], &kf, NULL);

		v[i].source->describe(&v[i], what, sizeof(what));
		printf("%-14s %-7s %-12s %-8s %s\n", v[i].id, v[i].source->name,
		       v[i].expected_design[0] ? v[i].expected_design : "-",
		       !kernel_has_files(&v[i]) ? "-" : cached ? "yes" : "no", what);
	}
	free(v);
	return MLB_EXIT_OK;
}

static int kernel_show(const char *id)
{
	struct kernel_desc d;
	struct kernel_files kf;
	struct errmsg e = { "" };
	char cache[1024] = "";
	int err = kdesc_find(id, &d, &e);

	if (err) {
		fprintf(stderr, "mlockbench kernel: %s\n", e.buf);
		return exit_for(err);
	}
	fetch_cache_dir(cache, sizeof(cache));
	printf("id:              %s\n", d.id);
	printf("descriptor:      %s\n", d.path);
	printf("source:          %s\n", d.source->name);
	if (d.description[0])
		printf("description:     %s\n", d.description);
	for (const struct kdesc_key *k = d.source->keys; k->name; k++) {
		const char *v = (const char *)&d + k->offset;

		if (*v)
			printf("%s:%*s%s\n", k->name, (int)(16 - strlen(k->name)), "", v);
	}
	printf("expected design: %s\n", d.expected_design[0] ? d.expected_design : "(not given)");
	if (d.append[0])
		printf("append:          %s\n", d.append);
	if (!kernel_has_files(&d))
		return MLB_EXIT_OK;
	err = kernel_cached(&d, &kf, &e);
	if (err) {
		printf("cached:          no (%s)\n", e.buf);
		return MLB_EXIT_OK;
	}
	printf("cached:          yes\n");
	if (kf.package[0])
		printf("resolved:        %s %s\n", kf.package, kf.version);
	printf("kernel image:    %s\n", kf.image);
	if (kf.modules[0])
		printf("modules folder:  %s\n", kf.modules);
	return MLB_EXIT_OK;
}

static int kernel_fetch_one(const char *id, bool refresh)
{
	struct kernel_desc d;
	struct kernel_files kf;
	struct errmsg e = { "" };
	char what[600] = "";
	int err = kdesc_find(id, &d, &e);

	if (!err) {
		d.source->describe(&d, what, sizeof(what));
		if (d.source->fetch)
			fprintf(stderr, "mlockbench kernel: fetching %s (%s)\n", d.id, what);
		err = kernel_fetch(&d, refresh, &kf, &e);
	}
	if (err) {
		fprintf(stderr, "mlockbench kernel: %s\n", e.buf);
		return exit_for(err);
	}
	if (!kernel_has_files(&d))
		printf("%s: the %s, nothing to fetch\n", d.id, what);
	else
		printf("%s: %s%s%s%s -> %s%s\n", d.id, kf.package, kf.package[0] ? " " : "",
		       kf.version, kf.package[0] ? "" : "local", kf.image,
		       kf.from_cache ? " (cached)" : "");
	return MLB_EXIT_OK;
}

int cmd_kernel(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "refresh", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool refresh = false;
	const char *sub;
	int c, status = MLB_EXIT_OK;

	if (argc < 2) {
		usage(stderr);
		return MLB_EXIT_USAGE;
	}
	sub = argv[1];
	if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help")) {
		usage(stdout);
		return MLB_EXIT_OK;
	}
	optind = 1;
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			refresh = true;
			break;
		case 'h':
			usage(stdout);
			return MLB_EXIT_OK;
		default:
			return MLB_EXIT_USAGE;
		}
	}
	if (!strcmp(sub, "list")) {
		if (optind != argc) {
			fprintf(stderr, "mlockbench kernel: list takes no arguments\n");
			return MLB_EXIT_USAGE;
		}
		return kernel_list();
	}
	if (!strcmp(sub, "show") || !strcmp(sub, "fetch")) {
		if (optind >= argc) {
			fprintf(stderr, "mlockbench kernel: %s needs a kernel id\n", sub);
			return MLB_EXIT_USAGE;
		}
		for (int i = optind; i < argc; i++) {
			int st = !strcmp(sub, "show") ? kernel_show(argv[i]) :
							 kernel_fetch_one(argv[i], refresh);

			if (st && !status)
				status = st;
		}
		return status;
	}
	fprintf(stderr, "mlockbench kernel: unknown subcommand '%s' (list, show, fetch)\n", sub);
	return MLB_EXIT_USAGE;
}
