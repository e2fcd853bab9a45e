/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-diagnosis"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "ub-diagnosis.h"
#include "ub-guidance-enums.h"
#include "ub-restore-enums.h"

/*
 * The escalation ladder, least drastic first:
 *
 *   cable/port → restart and clean Recovery re-entry → Update → Restore →
 *   DFU Restore → another computer → Apple service
 *
 * Each device (ECID) has its own ladder: the rungs already tried, the rung
 * last offered, the last device-side cause and how many times in a row it
 * happened. A failure is judged by its cause:
 *
 * - host-side causes (usbmuxd-unavailable, usb-permission, engine-outdated,
 *   engine-missing, disk-space, download-failed, signing-unreachable,
 *   firmware-invalid) and signing-refused (Apple's side) say nothing about
 *   the device: fix_host_first is set, nothing counts as tried, the streak
 *   is kept and the offer is the restore that just ran, to try again once
 *   the computer is fixed; cards: the cause's (and security software for an
 *   unreachable signing server); a stall is ignored, the host explains it
 * - cancelled, without a stall, is the user's choice: no climb, the offer is
 *   the restore that ran, card: cancelled
 * - device-side causes (usb-connection, personalization-rejected, fdr-failed,
 *   baseband-failed, storage-failed, unknown) and a stalled run climb: the
 *   rung last offered counts as tried (an offered Update, Restore or DFU
 *   Restore only when it is what ran: the user may have done another one,
 *   or not reached DFU mode), and so does the restore that ran
 *   (Update → Update; Restore from Normal or Recovery → Restore and Update,
 *   an Update after an erase gains nothing; Restore from DFU mode → DFU
 *   Restore, Restore and Update); the offer is then the first rung in ladder
 *   order not yet tried, where cable/port and Recovery re-entry are skipped
 *   for causes that are not about the connection (fdr, baseband, storage)
 * - floors: the same device-side cause twice in a row, or a run that made
 *   no progress for 30 minutes, starts at DFU Restore at the least (the
 *   repeated-failure or stalled card says why); past the top the offer
 *   stays at service
 * - cards: (stalled,) the cause's card (none for a cancelled stall),
 *   (repeated failure,) the card of the rung offered where it has one
 *   (cable/port: usb-connection; DFU Restore, another computer, service:
 *   their own; Recovery re-entry is guided by the app, Update and Restore
 *   are a button), (hardware, when a hardware-ish cause —
 *   baseband, storage, fdr — repeats,) then the cards covering the device's
 *   status number as one of Apple's error codes; host-side causes skip those
 *   numbers, the device only reported the computer's fault
 * - a success forgets the device; a device never detected on any port or
 *   cable gets the not-detected cards and another computer as the offer
 *
 * The ladders live in a key file, one group per ECID ("0x%016X"), written
 * after every change so they survive a restart.
 */

struct _UbDiagnosis {
	GObject parent_instance;

	UbRemediation *cards;
	gchar *ladder_path; /* NULL: memory only */
	GKeyFile *ladder;   /* read at first use */
};

G_DEFINE_FINAL_TYPE(UbDiagnosis, ub_diagnosis, G_TYPE_OBJECT)

/* one device's ladder */
typedef struct {
	guint tried; /* 1 << UbRung */
	UbRung offered;
	UbFailureCause last_cause;
	guint repeats; /* 0: no device-side failure yet */
} UbLadderState;

#define UB_RUNG_BIT(rung) (1u << (guint)(rung))

void
ub_diagnosis_result_free(UbDiagnosisResult *result)
{
	if (result == NULL)
		return;
	g_clear_pointer(&result->cards, g_ptr_array_unref);
	g_free(result->reason);
	g_free(result);
}

static const gchar *
ub_diagnosis_enum_to_nick(GType type, gint value)
{
	g_autoptr(GEnumClass) klass = g_type_class_ref(type);
	GEnumValue *enum_value = g_enum_get_value(klass, value);

	g_assert(enum_value != NULL);
	return enum_value->value_nick;
}

