// SPDX-License-Identifier: GPL-2.0
/* The audit as the manifest's flat "audit" object, and back (checked). */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "sysinfo/audit.h"

json_t *sysaudit_to_json(const struct sysaudit *a)
{
	json_t *o = json_object();
	size_t i;

	if (!o)
		return NULL;
	for (i = 0; i < audit_nfields; i++) {
		const struct audit_field *f = &audit_fields[i];
		const void *p = (const char *)a + f->offset;
		json_t *v;

		if (f->kind == AUDIT_STR)
			v = json_string(p);
		else if (!sysaudit_field_known(a, f))
			v = json_null();
		else if (f->kind == AUDIT_INT)
			v = json_integer(*(const long long *)p);
		else
			v = json_real(*(const double *)p);
		if (json_object_set_new(o, f->name, v)) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

static bool printable(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

static int field_from_json(const json_t *v, const struct audit_field *f, void *p,
			   struct errmsg *e)
{
	if (!v || json_is_null(v))
		return 0;	/* unknown, as sysaudit_init left it */
	if (f->kind == AUDIT_STR) {
		const char *s = json_string_value(v);
		size_t len = json_string_length(v);

		if (!s)
			return errmsg_set(e, -EINVAL, "audit: %s: not a string", f->name);
		if (len >= f->size || !len || !printable(s, len))
			return errmsg_set(e, -EINVAL, "audit: %s: empty, too long or not printable",
					  f->name);
		memcpy(p, s, len + 1);
		return 0;
	}
	if (f->kind == AUDIT_INT) {
		json_int_t n;

		if (!json_is_integer(v))
			return errmsg_set(e, -EINVAL, "audit: %s: not an integer", f->name);
		n = json_integer_value(v);
		if (n < 0 || (double)n > f->max)
			return errmsg_set(e, -EINVAL, "audit: %s: %lld out of range", f->name,
					  (long long)n);
		*(long long *)p = n;
		return 0;
	}
	if (!json_is_number(v) || !isfinite(json_number_value(v)) ||
	    json_number_value(v) < 0 || json_number_value(v) > f->max)
		return errmsg_set(e, -EINVAL, "audit: %s: not a number in range", f->name);
	*(double *)p = json_number_value(v);
	return 0;
}

int sysaudit_from_json(const json_t *o, struct sysaudit *a, struct errmsg *e)
{
	size_t i;
	int err;

	sysaudit_init(a);
	if (!json_is_object(o))
		return errmsg_set(e, -EINVAL, "audit: not an object");
	for (i = 0; i < audit_nfields; i++) {
		const struct audit_field *f = &audit_fields[i];

		err = field_from_json(json_object_get(o, f->name), f, (char *)a + f->offset, e);
		if (err) {
			sysaudit_init(a);
			return err;
		}
	}
	return 0;
}
