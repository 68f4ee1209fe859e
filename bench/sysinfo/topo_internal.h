/* SPDX-License-Identifier: GPL-2.0 */
/* struct topo is opaque outside bench/sysinfo/. */
#ifndef MLB_TOPO_INTERNAL_H
#define MLB_TOPO_INTERNAL_H

#include <hwloc.h>

struct topo {
	hwloc_topology_t h;
	char source[256];
};

#endif
