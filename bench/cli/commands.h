/* SPDX-License-Identifier: GPL-2.0 */
/* Subcommands: each returns an exit status (common/exitcodes.h). */
#ifndef MLB_COMMANDS_H
#define MLB_COMMANDS_H

int cmd_info(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_campaign(int argc, char **argv);
int cmd_kernel(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_gate(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_ship(int argc, char **argv);	/* hidden: guest side of a campaign */

#endif
