/* SPDX-License-Identifier: GPL-2.0 */
/* What a guest left behind: its result frames, its console, qemu's own log. */
#ifndef MLB_VM_COLLECT_H
#define MLB_VM_COLLECT_H

#include <stddef.h>

#include "common/errmsg.h"
#include "vm/framing.h"

/* Unpack the frames of @ship_log into @dir (then remove it); @st says what arrived. */
int collect_frames(const char *ship_log, const char *dir, struct frame_stats *st,
		   struct errmsg *e);
/* The guest's uptime when /init started (the boot marker on @console), or -1. */
double collect_boot_s(const char *console);
/* The console has any output at all. */
bool collect_console_spoke(const char *console);
/* The last non-empty line of qemu's own log (its error), "" when none. */
void collect_qemu_error(const char *qemu_log, char *out, size_t len);

#endif
