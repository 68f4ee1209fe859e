// SPDX-License-Identifier: GPL-2.0
/* Which gated audit fields differ between two results: the gate's refusal. */
#include <stdio.h>
#include <string.h>

#include "sysinfo/audit.h"

/* Tokens that name the kernel image: two kernels differ in them by design. */
static bool per_kernel_token(const char *tok, size_t len)
{
	static const char *const prefixes[] = { "BOOT_IMAGE=", "initrd=" };
	size_t i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (len >= strlen(prefixes[i]) && !strncmp(tok, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/* The next token of @s from *@pos that is not per-kernel; false at the end. */
static bool next_token(const char *s, size_t *pos, const char **tok, size_t *len)
{
	for (;;) {
		*pos += strspn(s + *pos, " \t");
		if (!s[*pos])
			return false;
		*tok = s + *pos;
		*len = strcspn(*tok, " \t");
		*pos += *len;
		if (!per_kernel_token(*tok, *len))
			return true;
	}
}

static bool cmdline_equal(const char *a, const char *b)
{
	size_t pa = 0, pb = 0, la, lb;
	const char *ta, *tb;
	bool ha, hb;

	for (;;) {
		ha = next_token(a, &pa, &ta, &la);
		hb = next_token(b, &pb, &tb, &lb);
		if (!ha || !hb)
			return ha == hb;
		if (la != lb || memcmp(ta, tb, la))
			return false;
	}
}

static bool field_equal(const struct sysaudit *a, const struct sysaudit *b,
			const struct audit_field *f)
{
	const void *pa = (const char *)a + f->offset, *pb = (const char *)b + f->offset;

	if (f->offset == offsetof(struct sysaudit, cmdline))
		return cmdline_equal(pa, pb);
	if (f->kind == AUDIT_STR)
		return !strcmp(pa, pb);
	if (f->kind == AUDIT_INT)
		return *(const long long *)pa == *(const long long *)pb;
	return *(const double *)pa == *(const double *)pb;
}

size_t sysaudit_compare(const struct sysaudit *a, const struct sysaudit *b,
			struct sysaudit_mismatch *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < audit_nfields; i++) {
		const struct audit_field *f = &audit_fields[i];

		if (!f->gated || !sysaudit_field_known(a, f) || !sysaudit_field_known(b, f) ||
		    field_equal(a, b, f))
			continue;
		if (out && n < max) {
			out[n].field = f->name;
			sysaudit_field_format(a, f, out[n].a, sizeof(out[n].a));
			sysaudit_field_format(b, f, out[n].b, sizeof(out[n].b));
		}
		n++;
	}
	return n;
}