static gboolean
ub_diagnosis_enum_from_nick(GType type, const gchar *nick, gint *value)
{
	g_autoptr(GEnumClass) klass = g_type_class_ref(type);
	GEnumValue *enum_value = NULL;

	if (nick == NULL)
		return FALSE;
	enum_value = g_enum_get_value_by_nick(klass, nick);
	if (enum_value == NULL)
		return FALSE;
	*value = enum_value->value;
	return TRUE;
}

static gchar *
ub_diagnosis_group_name(guint64 ecid)
{
	return g_strdup_printf("0x%016" G_GINT64_MODIFIER "X", ecid);
}

static GKeyFile *
ub_diagnosis_ensure_ladder(UbDiagnosis *self)
{
	g_autoptr(GError) error = NULL;

	if (self->ladder != NULL)
		return self->ladder;
	self->ladder = g_key_file_new();
	if (self->ladder_path == NULL)
		return self->ladder;
	if (!g_key_file_load_from_file(
		self->ladder, self->ladder_path, G_KEY_FILE_KEEP_COMMENTS, &error)) {
		/* a lost ladder only means starting from the bottom again, not
		 * worth a warning */
		if (g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
			g_debug("no ladder at %s yet", self->ladder_path);
		} else {
			g_message("ignoring the unreadable ladder at %s: %s",
				  self->ladder_path,
				  error->message);
		}
		g_key_file_free(self->ladder);
		self->ladder = g_key_file_new();
	}
	return self->ladder;
}

static void
ub_diagnosis_save(UbDiagnosis *self)
{
	g_autofree gchar *data = NULL;
	g_autofree gchar *folder = NULL;
	g_autoptr(GError) error = NULL;
	gsize length = 0;

	if (self->ladder_path == NULL)
		return;
	folder = g_path_get_dirname(self->ladder_path);
	if (g_mkdir_with_parents(folder, 0700) != 0) {
		g_warning("failed to create %s: %s", folder, g_strerror(errno));
		return;
	}
	data = g_key_file_to_data(self->ladder, &length, NULL);
	if (!g_file_set_contents(self->ladder_path, data, (gssize)length, &error))
		g_warning("failed to save the ladder: %s", error->message);
}

/* a missing or damaged value reads as "not known", never as an error */
static void
ub_diagnosis_read_state(UbDiagnosis *self, guint64 ecid, UbLadderState *state)
{
	GKeyFile *ladder = ub_diagnosis_ensure_ladder(self);
	g_autofree gchar *group = ub_diagnosis_group_name(ecid);
	g_auto(GStrv) tried = NULL;
	g_autofree gchar *offered = NULL;
	g_autofree gchar *last_cause = NULL;
	gint value = 0;
	gint repeats = 0;

	state->tried = 0;
	state->offered = UB_RUNG_NONE;
	state->last_cause = UB_FAILURE_CAUSE_UNKNOWN;
	state->repeats = 0;
	if (!g_key_file_has_group(ladder, group))
		return;

	tried = g_key_file_get_string_list(ladder, group, "tried", NULL, NULL);
	for (guint i = 0; tried != NULL && tried[i] != NULL; i++) {
		if (ub_diagnosis_enum_from_nick(UB_TYPE_RUNG, tried[i], &value) &&
		    value != (gint)UB_RUNG_NONE)
			state->tried |= UB_RUNG_BIT(value);
		else
			g_debug("%s: ignoring the rung '%s'", group, tried[i]);
	}
	offered = g_key_file_get_string(ladder, group, "offered", NULL);
	if (ub_diagnosis_enum_from_nick(UB_TYPE_RUNG, offered, &value))
		state->offered = (UbRung)value;
	last_cause = g_key_file_get_string(ladder, group, "last-cause", NULL);
	repeats = g_key_file_get_integer(ladder, group, "repeats", NULL);
	if (ub_diagnosis_enum_from_nick(UB_TYPE_FAILURE_CAUSE, last_cause, &value) && repeats > 0) {
		state->last_cause = (UbFailureCause)value;
		state->repeats = (guint)repeats;
	}
}

