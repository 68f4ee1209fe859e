// SPDX-License-Identifier: GPL-2.0
/*
 * Gathering the environment audit from procfs and sysfs under a root
 * prefix.  Every file is hostile: only regular files are read, at most a
 * bounded number of bytes, strings are made printable, numbers checked.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sysinfo/audit.h"

#define AUDIT_PATH_MAX 4096
#define CPUINFO_LINE_MAX (64 * 1024)
#define CPUINFO_LINES_MAX 4096	/* CPU 0's flags come within its first lines */

struct audit_root {
	const char *root;
};

static int audit_path(const struct audit_root *r, const char *rel, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s%s", r->root, rel);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* A regular file opened without blocking (a FIFO in a fixture tree must not hang). */
static int open_regular(const struct audit_root *r, const char *rel)
{
	char path[AUDIT_PATH_MAX];
	struct stat st;
	int fd;

	if (audit_path(r, rel, path, sizeof(path)))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	return fd;
}

/*
 * Up to @len - 1 bytes of @rel, NUL-terminated; returns the byte count, or
 * -EFBIG when the file has more (a value that does not fit is not trusted).
 */
static ssize_t read_file(const struct audit_root *r, const char *rel, char *buf, size_t len)
{
	ssize_t got = 0, n = 0;
	int fd = open_regular(r, rel);

	if (fd < 0)
		return fd;
	while ((size_t)got < len - 1) {
		n = read(fd, buf + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	buf[got] = '\0';
	if ((size_t)got == len - 1) {
		char extra;

		if (read(fd, &extra, 1) == 1)
			got = -EFBIG;
	}
	close(fd);
	return got;
}

/* Printable ASCII only, no surrounding blanks; empty becomes "n/a". */
static void set_clean(char *dst, size_t size, const char *src, size_t n)
{
	size_t i, k = 0;

	while (n && isspace((unsigned char)src[n - 1]))
		n--;
	while (n && isspace((unsigned char)*src)) {
		src++;
		n--;
	}
	for (i = 0; i < n && k + 1 < size; i++) {
		unsigned char c = src[i];

		dst[k++] = c >= 0x20 && c < 0x7f ? c : '?';
	}
	dst[k] = '\0';
	if (!k)
		snprintf(dst, size, "%s", AUDIT_NA);
}

/*
 * First line of a small file (a sysfs or sysctl value); false if unreadable
 * or, unless @truncate, longer than @len - 1 bytes.
 */
static bool read_line(const struct audit_root *r, const char *rel, char *line, size_t len,
		      bool truncate)
{
	ssize_t n = read_file(r, rel, line, len);

	if (n < 0 && !(n == -EFBIG && truncate))
		return false;
	line[strcspn(line, "\n")] = '\0';
	return true;
}

static bool read_value(const struct audit_root *r, const char *rel, char *line, size_t len)
{
	return read_line(r, rel, line, len, false);
}

/* A string value, cut to @size - 1 printable characters. */
static void read_string(const struct audit_root *r, const char *rel, char *dst, size_t size)
{
	char line[4096];

	if (read_line(r, rel, line, sizeof(line), true))
		set_clean(dst, size, line, strlen(line));
}

/* "always [madvise] never" -> "madvise"; no brackets, or odd content: n/a. */
static void read_choice(const struct audit_root *r, const char *rel, char *dst, size_t size)
{
	char line[256], *l, *e;
	size_t n;

	if (!read_value(r, rel, line, sizeof(line)))
		return;
	l = strchr(line, '[');
	e = l ? strchr(l, ']') : NULL;
	if (!e || e == l + 1 || strchr(e + 1, '['))
		return;
	n = e - l - 1;
	if (strspn(l + 1, "abcdefghijklmnopqrstuvwxyz0123456789_+-") != n)
		return;
	set_clean(dst, size, l + 1, n);
}

/* A whole decimal number in [0, max], nothing else but blanks around it. */
static bool parse_int(const char *s, long long max, long long *out)
{
	char *end;
	long long v;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || v > max)
		return false;
	while (*end == ' ' || *end == '\t' || *end == '\n')
		end++;
	if (*end)
		return false;
	*out = v;
	return true;
}

/* A finite decimal number in [0, max] ending at a blank or the string's end. */
static bool parse_real(const char *s, double max, const char **next, double *out)
{
	char *end;
	double v;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!isdigit((unsigned char)*s))	/* no sign, "nan", "inf" or hex */
		return false;
	errno = 0;
	v = strtod(s, &end);
	if (errno || !isfinite(v) || v < 0 || v > max || (s[0] == '0' && tolower(s[1]) == 'x'))
		return false;
	if (*end && !isspace((unsigned char)*end))
		return false;
	*next = end;
	*out = v;
	return true;
}

static void read_int(const struct audit_root *r, const char *rel, long long max,
		     long long *out)
{
	char line[64];

	if (!read_value(r, rel, line, sizeof(line)) || !parse_int(line, max, out))
		*out = -1;
}

/* SwapTotal of /proc/meminfo, in kB as the kernel prints it. */
static void read_swap_total(const struct audit_root *r, struct sysaudit *a)
{
	char buf[16384], *line, *save = NULL, *unit;

	if (read_file(r, "/proc/meminfo", buf, sizeof(buf)) < 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "SwapTotal:", 10))
			continue;
		unit = strstr(line + 10, " kB");
		if (!unit || unit[3])
			return;
		*unit = '\0';
		if (!parse_int(line + 10, 1ll << 50, &a->swap_total_kib))
			a->swap_total_kib = -1;
		return;
	}
}

