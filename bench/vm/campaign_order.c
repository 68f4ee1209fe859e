// SPDX-License-Identifier: GPL-2.0
/*
 * The order a campaign's boots run in.  Interleaving puts every kernel in
 * every stretch of the campaign, so a drift of the host (another job, a
 * warming room) lands on all kernels alike; the seeded shuffle breaks a
 * period the host might share with the interleave.  Pure: no I/O.
 */
#include <string.h>

#include "vm/campaign.h"

size_t campaign_nboots(const struct campaign *c)
{
	return c->nkernels * c->runs;
}

const char *campaign_order_name(enum campaign_order o)
{
	return o == ORDER_RANDOM ? "random" : "interleave";
}

/* splitmix64: a fixed, portable generator, so a seed means one order everywhere */
static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* uniform in [0, n): rejection, no modulo bias */
static uint64_t below(uint64_t *state, uint64_t n)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % n, x;

	do
		x = splitmix64(state);
	while (x >= limit);
	return x % n;
}

void campaign_order(const struct campaign *c, struct boot_slot *slots)
{
	size_t n = campaign_nboots(c), i;
	unsigned int next[CAMPAIGN_MAX_KERNELS] = { 0 };
	uint64_t state = c->seed;

	for (i = 0; i < n; i++)
		slots[i].kernel = i % c->nkernels;
	if (c->order == ORDER_RANDOM) {
		for (i = n; i > 1; i--) {
			size_t j = below(&state, i);
			struct boot_slot t = slots[i - 1];

			slots[i - 1] = slots[j];
			slots[j] = t;
		}
	}
	/* boot-1 is the kernel's first boot in time, whatever the order */
	for (i = 0; i < n; i++)
		slots[i].boot = ++next[slots[i].kernel];
}
