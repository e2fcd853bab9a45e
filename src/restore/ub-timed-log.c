/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-timed-log"

#include "config.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

#include "ub-timed-log.h"

/* a line without a time marker follows the one before after this long */
#define UB_TIMED_LOG_DEFAULT_SPACING 0.05

#define UB_TIMED_LOG_HEADER_PREFIX "#! "
#define UB_TIMED_LOG_STDERR_MARKER "!stderr"

struct _UbTimedLog {
	GPtrArray *lines; /* of UbTimedLine */
	gint exit_status; /* -1 until a header sets it */
	gchar *version;
	gboolean restore_finished;
};

static void
ub_timed_line_free(UbTimedLine *line)
{
	g_free(line->text);
	g_free(line);
}

/* "12", "12.5", ".5", "12." followed by a space or the end; no sign, no
 * exponent, no "inf": a "@" with anything else starts an ordinary line */
static gboolean
ub_timed_log_parse_seconds(const gchar *text, gsize length, gdouble *seconds, gsize *consumed)
{
	g_autofree gchar *number = NULL;
	gsize pos = 0;
	guint n_digits = 0;
	gdouble value = 0;

	while (pos < length && g_ascii_isdigit(text[pos])) {
		pos++;
		n_digits++;
	}
	if (pos < length && text[pos] == '.') {
		pos++;
		while (pos < length && g_ascii_isdigit(text[pos])) {
			pos++;
			n_digits++;
		}
	}
	if (n_digits == 0)
		return FALSE;
	if (pos < length && text[pos] != ' ')
		return FALSE;

	number = g_strndup(text, pos);
	value = g_ascii_strtod(number, NULL);
	if (!isfinite(value) || value < 0)
		return FALSE;

	*seconds = value;
	*consumed = pos;
	return TRUE;
}

/* "@12.5 " or "@+2 "; on a match moves @text past the marker and its space */
static gboolean
ub_timed_log_parse_time_marker(const gchar **text,
			       gsize *length,
			       gboolean *relative,
			       gdouble *seconds)
{
	const gchar *cursor = *text;
	gsize remaining = *length;
	gsize consumed = 0;
	gboolean is_relative = FALSE;

	if (remaining < 2 || cursor[0] != '@')
		return FALSE;
	cursor++;
	remaining--;
	if (cursor[0] == '+') {
		is_relative = TRUE;
		cursor++;
		remaining--;
	}
	if (!ub_timed_log_parse_seconds(cursor, remaining, seconds, &consumed))
		return FALSE;
	cursor += consumed;
	remaining -= consumed;
	if (remaining > 0) {
		/* the one space that separates the marker from the text */
		cursor++;
		remaining--;
	}
	*relative = is_relative;
	*text = cursor;
	*length = remaining;
	return TRUE;
}

/* "!stderr " or a bare "!stderr" */
static gboolean
ub_timed_log_parse_stderr_marker(const gchar **text, gsize *length)
{
	gsize marker_len = strlen(UB_TIMED_LOG_STDERR_MARKER);

	if (*length < marker_len || memcmp(*text, UB_TIMED_LOG_STDERR_MARKER, marker_len) != 0)
		return FALSE;
	if (*length == marker_len) {
		*text += marker_len;
		*length = 0;
		return TRUE;
	}
	if ((*text)[marker_len] != ' ')
		return FALSE;
	*text += marker_len + 1;
	*length -= marker_len + 1;
	return TRUE;
}

static void
ub_timed_log_parse_header(UbTimedLog *self, const gchar *text, gsize length)
{
	g_autofree gchar *header = g_strndup(text, length);
	const gchar *value = NULL;
	gchar *space = NULL;

	g_strstrip(header);
	space = strchr(header, ' ');
	if (space == NULL) {
		g_debug("header \"%s\" has no value, ignored", header);
		return;
	}
	*space = '\0';
	value = g_strchug(space + 1);

	if (g_strcmp0(header, "exit-status") == 0) {
		guint64 status = 0;
		g_autoptr(GError) error_local = NULL;

		if (!g_ascii_string_to_unsigned(value, 10, 0, 255, &status, &error_local)) {
			g_debug("exit-status \"%s\" ignored: %s", value, error_local->message);
			return;
		}
		self->exit_status = (gint)status;
		return;
	}
	if (g_strcmp0(header, "version") == 0) {
		g_free(self->version);
		self->version = g_strdup(value);
		return;
	}
	g_debug("unknown header \"%s\" ignored", header);
}

static void
ub_timed_log_parse_line(UbTimedLog *self, const gchar *text, gsize length, gdouble *previous_at)
{
	UbTimedLine *line = NULL;
	gboolean has_time = FALSE;
	gboolean relative = FALSE;
	gboolean to_stderr = FALSE;
	gdouble seconds = 0;

	if (length >= strlen(UB_TIMED_LOG_HEADER_PREFIX) &&
	    memcmp(text, UB_TIMED_LOG_HEADER_PREFIX, strlen(UB_TIMED_LOG_HEADER_PREFIX)) == 0) {
		ub_timed_log_parse_header(self,
					  text + strlen(UB_TIMED_LOG_HEADER_PREFIX),
					  length - strlen(UB_TIMED_LOG_HEADER_PREFIX));
		return;
	}

	/* either marker order is accepted, each at most once */
	for (guint i = 0; i < 2; i++) {
		if (!has_time &&
		    ub_timed_log_parse_time_marker(&text, &length, &relative, &seconds)) {
			has_time = TRUE;
			continue;
		}
		if (!to_stderr && ub_timed_log_parse_stderr_marker(&text, &length)) {
			to_stderr = TRUE;
			continue;
		}
		break;
	}

	line = g_new0(UbTimedLine, 1);
	if (!has_time)
		line->at = *previous_at + UB_TIMED_LOG_DEFAULT_SPACING;
	else if (relative)
		line->at = *previous_at + seconds;
	else
		line->at = seconds;
	/* lines come out in file order: one due before the line above it is
	 * due together with that line */
	line->at = MAX(line->at, *previous_at);
	line->stderr = to_stderr;
	line->text = g_strndup(text, length);
	if (strstr(line->text, "Status: Restore Finished") != NULL)
		self->restore_finished = TRUE;
	*previous_at = line->at;
	g_ptr_array_add(self->lines, line);
}

