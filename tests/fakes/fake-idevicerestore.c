/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * A stand-in for idevicerestore that takes its options and replays a timed
 * log (ub-timed-log.h), so the real engine class can be driven without a
 * device. Set through the environment:
 *
 *   UB_FAKE_ENGINE_LOG        the timed log to replay (none: no output)
 *   UB_FAKE_ENGINE_SPEED      replay speed, 1.0 by default, 0 = no waiting
 *   UB_FAKE_ENGINE_EXIT       the exit status, else the log's
 *   UB_FAKE_ENGINE_VERSION    what -v prints after "idevicerestore ", else
 *                             the log's "#! version", else 1.0.0
 *   UB_FAKE_ENGINE_ARGV_FILE  gets the argv, one argument a line
 *   UB_FAKE_ENGINE_PID_FILE   gets the process id
 *   UB_FAKE_ENGINE_INFO_FILE  gets "cwd=", "lc-all=" and "stdin=" lines
 *   UB_FAKE_ENGINE_HANG=1     ignore SIGINT; after the log (and after -v)
 *                             block until killed
 *
 * Like the real one: stdout for output, stderr for "!stderr" lines and
 * lines starting "ERROR:", usage errors on stderr with status 255, SIGINT
 * stops the replay and exits 255.
 */

#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ub-timed-log.h"

#define FAKE_NAME "idevicerestore"
/* sleeping in short slices notices SIGINT soon */
#define FAKE_SLEEP_SLICE_US 20000

static volatile sig_atomic_t interrupted = 0;

static void
fake_sigint_handler(int signum)
{
	interrupted = 1;
}

static void
fake_print_usage(FILE *out)
{
	/* the 1.0.0 option set plus the upstream long options */
	fprintf(out,
		"Usage: %s [OPTIONS] PATH\n"
		"\n"
		"Restore IPSW firmware at PATH to an iOS device.\n"
		"\n"
		"OPTIONS:\n"
		"  -i, --ecid ECID       Target specific device by its ECID\n"
		"  -u, --udid UDID       Target specific device by its device UDID\n"
		"  -l, --latest          Use latest available firmware\n"
		"  -e, --erase           Perform full restore instead of update\n"
		"  -y, --no-input        Non-interactive mode, do not ask for any input.\n"
		"  -n, --no-action       Do not perform any restore action.\n"
		"  -h, --help            Prints this usage information\n"
		"  -C, --cache-path DIR  Use specified directory for caching\n"
		"  -d, --debug           Enable communication debugging\n"
		"  -v, --version         Print version information\n"
		"  -c, -s, -x, -t, -z, -k, -p, -R, -T PATH, -P\n"
		"\n"
		"This is the fake idevicerestore of the Unbrick tests.\n",
		FAKE_NAME);
}

static gboolean
fake_write_file(const gchar *env, const gchar *contents)
{
	const gchar *path = g_getenv(env);
	g_autoptr(GError) error = NULL;

	if (path == NULL || path[0] == '\0')
		return TRUE;
	if (!g_file_set_contents(path, contents, -1, &error)) {
		fprintf(stderr, "fake-idevicerestore: %s: %s\n", env, error->message);
		return FALSE;
	}
	return TRUE;
}

/* "eof" when the parent closed stdin: nothing will ever be typed there */
static const gchar *
fake_stdin_state(void)
{
	struct pollfd fds = {.fd = STDIN_FILENO, .events = POLLIN};
	gchar byte = 0;
	gssize n = 0;

	if (isatty(STDIN_FILENO))
		return "tty";
	if (poll(&fds, 1, 1000) <= 0)
		return "open";
	n = read(STDIN_FILENO, &byte, 1);
	if (n == 0)
		return "eof";
	return n < 0 ? "error" : "data";
}

static void
fake_hang(void)
{
	for (;;)
		pause();
}

static gboolean
fake_sleep_until(gint64 deadline)
{
	for (;;) {
		gint64 now = g_get_monotonic_time();

		if (interrupted)
			return FALSE;
		if (now >= deadline)
			return TRUE;
		g_usleep((gulong)MIN(deadline - now, FAKE_SLEEP_SLICE_US));
	}
}

static gboolean
fake_write_line(const UbTimedLine *line)
{
	FILE *out = stdout;

	if (line->stderr || g_str_has_prefix(line->text, "ERROR:"))
		out = stderr;
	if (fputs(line->text, out) == EOF || fputc('\n', out) == EOF || fflush(out) == EOF)
		return FALSE;
	return TRUE;
}

