/*
 * Command-line front end: global options and one entry point per command
 * (one file per command under src/cli). Commands return the process exit
 * code. struct cli_global is owned by main and outlives every command.
 */
#ifndef LATTICECTL_CLI_H
#define LATTICECTL_CLI_H

struct cli_global {
	const char	*kubeconfig;
	const char	*context;
	const char	*ns;
	const char	*region;
	const char	*profile;
	const char	*log_level;
	const char	*log_format;
	const char	*theme;
	int		 no_color;
};

int	cmd_version(struct cli_global *, int argc, char **argv);
int	cmd_aws(struct cli_global *, int argc, char **argv);
int	cmd_controller(struct cli_global *, int argc, char **argv);
int	cmd_demo(struct cli_global *, int argc, char **argv);
int	cmd_install(struct cli_global *, int argc, char **argv);
int	cmd_map(struct cli_global *, int argc, char **argv);
int	cmd_plan(struct cli_global *, int argc, char **argv);
int	cmd_doctor(struct cli_global *, int argc, char **argv);
int	cmd_get(struct cli_global *, int argc, char **argv);
int	cmd_sim(struct cli_global *, int argc, char **argv);
int	cmd_tui(struct cli_global *, int argc, char **argv);
int	cmd_uninstall(struct cli_global *, int argc, char **argv);

#endif
