// SPDX-License-Identifier: GPL-2.0
/*
 * perf-record: a perf.data of the teardown window, by perf(1) itself:
 * `perf record -a -g` started disabled, enabled through its control fd
 * just before the release (its ack says it is recording), stopped with
 * SIGINT after.  One file per configuration (its first instrumented
 * repetition): perf-c<config>.data in the result folder.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collectors/builtin.h"
#include "common/run_command.h"
#include "common/timeutil.h"
#include "engine/metric_sink.h"

#define START_TIMEOUT_MS 60000
#define STOP_TIMEOUT_MS 60000

struct perf_record {
	char perf[512];
	struct child_process child;
	const char *argv[12];		/* the child's, alive as long as it runs */
	char file[1024];
	int ctl, ack;
	bool done_config_valid;
	unsigned int done_config;
	json_t *files;
	uint64_t start_ns, stop_ns;
};

/* SIGINT lets perf write its file; SIGKILL when it has not after the grace time. */
static void stop_child(struct perf_record *p, bool sigint)
{
	child_stop(&p->child, sigint ? SIGINT : SIGKILL, STOP_TIMEOUT_MS, NULL);
	if (p->ctl >= 0)
		close(p->ctl);
	if (p->ack >= 0)
		close(p->ack);
	p->ctl = p->ack = -1;
}

static void pr_close(void *state)
{
	struct perf_record *p = state;

	if (!p)
		return;
	stop_child(p, true);
	json_decref(p->files);
	free(p);
}

static int pr_open(void **state, const struct ops_args *args, struct errmsg *e)
{
	struct perf_record *p = calloc(1, sizeof(*p));

	if (!p)
		return errmsg_set(e, -ENOMEM, "out of memory");
	if (run_command_find("perf", p->perf, sizeof(p->perf))) {
		free(p);
		return errmsg_set(e, -ENOENT, "perf-record: perf not found on PATH "
				  "(Debian package linux-perf)");
	}
	p->ctl = p->ack = -1;
	p->files = json_array();
	*state = p;
	return 0;
}

static int pr_teardown_begin(void *state, const struct rep_info *r, struct errmsg *e)
{
	struct perf_record *p = state;
	char logf[1100], buf[8];
	const char *dir = r->outdir ? r->outdir : ".";
	const char *argv[] = { p->perf, "record", "-a", "-g", "-D", "-1", "--control", "fd:3,4",
			       "-o", p->file, NULL };
	struct child_process *cp = &p->child;
	struct pollfd pfd;
	uint64_t t0 = now_ns();
	int ctl[2], ack[2], ret;

	if (p->done_config_valid && p->done_config == r->config)
		return 0;
	snprintf(p->file, sizeof(p->file), "%s/perf-c%u.data", dir, r->config);
	snprintf(logf, sizeof(logf), "%s/perf-c%u.log", dir, r->config);
	if (pipe2(ctl, O_CLOEXEC))
		return errmsg_set(e, -errno, "perf-record: pipe: %s", strerror(errno));
	if (pipe2(ack, O_CLOEXEC)) {
		close(ctl[0]);
		close(ctl[1]);
		return errmsg_set(e, -errno, "perf-record: pipe: %s", strerror(errno));
	}
	/* a new log, never through a link: a leftover is removed, not followed */
	unlink(logf);
	_Static_assert(sizeof(argv) <= sizeof(p->argv), "room for perf's argv");
	memcpy(p->argv, argv, sizeof(argv));
	*cp = (struct child_process)CHILD_PROCESS_INIT;
	cp->argv = p->argv;
	cp->stdout_path = logf;
	cp->stderr_to_stdout = true;
	cp->fresh_files = true;
	/* the control pipe at 3 and 4, nothing else: an inherited barrier pipe
	 * would hold the lockers back */
	cp->fds[0] = (struct child_fd){ ctl[0], 3 };
	cp->fds[1] = (struct child_fd){ ack[1], 4 };
	cp->nfds = 2;
	cp->close_fds = true;
	cp->death_signal = SIGINT;
	cp->interrupt_signal = SIGINT;
	ret = child_start(cp, e);
	close(ctl[0]);
	close(ack[1]);
	if (ret) {
		close(ctl[1]);
		close(ack[0]);
		return errmsg_prefix(e, ret, "perf-record");
	}
	p->ctl = ctl[1];
	p->ack = ack[0];
	if (write(p->ctl, "enable\n", 7) != 7) {
		stop_child(p, false);
		return errmsg_set(e, -EIO, "perf-record: perf exited at start; see %s", logf);
	}
	pfd.fd = p->ack;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, START_TIMEOUT_MS) != 1 || read(p->ack, buf, sizeof(buf)) < 3 ||
	    strncmp(buf, "ack", 3)) {
		stop_child(p, true);
		return errmsg_set(e, -EIO, "perf-record: perf did not start recording; see %s",
				  logf);
	}
	p->start_ns += now_ns() - t0;
	return 0;
}

static int pr_teardown_end(void *state, const struct rep_info *r, struct metric_sink *out,
			   struct errmsg *e)
{
	struct perf_record *p = state;
	uint64_t t0 = now_ns();
	struct stat st;

	if (p->child.pid <= 0)
		return 0;	/* this configuration is already recorded */
	stop_child(p, true);
	p->stop_ns += now_ns() - t0;
	p->done_config = r->config;
	p->done_config_valid = true;
	if (stat(p->file, &st))
		return errmsg_set(e, -ENOENT, "perf-record: perf wrote no %s", p->file);
	json_array_append_new(p->files, json_string(p->file));
	return metric_emit(out, "perf-record", "perf_data_bytes", st.st_size, "bytes");
}

static void pr_describe(void *state, json_t *o)
{
	struct perf_record *p = state;
	json_t *cost = json_object();

	json_object_set_new(o, "method", json_string("perf record -a -g, enabled over the "
						      "teardown window (first instrumented "
						      "repetition of each configuration)"));
	json_object_set_new(o, "perf", json_string(p->perf));
	json_object_set_new(o, "files", json_incref(p->files));
	json_object_set_new(cost, "start_ns", json_integer(p->start_ns));
	json_object_set_new(cost, "stop_ns", json_integer(p->stop_ns));
	json_object_set_new(o, "cost", cost);
}

static const struct collector_metric pr_metrics[] = {
	{ "perf_data_bytes", "bytes", METRIC_INFO, "perf-record" },
	{ NULL },
};

const struct collector_ops perf_record_collector = {
	.version = COLLECTOR_OPS_VERSION,
	.name = "perf-record",
	.metrics = pr_metrics,
	.help = "a perf.data (perf record -a -g) of the teardown window, one per "
		"configuration: perf-c<config>.data in the result folder; needs perf on PATH",
	.perturbs = true,
	.open = pr_open,
	.teardown_begin = pr_teardown_begin,
	.teardown_end = pr_teardown_end,
	.describe = pr_describe,
	.close = pr_close,
};
