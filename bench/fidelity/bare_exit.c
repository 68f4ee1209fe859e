// SPDX-License-Identifier: GPL-2.0
/*
 * The exit workload as a bare program, to check that mlockbench's engine
 * measures what a minimal hand-written test would: P children map one
 * populated memfd, mlock it, wait on a pipe, exit together; the parent
 * times release -> last child reaped.  Usage: bare_exit PROCS BYTES REPS
 * Prints one teardown time in nanoseconds per repetition.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static unsigned long long one_rep(int procs, size_t len)
{
	int fd = memfd_create("bare", 0), ready[2], go[2], i;
	char *buf = calloc(1, len), c;
	unsigned long long t;

	if (fd < 0 || !buf || write(fd, buf, len) != (ssize_t)len || pipe(ready) || pipe(go))
		exit(1);
	free(buf);
	for (i = 0; i < procs; i++) {
		if (fork() == 0) {
			void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

			if (p == MAP_FAILED || mlock(p, len))
				_exit(1);
			close(go[1]);
			if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) < 0)
				_exit(1);
			_exit(0);
		}
	}
	close(go[0]);
	for (i = 0; i < procs; i++)
		if (read(ready[0], &c, 1) != 1)
			exit(1);
	t = now();
	close(go[1]);	/* EOF releases every child at once */
	while (wait(NULL) > 0)
		;
	t = now() - t;
	close(fd);
	close(ready[0]);
	close(ready[1]);
	return t;
}

int main(int argc, char **argv)
{
	int i, reps;

	if (argc != 4) {
		fprintf(stderr, "usage: bare_exit PROCS BYTES REPS\n");
		return 2;
	}
	reps = atoi(argv[3]);
	for (i = 0; i < reps; i++)
		printf("%llu\n", one_rep(atoi(argv[1]), strtoull(argv[2], NULL, 0)));
	return 0;
}