/* Entries of /proc/swaps: the lines after its "Filename ..." header. */
static void read_swap_devices(const struct audit_root *r, struct sysaudit *a)
{
	char buf[65536], *line, *save = NULL;
	long long n = 0;

	if (read_file(r, "/proc/swaps", buf, sizeof(buf)) < 0 || strncmp(buf, "Filename", 8))
		return;
	line = strtok_r(buf, "\n", &save);	/* the header */
	while ((line = strtok_r(NULL, "\n", &save)))
		n += line[strspn(line, " \t")] != '\0';
	a->swap_devices = n;
}

/*
 * "yes"/"no" from the flags line of the first CPU; n/a without one (not
 * x86) or when it is not within the first lines or too long to trust.
 */
static void read_hypervisor_flag(const struct audit_root *r, struct sysaudit *a)
{
	char *line, *tok, *save = NULL, *colon;
	unsigned int lines = 0;
	FILE *f;
	int fd = open_regular(r, "/proc/cpuinfo");

	if (fd < 0)
		return;
	f = fdopen(fd, "r");
	line = malloc(CPUINFO_LINE_MAX);
	if (!f || !line) {
		if (f)
			fclose(f);
		else
			close(fd);
		free(line);
		return;
	}
	while (lines++ < CPUINFO_LINES_MAX && fgets(line, CPUINFO_LINE_MAX, f)) {
		if (!strchr(line, '\n') && !feof(f))
			break;	/* longer than any real flags line */
		if (strncmp(line, "flags", 5) || !strchr(" \t:", line[5]))
			continue;
		colon = strchr(line, ':');
		if (!colon)
			break;
		snprintf(a->hypervisor_flag, sizeof(a->hypervisor_flag), "no");
		for (tok = strtok_r(colon + 1, " \t\n", &save); tok;
		     tok = strtok_r(NULL, " \t\n", &save))
			if (!strcmp(tok, "hypervisor"))
				snprintf(a->hypervisor_flag, sizeof(a->hypervisor_flag), "yes");
		break;
	}
	free(line);
	fclose(f);
}

/* 8-4-4-4-12 hex digits, as the kernel prints boot_id. */
static void read_boot_id(const struct audit_root *r, struct sysaudit *a)
{
	char line[64];
	size_t i;

	if (!read_value(r, "/proc/sys/kernel/random/boot_id", line, sizeof(line)) ||
	    strlen(line) != 36)
		return;
	for (i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? line[i] != '-' : !isxdigit((unsigned char)line[i]))
			return;
	}
	set_clean(a->boot_id, sizeof(a->boot_id), line, 36);
}

static void read_uptime(const struct audit_root *r, struct sysaudit *a)
{
	char line[128];
	const char *next;

	if (read_value(r, "/proc/uptime", line, sizeof(line)) &&
	    !parse_real(line, 1e10, &next, &a->uptime_s))
		a->uptime_s = NAN;
}

/* "0.52 0.58 0.59 1/123 4567": all three or none. */
static void read_loadavg(const struct audit_root *r, struct sysaudit *a)
{
	char line[128];
	const char *p = line;
	double v[3];
	int i;

	if (!read_value(r, "/proc/loadavg", line, sizeof(line)))
		return;
	for (i = 0; i < 3; i++)
		if (!parse_real(p, 1e6, &p, &v[i]))
			return;
	a->load1 = v[0];
	a->load5 = v[1];
	a->load15 = v[2];
}

int sysaudit_gather(struct sysaudit *a, const char *root, struct errmsg *e)
{
	struct audit_root r = { root ? root : "" };
	char probe[AUDIT_PATH_MAX];

	sysaudit_init(a);
	if (audit_path(&r, "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", probe,
		       sizeof(probe)))
		return errmsg_set(e, -ENAMETOOLONG, "audit root too long");
	read_string(&r, "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor",
		    a->cpufreq_governor, sizeof(a->cpufreq_governor));
	read_string(&r, "/sys/devices/system/cpu/cpu0/cpufreq/scaling_driver",
		    a->cpufreq_driver, sizeof(a->cpufreq_driver));
	read_choice(&r, "/sys/kernel/mm/transparent_hugepage/enabled", a->thp_enabled,
		    sizeof(a->thp_enabled));
	read_choice(&r, "/sys/kernel/mm/transparent_hugepage/defrag", a->thp_defrag,
		    sizeof(a->thp_defrag));
	read_choice(&r, "/sys/kernel/mm/transparent_hugepage/shmem_enabled",
		    a->thp_shmem_enabled, sizeof(a->thp_shmem_enabled));
	read_swap_total(&r, a);
	read_swap_devices(&r, a);
	read_int(&r, "/proc/sys/kernel/numa_balancing", 15, &a->numa_balancing);
	read_int(&r, "/proc/sys/kernel/randomize_va_space", 2, &a->randomize_va_space);
	read_string(&r, "/proc/cmdline", a->cmdline, sizeof(a->cmdline));
	read_hypervisor_flag(&r, a);
	read_string(&r, "/sys/hypervisor/type", a->hypervisor_type, sizeof(a->hypervisor_type));
	read_string(&r, "/sys/class/dmi/id/sys_vendor", a->dmi_sys_vendor,
		    sizeof(a->dmi_sys_vendor));
	read_string(&r, "/sys/class/dmi/id/product_name", a->dmi_product_name,
		    sizeof(a->dmi_product_name));
	read_boot_id(&r, a);
	read_uptime(&r, a);
	read_loadavg(&r, a);
	return 0;
}
