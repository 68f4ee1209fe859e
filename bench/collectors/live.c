// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <pthread.h>
#include <stddef.h>

#include "collectors/live.h"

static const void *live[64];
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;

int collector_live_add(const void *state)
{
	size_t i;
	int ret = -ENOSPC;

	pthread_mutex_lock(&live_lock);
	for (i = 0; i < sizeof(live) / sizeof(live[0]); i++) {
		if (!live[i]) {
			live[i] = state;
			ret = 0;
			break;
		}
	}
	pthread_mutex_unlock(&live_lock);
	return ret;
}

bool collector_live_take(const void *state)
{
	bool was = false;
	size_t i;

	if (!state)
		return false;
	pthread_mutex_lock(&live_lock);
	for (i = 0; i < sizeof(live) / sizeof(live[0]); i++) {
		if (live[i] == state) {
			live[i] = NULL;
			was = true;
			break;
		}
	}
	pthread_mutex_unlock(&live_lock);
	return was;
}
