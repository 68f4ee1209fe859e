/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's initramfs: an uncompressed newc cpio archive (the kernel
 * unpacks it without a decompressor, which matters under TCG) holding
 * busybox, the mlockbench binary with every shared library ldd lists and
 * the dynamic loader, the exec workload's static target beside it, data
 * files, the job file and a busybox /init.
 */
#ifndef MLB_INITRAMFS_H
#define MLB_INITRAMFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/errmsg.h"

/* --- newc writer --- */
struct cpio_writer {
	FILE *f;
	uint32_t ino;
	uint64_t off;
	char **dirs;		/* directories already written */
	size_t ndirs;
	int err;
};

int cpio_open(struct cpio_writer *w, const char *path, struct errmsg *e);
/* Parents are created as needed; @path is absolute or relative to the root. */
int cpio_add_dir(struct cpio_writer *w, const char *path, unsigned int mode);
int cpio_add_data(struct cpio_writer *w, const char *path, unsigned int mode,
		  const void *data, size_t len);
/* Copy @src (symlinks followed) into the archive as @path. */
int cpio_add_file(struct cpio_writer *w, const char *path, const char *src, struct errmsg *e);
/* A whole tree: @src's contents under @path (symlinks kept as symlinks). */
int cpio_add_tree(struct cpio_writer *w, const char *path, const char *src, struct errmsg *e);
int cpio_add_symlink(struct cpio_writer *w, const char *path, const char *target);
int cpio_add_node(struct cpio_writer *w, const char *path, unsigned int mode,
		  unsigned int major, unsigned int minor);
/* Trailer, close; the file is complete only if this returns 0. */
int cpio_close(struct cpio_writer *w, struct errmsg *e);

/* --- reader, for tests and checks --- */
struct cpio_entry {
	const char *name;	/* without a leading "/" */
	unsigned int mode;
	const void *data;
	size_t len;
};
typedef int (*cpio_cb)(void *arg, const struct cpio_entry *ent);
int cpio_list(const char *path, cpio_cb cb, void *arg, struct errmsg *e);

/* --- what ldd says a binary needs --- */
#define LDD_MAX 64
struct ldd_list {
	size_t n;
	char path[LDD_MAX][512];	/* absolute paths as ldd prints them, loader included */
};
int ldd_parse(const char *ldd_output, struct ldd_list *out, struct errmsg *e);
int ldd_run(const char *binary, struct ldd_list *out, struct errmsg *e);

/* --- the guest image --- */
struct initramfs_spec {
	const char *binary;	/* the mlockbench to run inside */
	const char *exec_target;	/* copied beside it (probes/exec_target.h), NULL = none */
	const char *busybox;	/* static busybox, default /bin/busybox */
	const char *job_text;	/* contents of /job.ini, NULL = none */
	const char *kernel_id;	/* results go to /results/<id> */
	const char *modules;	/* copied to /lib/modules/<basename>, or NULL */
	const char *data_root;	/* source tree: its bench/ ** / *.tsv go in at the same path */
	bool probe;		/* init only prints the marker and powers off */
	unsigned int ship_port;	/* 1 = /dev/ttyS1 */
};

#define INITRAMFS_BOOT_MARKER "MLB-GUEST-BOOTED"

/* The /init script for @s (malloc'd). */
char *initramfs_init_script(const struct initramfs_spec *s);
int initramfs_build(const struct initramfs_spec *s, const char *out, struct errmsg *e);

#endif
