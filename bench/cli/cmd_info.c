// SPDX-License-Identifier: GPL-2.0
/* mlockbench info: what this machine and kernel are, and what works here. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli/commands.h"
#include "common/exitcodes.h"
#include "common/parse.h"
#include "result/manifest.h"
#include "engine/collector.h"
#include "sysinfo/sysinfo.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mlockbench info [--json] [--topology XML|SYNTHETIC]\n\n"
		"Show the kernel, the munlock design detected from /proc/kallsyms (with the\n"
		"fingerprint symbols found), CPU, topology (hwloc), memory, THP mode,\n"
		"RLIMIT_MEMLOCK and CAP_IPC_LOCK, and which collectors work here.\n"
		"Probing mounts tracefs at /sys/kernel/tracing when it is not mounted.\n\n"
		"  --json               print the manifest's \"system\" object as JSON\n"
		"  --topology SPEC      describe an hwloc XML file or a synthetic topology\n"
		"                       (e.g. \"pack:2 numa:2 core:8 pu:2\": 2 packages with\n"
		"                       2 NUMA nodes each) instead of this machine's;\n"
		"                       the other lines still describe this machine\n"
		"  -h, --help           this text\n");
}

static void print_design(const struct design_evidence *d)
{
	size_t i;

	printf("%-16s %s (evidence: ", "munlock design:", design_name(d->design));
	if (!d->n)
		printf("no fingerprint symbols found");
	for (i = 0; i < d->n; i++)
		printf("%s%s", i ? ", " : "", d->sym[i]);
	printf(")\n");
}

static void print_limit(uint64_t v)
{
	char buf[32];

	if (v == UINT64_MAX) {
		printf("unlimited");
		return;
	}
	format_size(v, buf, sizeof(buf));
	printf("%s", buf);
}

static void print_memlock(const struct sysinfo *si)
{
	printf("%-16s soft ", "memlock:");
	print_limit(si->memlock_soft);
	printf(", hard ");
	print_limit(si->memlock_hard);
	if (si->cap_ipc_lock)
		printf(" (suffices: CAP_IPC_LOCK held)\n");
	else if (si->memlock_soft == UINT64_MAX)
		printf(" (suffices: unlimited)\n");
	else
		printf(" (each process may mlock at most the soft limit: no CAP_IPC_LOCK)\n");
}

static const char *yes_na(bool b)
{
	return b ? "yes" : "n/a";
}

static void print_human(const struct sysinfo *si)
{
	const struct topo_summary *t = &si->topo;

	printf("%-16s %s %s (%s)\n", "kernel:", si->release, si->version, si->machine);
	printf("%-16s %s\n", "cmdline:", si->cmdline);
	print_design(&si->design);
	printf("%-16s %s\n", "cpu:", si->cpu_model);
	printf("%-16s packages %u, NUMA nodes %u, cores %u, PUs %u (%s)\n", "topology:",
	       t->packages, t->numa_nodes, t->cores, t->pus, t->source);
	printf("%-16s %.1f GiB total, %.1f GiB available\n", "memory:",
	       si->mem_total_kib / 1048576.0, si->mem_available_kib / 1048576.0);
	printf("%-16s enabled %s, shmem_enabled %s\n", "thp:", si->thp_enabled,
	       si->thp_shmem_enabled);
	print_memlock(si);
	printf("%-16s tracepoints %s, kprobes %s, pmu %s\n", "collectors:",
	       yes_na(si->avail.tracepoints), yes_na(si->avail.kprobes),
	       yes_na(si->avail.pmu));
	if (!si->avail.tracefs[0])
		printf("%-16s not mounted, and mounting it failed\n", "tracefs:");
	else
		printf("%-16s %s%s\n", "tracefs:", si->avail.tracefs,
		       si->avail.tracefs_mounted_now ? " (mounted by this command)" : "");
}

static int print_json(const struct sysinfo *si)
{
	json_t *j = manifest_system_json(si);
	int ret;

	if (!j) {
		fprintf(stderr, "mlockbench info: cannot build the json object\n");
		return MLB_EXIT_HARNESS;
	}
	ret = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (ret || printf("\n") < 0)
		return MLB_EXIT_HARNESS;
	return MLB_EXIT_OK;
}

int cmd_info(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "topology", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *topology = NULL;
	struct errmsg e = { "" };
	struct sysinfo si;
	bool json = false;
	int c, ret;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 't':
			topology = optarg;
			break;
		case 'h':
			usage(stdout);
			return MLB_EXIT_OK;
		case ':':
			fprintf(stderr, "mlockbench info: '%s' needs a value\n",
				argv[optind - 1]);
			return MLB_EXIT_USAGE;
		default:
			fprintf(stderr, "mlockbench info: bad option '%s' (try --help)\n",
				argv[optind - 1]);
			return MLB_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "mlockbench info: unexpected argument '%s'\n", argv[optind]);
		return MLB_EXIT_USAGE;
	}
	ret = sysinfo_gather(&si, topology, &e);
	if (!ret)
		ret = collectors_probe(&si.avail);
	if (ret) {
		fprintf(stderr, "mlockbench info: %s\n", e.buf);
		return topology && ret == -EINVAL ? MLB_EXIT_USAGE : MLB_EXIT_HARNESS;
	}
	if (si.avail.tracefs_mounted_now)
		fprintf(stderr, "mlockbench info: mounted tracefs at %s\n", si.avail.tracefs);
	if (json)
		return print_json(&si);
	print_human(&si);
	return MLB_EXIT_OK;
}
