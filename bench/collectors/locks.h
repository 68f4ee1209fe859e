/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MLB_LOCKS_H
#define MLB_LOCKS_H

enum locks_method { LOCKS_AUTO, LOCKS_TRACEPOINT, LOCKS_KPROBE, LOCKS_PROFILE };

const char *locks_method_name(enum locks_method m);

#endif