static void
ub_diagnosis_write_state(UbDiagnosis *self, guint64 ecid, const UbLadderState *state)
{
	GKeyFile *ladder = ub_diagnosis_ensure_ladder(self);
	g_autofree gchar *group = ub_diagnosis_group_name(ecid);
	g_autoptr(GPtrArray) tried = g_ptr_array_new();
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree gchar *updated = g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");

	for (guint rung = UB_RUNG_CABLE_PORT; rung <= UB_RUNG_SERVICE; rung++) {
		if ((state->tried & UB_RUNG_BIT(rung)) != 0)
			g_ptr_array_add(tried,
					(gpointer)ub_diagnosis_enum_to_nick(UB_TYPE_RUNG, rung));
	}
	g_key_file_set_string_list(
	    ladder, group, "tried", (const gchar *const *)tried->pdata, tried->len);
	g_key_file_set_string(
	    ladder, group, "offered", ub_diagnosis_enum_to_nick(UB_TYPE_RUNG, state->offered));
	if (state->repeats > 0) {
		g_key_file_set_string(
		    ladder,
		    group,
		    "last-cause",
		    ub_diagnosis_enum_to_nick(UB_TYPE_FAILURE_CAUSE, state->last_cause));
	} else {
		g_key_file_remove_key(ladder, group, "last-cause", NULL);
	}
	g_key_file_set_integer(
	    ladder, group, "repeats", (gint)MIN(state->repeats, (guint)G_MAXINT));
	g_key_file_set_string(ladder, group, "updated", updated);
	ub_diagnosis_save(self);
}

static gboolean
ub_diagnosis_cause_is_host_side(UbFailureCause cause)
{
	switch (cause) {
	case UB_FAILURE_CAUSE_USBMUXD_UNAVAILABLE:
	case UB_FAILURE_CAUSE_USB_PERMISSION:
	case UB_FAILURE_CAUSE_ENGINE_OUTDATED:
	case UB_FAILURE_CAUSE_ENGINE_MISSING:
	case UB_FAILURE_CAUSE_DISK_SPACE:
	case UB_FAILURE_CAUSE_DOWNLOAD_FAILED:
	case UB_FAILURE_CAUSE_SIGNING_UNREACHABLE:
	case UB_FAILURE_CAUSE_FIRMWARE_INVALID:
	case UB_FAILURE_CAUSE_SIGNING_REFUSED:
		return TRUE;
	default:
		return FALSE;
	}
}

/* a part of the device failed its own check; a new cable will not help */
static gboolean
ub_diagnosis_cause_is_hardware(UbFailureCause cause)
{
	return cause == UB_FAILURE_CAUSE_BASEBAND_FAILED ||
	       cause == UB_FAILURE_CAUSE_STORAGE_FAILED || cause == UB_FAILURE_CAUSE_FDR_FAILED;
}

static gboolean
ub_diagnosis_rung_is_restore(UbRung rung)
{
	return rung == UB_RUNG_UPDATE || rung == UB_RUNG_RESTORE || rung == UB_RUNG_DFU_RESTORE;
}

static UbRung
ub_diagnosis_run_rung(const UbDiagnosisInput *input)
{
	if (input->kind == UB_RESTORE_KIND_UPDATE)
		return UB_RUNG_UPDATE;
	if (input->start_mode == UB_DEVICE_MODE_DFU)
		return UB_RUNG_DFU_RESTORE;
	return UB_RUNG_RESTORE;
}

/* the rungs the run that failed rules out: each erase includes what an
 * Update would have done */
static guint
ub_diagnosis_run_tried(const UbDiagnosisInput *input)
{
	switch (ub_diagnosis_run_rung(input)) {
	case UB_RUNG_DFU_RESTORE:
		return UB_RUNG_BIT(UB_RUNG_DFU_RESTORE) | UB_RUNG_BIT(UB_RUNG_RESTORE) |
		       UB_RUNG_BIT(UB_RUNG_UPDATE);
	case UB_RUNG_RESTORE:
		return UB_RUNG_BIT(UB_RUNG_RESTORE) | UB_RUNG_BIT(UB_RUNG_UPDATE);
	default:
		return UB_RUNG_BIT(UB_RUNG_UPDATE);
	}
}