static gint
fake_replay(UbTimedLog *log, gdouble speed)
{
	gint64 start = g_get_monotonic_time();

	for (guint i = 0; log != NULL && i < ub_timed_log_get_n_lines(log); i++) {
		const UbTimedLine *line = ub_timed_log_get_line(log, i);

		if (speed > 0) {
			gint64 due = start + (gint64)(line->at / speed * G_USEC_PER_SEC);
			if (!fake_sleep_until(due))
				return -1;
		} else if (interrupted) {
			return -1;
		}
		/* the reader went away: stop like the real one would */
		if (!fake_write_line(line))
			return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	const struct option options[] = {
	    {"ecid", required_argument, NULL, 'i'},
	    {"udid", required_argument, NULL, 'u'},
	    {"debug", no_argument, NULL, 'd'},
	    {"help", no_argument, NULL, 'h'},
	    {"erase", no_argument, NULL, 'e'},
	    {"custom", no_argument, NULL, 'c'},
	    {"cydia", no_argument, NULL, 's'},
	    {"server", required_argument, NULL, 'S'},
	    {"exclude", no_argument, NULL, 'x'},
	    {"shsh", no_argument, NULL, 't'},
	    {"keep-pers", no_argument, NULL, 'k'},
	    {"pwn", no_argument, NULL, 'p'},
	    {"no-action", no_argument, NULL, 'n'},
	    {"latest", no_argument, NULL, 'l'},
	    {"cache-path", required_argument, NULL, 'C'},
	    {"no-input", no_argument, NULL, 'y'},
	    {"plain-progress", no_argument, NULL, 'P'},
	    {"restore-mode", no_argument, NULL, 'R'},
	    {"ticket", required_argument, NULL, 'T'},
	    {"no-restore", no_argument, NULL, 'z'},
	    {"version", no_argument, NULL, 'v'},
	    {"ipsw-info", no_argument, NULL, 'I'},
	    {"ignore-errors", no_argument, NULL, 'G'},
	    {"variant", required_argument, NULL, 'V'},
	    {"logfile", required_argument, NULL, 'L'},
	    {NULL, 0, NULL, 0},
	};
	g_autoptr(UbTimedLog) log = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) argv_text = g_string_new(NULL);
	g_autofree gchar *pid_text = NULL;
	g_autofree gchar *info_text = NULL;
	g_autofree gchar *cwd = NULL;
	const gchar *log_path = g_getenv("UB_FAKE_ENGINE_LOG");
	const gchar *speed_text = g_getenv("UB_FAKE_ENGINE_SPEED");
	const gchar *exit_text = g_getenv("UB_FAKE_ENGINE_EXIT");
	const gchar *version = g_getenv("UB_FAKE_ENGINE_VERSION");
	gboolean hang = g_strcmp0(g_getenv("UB_FAKE_ENGINE_HANG"), "1") == 0;
	gboolean latest = FALSE;
	gboolean show_version = FALSE;
	gdouble speed = 1.0;
	gint exit_status = 0;
	gint opt = 0;
	gint replayed = 0;
	struct sigaction action;

	/* like the real one: a vanished reader is an error on write, not death */
	signal(SIGPIPE, SIG_IGN);
	memset(&action, 0, sizeof(action));
	action.sa_handler = hang ? SIG_IGN : fake_sigint_handler;
	sigemptyset(&action.sa_mask);
	sigaction(SIGINT, &action, NULL);

	for (gint i = 0; i < argc; i++)
		g_string_append_printf(argv_text, "%s\n", argv[i]);

	while ((opt = getopt_long(argc, argv, "dhcesxtli:u:nC:kyPRT:zvp", options, NULL)) != -1) {
		switch (opt) {
		case 'h':
			fake_print_usage(stdout);
			return 0;
		case 'v':
			show_version = TRUE;
			break;
		case 'l':
			latest = TRUE;
			break;
		case 'i':
			if (strtoull(optarg, NULL, 0) == 0) {
				fprintf(stderr, "ERROR: Could not parse ECID from '%s'\n", optarg);
				return 255;
			}
			break;
		case 'd':
		case 'c':
		case 'e':
		case 's':
		case 'S':
		case 'x':
		case 't':
		case 'u':
		case 'n':
		case 'C':
		case 'k':
		case 'y':
		case 'P':
		case 'R':
		case 'T':
		case 'z':
		case 'p':
		case 'I':
		case 'G':
		case 'V':
		case 'L':
			break;
		default:
			fake_print_usage(stderr);
			return 255;
		}
	}

	if (log_path != NULL && log_path[0] != '\0') {
		log = ub_timed_log_new_from_file(log_path, &error);
		if (log == NULL) {
			fprintf(stderr, "ERROR: fake-idevicerestore: %s\n", error->message);
			return 255;
		}
	}

	if (show_version) {
		if (version == NULL && log != NULL)
			version = ub_timed_log_get_version(log);
		printf("%s %s\n", FAKE_NAME, version != NULL ? version : "1.0.0");
		fflush(stdout);
		if (hang)
			fake_hang();
		return 0;
	}

	if (optind >= argc && !latest) {
		fake_print_usage(stderr);
		return 255;
	}

	cwd = g_get_current_dir();
	pid_text = g_strdup_printf("%d\n", (gint)getpid());
	info_text = g_strdup_printf("cwd=%s\nlc-all=%s\nstdin=%s\n",
				    cwd,
				    g_getenv("LC_ALL") != NULL ? g_getenv("LC_ALL") : "",
				    fake_stdin_state());
	if (!fake_write_file("UB_FAKE_ENGINE_ARGV_FILE", argv_text->str) ||
	    !fake_write_file("UB_FAKE_ENGINE_PID_FILE", pid_text) ||
	    !fake_write_file("UB_FAKE_ENGINE_INFO_FILE", info_text))
		return 255;

	if (speed_text != NULL && speed_text[0] != '\0') {
		speed = g_ascii_strtod(speed_text, NULL);
		if (!(speed >= 0))
			speed = 1.0;
	}

	replayed = fake_replay(log, speed);
	if (replayed < 0) {
		/* idevicerestore notices the quit flag at its next check point */
		printf("Exiting...\n");
		fflush(stdout);
		return 255;
	}
	if (replayed > 0)
		return 255;
	if (hang)
		fake_hang();

	if (exit_text != NULL && exit_text[0] != '\0')
		exit_status = atoi(exit_text);
	else if (log != NULL)
		exit_status = ub_timed_log_get_exit_status(log);
	return exit_status;
}
