/* SPDX-License-Identifier: GPL-2.0 */
/*
 * close() may come twice (normal exit, then the engine's signal path): a
 * collector registers its state here at open and closes only a live one.
 */
#ifndef MLB_COLLECTOR_LIVE_H
#define MLB_COLLECTOR_LIVE_H

#include <stdbool.h>

int collector_live_add(const void *state);
/* True (and forgotten) if @state was live. */
bool collector_live_take(const void *state);

#endif