static UbRung
ub_diagnosis_first_untried(guint tried, UbRung from)
{
	for (guint rung = from; rung <= UB_RUNG_SERVICE; rung++) {
		if ((tried & UB_RUNG_BIT(rung)) == 0)
			return (UbRung)rung;
	}
	return UB_RUNG_SERVICE;
}

static UbDiagnosisResult *
ub_diagnosis_result_new(void)
{
	UbDiagnosisResult *result = g_new0(UbDiagnosisResult, 1);
	result->cards = g_ptr_array_new_with_free_func(g_object_unref);
	result->next_rung = UB_RUNG_NONE;
	return result;
}

static void
ub_diagnosis_result_add(UbDiagnosisResult *result, UbCard *card)
{
	if (card == NULL)
		return;
	if (g_ptr_array_find(result->cards, card, NULL))
		return;
	g_ptr_array_add(result->cards, g_object_ref(card));
}

static void
ub_diagnosis_add_id(UbDiagnosis *self, UbDiagnosisResult *result, const gchar *id)
{
	UbCard *card = ub_remediation_lookup(self->cards, id);

	if (card == NULL) {
		g_debug("no card '%s'", id);
		return;
	}
	ub_diagnosis_result_add(result, card);
}

static void
ub_diagnosis_add_cause(UbDiagnosis *self, UbDiagnosisResult *result, UbFailureCause cause)
{
	ub_diagnosis_result_add(result, ub_remediation_lookup_cause(self->cards, cause));
}

static void
ub_diagnosis_add_status(UbDiagnosis *self, UbDiagnosisResult *result, gint64 device_status)
{
	g_autoptr(GPtrArray) cards = NULL;

	if (device_status < 0 || device_status > G_MAXUINT)
		return;
	cards = ub_remediation_find_code(self->cards, (guint)device_status);
	for (guint i = 0; cards != NULL && i < cards->len; i++)
		ub_diagnosis_result_add(result, g_ptr_array_index(cards, i));
}

/* the card that tells how to climb to @rung, where one is needed: cable
 * and port, DFU mode, another computer and service have their own steps;
 * the Recovery re-entry is guided by the app, Update and Restore are a
 * button */
static const gchar *
ub_diagnosis_rung_card(UbRung rung)
{
	switch (rung) {
	case UB_RUNG_CABLE_PORT:
		return UB_CARD_USB_CONNECTION;
	case UB_RUNG_DFU_RESTORE:
		return UB_CARD_DFU_RESTORE;
	case UB_RUNG_OTHER_COMPUTER:
		return UB_CARD_OTHER_COMPUTER;
	case UB_RUNG_SERVICE:
		return UB_CARD_SERVICE;
	default:
		return NULL;
	}
}

static gchar *
ub_diagnosis_rung_reason(UbRung rung)
{
	switch (rung) {
	case UB_RUNG_CABLE_PORT:
		return g_strdup(_("The connection may have dropped, so first try another cable "
				  "and a port on the computer itself."));
	case UB_RUNG_RECOVERY_REENTRY:
		return g_strdup(_("Restarting the device and entering Recovery Mode again clears "
				  "many passing problems."));
	case UB_RUNG_UPDATE:
		return g_strdup(_("An Update keeps the data on the device, so it is the next "
				  "thing to try."));
	case UB_RUNG_RESTORE:
		return g_strdup(_("The Update did not help, so the next try erases the device "
				  "and installs iOS again."));
	case UB_RUNG_DFU_RESTORE:
		return g_strdup(_("A Restore from DFU mode starts from the device's most basic "
				  "state and can fix what a normal Restore cannot."));
	case UB_RUNG_OTHER_COMPUTER:
		return g_strdup(_("Everything was tried on this computer, so try another "
				  "computer before asking for service."));
	case UB_RUNG_SERVICE:
		return g_strdup(_("Every step was tried on this device, so it most likely needs "
				  "a repair by Apple or an authorised service provider."));
	case UB_RUNG_NONE:
	default:
		return g_strdup(_("Try again."));
	}
}

