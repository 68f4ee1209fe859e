/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The environment audit every manifest carries: the knobs that move a
 * benchmark's numbers without changing the kernel (cpufreq, THP, swap, NUMA
 * balancing, ASLR, the command line, a hypervisor) and the state of the
 * machine at the start (boot id, uptime, load).  A gate refuses to compare
 * results whose gated fields differ.
 *
 * Everything is read from files under a root prefix ("" or NULL: this
 * machine) so tests can use a fixture tree.  The files are hostile: strings
 * are bounded and kept printable ASCII (others become '?'), numbers are
 * checked finite and in range.  Whatever cannot be read or does not parse
 * is "n/a" (strings) or unknown (numbers: -1 or nan; JSON null), never an
 * error.
 */
#ifndef MLB_SYSINFO_AUDIT_H
#define MLB_SYSINFO_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "common/errmsg.h"

#define AUDIT_NA "n/a"

struct sysaudit {
	char cpufreq_governor[32];	/* cpu0 scaling_governor */
	char cpufreq_driver[32];	/* cpu0 scaling_driver */
	char thp_enabled[32];		/* the bracketed choice of each knob */
	char thp_defrag[32];
	char thp_shmem_enabled[32];
	long long swap_total_kib;	/* /proc/meminfo SwapTotal; -1 unknown */
	long long swap_devices;		/* entries of /proc/swaps; -1 unknown */
	long long numa_balancing;	/* kernel.numa_balancing; -1 unknown */
	long long randomize_va_space;	/* kernel.randomize_va_space; -1 unknown */
	char cmdline[1024];		/* /proc/cmdline, truncated to fit */
	char hypervisor_flag[8];	/* cpuinfo "hypervisor" flag: "yes", "no", "n/a" */
	char hypervisor_type[32];	/* /sys/hypervisor/type (xen, ...) */
	char dmi_sys_vendor[64];	/* "QEMU", "Microsoft Corporation", a vendor */
	char dmi_product_name[64];
	char boot_id[40];		/* a UUID, or "n/a" */
	double uptime_s;		/* seconds since boot at the start; nan unknown */
	double load1, load5, load15;	/* load average at the start; nan unknown */
};

enum audit_kind {
	AUDIT_STR,	/* char[size] */
	AUDIT_INT,	/* long long in [0, max], -1 unknown */
	AUDIT_REAL,	/* double in [0, max], nan unknown */
};

/*
 * One field: its JSON key (also the name a mismatch reports), where it lives
 * in struct sysaudit and whether a gate requires it to match.  The manifest
 * writer, the reader, the footer and the comparison all walk this table.
 */
struct audit_field {
	const char *name;
	enum audit_kind kind;
	size_t offset, size;
	double max;		/* AUDIT_INT, AUDIT_REAL */
	bool gated;		/* must match between the sides of a gate */
};

extern const struct audit_field audit_fields[];
extern const size_t audit_nfields;

/* Every field unknown. */
void sysaudit_init(struct sysaudit *a);
/*
 * Read the audit from the files under @root.  Only a @root too long for a
 * path is an error (-ENAMETOOLONG); missing files give unknown fields.
 */
int sysaudit_gather(struct sysaudit *a, const char *root, struct errmsg *e);

/* A field's value as text ("n/a" when unknown) for footers and messages. */
void sysaudit_field_format(const struct sysaudit *a, const struct audit_field *f, char *buf,
			   size_t len);
bool sysaudit_field_known(const struct sysaudit *a, const struct audit_field *f);

/* audit_json.c: a flat object keyed by field name; unknown numbers are null. */
json_t *sysaudit_to_json(const struct sysaudit *a);	/* NULL: out of memory */
/*
 * Back from a manifest: missing keys stay unknown (older manifests), unknown
 * keys are ignored; a wrong type, a string that is too long or not printable,
 * a number out of range is -EINVAL naming the key.
 */
int sysaudit_from_json(const json_t *o, struct sysaudit *a, struct errmsg *e);

/* audit_compare.c */
struct sysaudit_mismatch {
	const char *field;	/* audit_fields[].name */
	char a[160], b[160];	/* both values as text, truncated */
};

/*
 * The gated fields that differ between @a and @b, in table order; fills the
 * first @max of them into @out (may be NULL) and returns how many there are.
 * A field unknown on either side cannot be shown to differ and is skipped.
 * The command lines are compared without BOOT_IMAGE= and initrd= tokens,
 * which name the kernel image and so differ by design between two kernels.
 */
size_t sysaudit_compare(const struct sysaudit *a, const struct sysaudit *b,
			struct sysaudit_mismatch *out, size_t max);

#endif