/**
 * ub_timed_log_new_from_data:
 * @data: (array length=length): the log text
 * @length: bytes in @data
 *
 * Lines end with "\n" or "\r\n"; any other "\r" stays in the text, as the
 * engine's progress-bar redraws do. Never fails: text that has no markers is
 * a log whose lines come 0.05 s apart.
 *
 * Returns: (transfer full): a new log
 */
UbTimedLog *
ub_timed_log_new_from_data(const gchar *data, gsize length)
{
	UbTimedLog *self = NULL;
	gdouble previous_at = 0;
	gsize pos = 0;

	g_return_val_if_fail(data != NULL || length == 0, NULL);

	self = g_new0(UbTimedLog, 1);
	self->lines = g_ptr_array_new_with_free_func((GDestroyNotify)ub_timed_line_free);
	self->exit_status = -1;

	while (pos < length) {
		const gchar *start = data + pos;
		const gchar *newline = memchr(start, '\n', length - pos);
		gsize line_length = newline != NULL ? (gsize)(newline - start) : length - pos;

		pos += line_length + (newline != NULL ? 1 : 0);
		if (line_length > 0 && start[line_length - 1] == '\r')
			line_length--;
		ub_timed_log_parse_line(self, start, line_length, &previous_at);
	}
	return self;
}

/**
 * ub_timed_log_new_from_file:
 * @path: a timed log or a plain engine transcript
 * @error: (nullable): return location for an error
 *
 * Returns: (transfer full) (nullable): a new log, or %NULL when the file
 * cannot be read
 */
UbTimedLog *
ub_timed_log_new_from_file(const gchar *path, GError **error)
{
	g_autofree gchar *data = NULL;
	gsize length = 0;

	g_return_val_if_fail(path != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!g_file_get_contents(path, &data, &length, error))
		return NULL;
	return ub_timed_log_new_from_data(data, length);
}

/**
 * ub_timed_log_new_from_resource:
 * @resource_path: a path in a registered #GResource
 * @error: (nullable): return location for an error
 *
 * Returns: (transfer full) (nullable): a new log, or %NULL with
 * G_RESOURCE_ERROR_NOT_FOUND
 */
UbTimedLog *
ub_timed_log_new_from_resource(const gchar *resource_path, GError **error)
{
	g_autoptr(GBytes) bytes = NULL;
	gsize length = 0;
	const gchar *data = NULL;

	g_return_val_if_fail(resource_path != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	bytes = g_resources_lookup_data(resource_path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
	if (bytes == NULL)
		return NULL;
	data = g_bytes_get_data(bytes, &length);
	return ub_timed_log_new_from_data(data, length);
}

/**
 * ub_timed_log_free:
 * @self: (nullable): a #UbTimedLog
 */
void
ub_timed_log_free(UbTimedLog *self)
{
	if (self == NULL)
		return;
	g_ptr_array_unref(self->lines);
	g_free(self->version);
	g_free(self);
}

/**
 * ub_timed_log_get_n_lines:
 * @self: a #UbTimedLog
 *
 * Returns: the number of output lines, not counting header lines
 */
guint
ub_timed_log_get_n_lines(UbTimedLog *self)
{
	g_return_val_if_fail(self != NULL, 0);

	return self->lines->len;
}

/**
 * ub_timed_log_get_line:
 * @self: a #UbTimedLog
 * @index: less than ub_timed_log_get_n_lines()
 *
 * Times never decrease from one line to the next.
 *
 * Returns: (transfer none): the line, valid for the life of @self
 */
const UbTimedLine *
ub_timed_log_get_line(UbTimedLog *self, guint index)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_return_val_if_fail(index < self->lines->len, NULL);

	return g_ptr_array_index(self->lines, index);
}

/**
 * ub_timed_log_get_exit_status:
 * @self: a #UbTimedLog
 *
 * Returns: the status of "#! exit-status N" (0..255); without that header 0
 * when the log holds "Status: Restore Finished", else 255
 */
gint
ub_timed_log_get_exit_status(UbTimedLog *self)
{
	g_return_val_if_fail(self != NULL, 255);

	if (self->exit_status >= 0)
		return self->exit_status;
	return self->restore_finished ? 0 : 255;
}

/**
 * ub_timed_log_get_version:
 * @self: a #UbTimedLog
 *
 * Returns: (nullable): the value of "#! version", what `-v` prints after
 * "idevicerestore "
 */
const gchar *
ub_timed_log_get_version(UbTimedLog *self)
{
	g_return_val_if_fail(self != NULL, NULL);

	return self->version;
}

/**
 * ub_timed_log_get_duration:
 * @self: a #UbTimedLog
 *
 * Returns: seconds from the start until the last line is due; 0 when the
 * log has no lines
 */
gdouble
ub_timed_log_get_duration(UbTimedLog *self)
{
	const UbTimedLine *last = NULL;

	g_return_val_if_fail(self != NULL, 0);

	if (self->lines->len == 0)
		return 0;
	last = g_ptr_array_index(self->lines, self->lines->len - 1);
	return last->at;
}