UbDiagnosisResult *
ub_diagnosis_record_failure(UbDiagnosis *self, guint64 ecid, const UbDiagnosisInput *input)
{
	UbDiagnosisResult *result = NULL;
	UbLadderState state = {0};
	UbFailureCause cause;
	UbRung from = UB_RUNG_CABLE_PORT;
	UbRung floor = UB_RUNG_NONE;
	gboolean repeated = FALSE;

	g_return_val_if_fail(UB_IS_DIAGNOSIS(self), NULL);
	g_return_val_if_fail(input != NULL, NULL);

	cause = input->cause;
	result = ub_diagnosis_result_new();
	ub_diagnosis_read_state(self, ecid, &state);

	/* the computer or Apple's servers failed: the device was never really
	 * put to the test */
	if (ub_diagnosis_cause_is_host_side(cause)) {
		result->fix_host_first = TRUE;
		result->next_rung = ub_diagnosis_run_rung(input);
		ub_diagnosis_add_cause(self, result, cause);
		if (cause == UB_FAILURE_CAUSE_SIGNING_UNREACHABLE)
			ub_diagnosis_add_id(self, result, UB_CARD_SECURITY_SOFTWARE);
		if (cause == UB_FAILURE_CAUSE_SIGNING_REFUSED) {
			result->reason = g_strdup(_("Apple did not approve this version for the "
						    "device, so choose a version Apple still "
						    "signs, then try the same again."));
		} else {
			result->reason =
			    g_strdup(_("Fix this on the computer first, then try the same again."));
		}
		state.offered = result->next_rung;
		ub_diagnosis_write_state(self, ecid, &state);
		return result;
	}

	/* the user stopped it; nothing is known about the device */
	if (cause == UB_FAILURE_CAUSE_CANCELLED && !input->stalled) {
		result->next_rung = ub_diagnosis_run_rung(input);
		ub_diagnosis_add_cause(self, result, cause);
		result->reason =
		    g_strdup(_("The restore was stopped before it finished, so it can simply "
			       "be started again."));
		state.offered = result->next_rung;
		ub_diagnosis_write_state(self, ecid, &state);
		return result;
	}

	/* it never came back, so nothing was tried: the ladder stays where it
	 * was, and the same is offered once it is plugged in */
	if (input->never_connected) {
		result->next_rung = ub_diagnosis_run_rung(input);
		ub_diagnosis_add_id(self, result, UB_CARD_NOT_DETECTED);
		ub_diagnosis_add_id(self, result, UB_CARD_USB_CONNECTION);
		result->reason = g_strdup(_("It was not connected while Unbrick waited, so "
					    "nothing was tried. Plug it in, wait until it shows "
					    "here, then try the same again."));
		return result;
	}

	/* the device failed: climb; an offered restore counts by what really
	 * ran, the user may have done another (no DFU mode reached) */
	if (!ub_diagnosis_rung_is_restore(state.offered) && state.offered != UB_RUNG_NONE)
		state.tried |= UB_RUNG_BIT(state.offered);
	state.tried |= ub_diagnosis_run_tried(input);
	if (cause != UB_FAILURE_CAUSE_CANCELLED) {
		if (state.repeats > 0 && state.last_cause == cause) {
			if (state.repeats < (guint)G_MAXINT)
				state.repeats++;
		} else {
			state.last_cause = cause;
			state.repeats = 1;
		}
		repeated = state.repeats >= 2;
	}
	if (ub_diagnosis_cause_is_hardware(cause))
		from = UB_RUNG_UPDATE;
	if (repeated || input->stalled)
		floor = UB_RUNG_DFU_RESTORE;
	result->next_rung = ub_diagnosis_first_untried(state.tried, MAX(from, floor));

	if (input->stalled)
		ub_diagnosis_add_id(self, result, UB_CARD_STALLED);
	if (cause != UB_FAILURE_CAUSE_CANCELLED)
		ub_diagnosis_add_cause(self, result, cause);
	if (repeated)
		ub_diagnosis_add_id(self, result, UB_CARD_REPEATED);
	if (ub_diagnosis_rung_card(result->next_rung) != NULL)
		ub_diagnosis_add_id(self, result, ub_diagnosis_rung_card(result->next_rung));
	if (repeated && ub_diagnosis_cause_is_hardware(cause))
		ub_diagnosis_add_id(self, result, UB_CARD_HARDWARE);
	ub_diagnosis_add_status(self, result, input->device_status);

	/* the floor explains the rung only when it is what decided it */
	if (floor == UB_RUNG_DFU_RESTORE && result->next_rung == UB_RUNG_DFU_RESTORE &&
	    input->stalled) {
		result->reason = g_strdup(_("The restore stopped making progress for 30 minutes, "
					    "so the next try starts in DFU mode."));
	} else if (floor == UB_RUNG_DFU_RESTORE && result->next_rung == UB_RUNG_DFU_RESTORE) {
		result->reason = g_strdup(
		    _("The same problem happened twice, so the next try starts in DFU mode."));
	} else {
		result->reason = ub_diagnosis_rung_reason(result->next_rung);
	}

	state.offered = result->next_rung;
	ub_diagnosis_write_state(self, ecid, &state);
	return result;
}

