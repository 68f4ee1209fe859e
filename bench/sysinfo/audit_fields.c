// SPDX-License-Identifier: GPL-2.0
/* The audit's fields: the one list the gatherer, the JSON and the gate walk. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sysinfo/audit.h"

#define STR(f, gated) { #f, AUDIT_STR, offsetof(struct sysaudit, f), \
	sizeof(((struct sysaudit *)0)->f), 0, gated }
#define INT(f, max, gated) { #f, AUDIT_INT, offsetof(struct sysaudit, f), \
	sizeof(long long), max, gated }
#define REAL(f, max) { #f, AUDIT_REAL, offsetof(struct sysaudit, f), sizeof(double), max, false }

/* Gated: what changes the numbers.  The state at the start never is. */
const struct audit_field audit_fields[] = {
	STR(cpufreq_governor, true),
	STR(cpufreq_driver, true),
	STR(thp_enabled, true),
	STR(thp_defrag, true),
	STR(thp_shmem_enabled, true),
	INT(swap_total_kib, 1ll << 50, true),
	INT(swap_devices, 1 << 16, true),
	INT(numa_balancing, 15, true),
	INT(randomize_va_space, 2, true),
	STR(cmdline, true),
	STR(hypervisor_flag, true),
	STR(hypervisor_type, true),
	STR(dmi_sys_vendor, true),	/* which hypervisor (QEMU, VMware, ...) */
	STR(dmi_product_name, false),	/* a machine type or model: shown, not gated */
	STR(boot_id, false),
	REAL(uptime_s, 1e10),
	REAL(load1, 1e6),
	REAL(load5, 1e6),
	REAL(load15, 1e6),
};

const size_t audit_nfields = sizeof(audit_fields) / sizeof(audit_fields[0]);

void sysaudit_init(struct sysaudit *a)
{
	size_t i;

	for (i = 0; i < audit_nfields; i++) {
		const struct audit_field *f = &audit_fields[i];
		void *p = (char *)a + f->offset;

		if (f->kind == AUDIT_STR)
			snprintf(p, f->size, "%s", AUDIT_NA);
		else if (f->kind == AUDIT_INT)
			*(long long *)p = -1;
		else
			*(double *)p = NAN;
	}
}

bool sysaudit_field_known(const struct sysaudit *a, const struct audit_field *f)
{
	const void *p = (const char *)a + f->offset;

	if (f->kind == AUDIT_STR)
		return strcmp(p, AUDIT_NA) != 0;
	if (f->kind == AUDIT_INT)
		return *(const long long *)p >= 0;
	return !isnan(*(const double *)p);
}

void sysaudit_field_format(const struct sysaudit *a, const struct audit_field *f, char *buf,
			   size_t len)
{
	const void *p = (const char *)a + f->offset;

	if (!sysaudit_field_known(a, f))
		snprintf(buf, len, "%s", AUDIT_NA);
	else if (f->kind == AUDIT_STR)
		snprintf(buf, len, "%s", (const char *)p);
	else if (f->kind == AUDIT_INT)
		snprintf(buf, len, "%lld", *(const long long *)p);
	else
		snprintf(buf, len, "%.2f", *(const double *)p);
}