void
ub_diagnosis_record_success(UbDiagnosis *self, guint64 ecid)
{
	GKeyFile *ladder = NULL;
	g_autofree gchar *group = NULL;

	g_return_if_fail(UB_IS_DIAGNOSIS(self));

	ladder = ub_diagnosis_ensure_ladder(self);
	group = ub_diagnosis_group_name(ecid);
	if (!g_key_file_remove_group(ladder, group, NULL))
		return;
	ub_diagnosis_save(self);
}

UbRung
ub_diagnosis_get_rung(UbDiagnosis *self, guint64 ecid)
{
	UbLadderState state = {0};

	g_return_val_if_fail(UB_IS_DIAGNOSIS(self), UB_RUNG_NONE);

	ub_diagnosis_read_state(self, ecid, &state);
	return state.offered;
}

UbDiagnosisResult *
ub_diagnosis_not_detected(UbDiagnosis *self)
{
	UbDiagnosisResult *result = NULL;

	g_return_val_if_fail(UB_IS_DIAGNOSIS(self), NULL);

	/* without an ECID there is no ladder: the cable and ports were tried,
	 * what is left is this computer's USB and the device's port */
	result = ub_diagnosis_result_new();
	result->next_rung = UB_RUNG_OTHER_COMPUTER;
	ub_diagnosis_add_id(self, result, UB_CARD_NOT_DETECTED);
	ub_diagnosis_add_id(self, result, UB_CARD_USB_CONNECTION);
	ub_diagnosis_add_id(self, result, UB_CARD_OTHER_COMPUTER);
	ub_diagnosis_add_id(self, result, UB_CARD_HARDWARE);
	result->reason = g_strdup(_("The device did not show up on any port or cable, so try "
				    "another computer, and then ask for service."));
	return result;
}

gchar *
ub_diagnosis_dup_default_ladder_path(void)
{
	return g_build_filename(g_get_user_data_dir(), "unbrick", "ladder.ini", NULL);
}

static void
ub_diagnosis_dispose(GObject *object)
{
	UbDiagnosis *self = UB_DIAGNOSIS(object);

	g_clear_object(&self->cards);

	G_OBJECT_CLASS(ub_diagnosis_parent_class)->dispose(object);
}

static void
ub_diagnosis_finalize(GObject *object)
{
	UbDiagnosis *self = UB_DIAGNOSIS(object);

	g_free(self->ladder_path);
	g_clear_pointer(&self->ladder, g_key_file_free);

	G_OBJECT_CLASS(ub_diagnosis_parent_class)->finalize(object);
}

static void
ub_diagnosis_class_init(UbDiagnosisClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = ub_diagnosis_dispose;
	object_class->finalize = ub_diagnosis_finalize;
}

static void
ub_diagnosis_init(UbDiagnosis *self)
{
}

UbDiagnosis *
ub_diagnosis_new(UbRemediation *cards, const gchar *ladder_path)
{
	UbDiagnosis *self = NULL;

	g_return_val_if_fail(cards == NULL || UB_IS_REMEDIATION(cards), NULL);

	self = g_object_new(UB_TYPE_DIAGNOSIS, NULL);
	self->cards = g_object_ref(cards != NULL ? cards : ub_remediation_get_default());
	self->ladder_path = g_strdup(ladder_path);
	return self;
}
