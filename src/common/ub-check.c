/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ub-check.h"
#include "ub-common-enums.h"

struct _UbCheck {
	GObject parent_instance;

	gchar *id;
	UbCheckStatus status;
	gchar *title;
	gchar *advice;
	gchar *card_id;
	gchar *command;
};

G_DEFINE_FINAL_TYPE(UbCheck, ub_check, G_TYPE_OBJECT)

enum { PROP_0, PROP_ID, PROP_STATUS, PROP_TITLE, PROP_ADVICE, PROP_CARD_ID, PROP_COMMAND, N_PROPS };
static GParamSpec *properties[N_PROPS];

const gchar *
ub_check_get_id(UbCheck *self)
{
	g_return_val_if_fail(UB_IS_CHECK(self), NULL);
	return self->id;
}

UbCheckStatus
ub_check_get_status(UbCheck *self)
{
	g_return_val_if_fail(UB_IS_CHECK(self), UB_CHECK_STATUS_UNKNOWN);
	return self->status;
}

const gchar *
ub_check_get_title(UbCheck *self)
{
	g_return_val_if_fail(UB_IS_CHECK(self), NULL);
	return self->title;
}

const gchar *
ub_check_get_advice(UbCheck *self)
{
	g_return_val_if_fail(UB_IS_CHECK(self), NULL);
	return self->advice;
}

const gchar *
ub_check_get_card_id(UbCheck *self)
{
	g_return_val_if_fail(UB_IS_CHECK(self), NULL);
	return self->card_id;
}

const gchar *
ub_check_get_command(UbCheck *self)
{
	g_return_val_if_fail(UB_IS_CHECK(self), NULL);
	return self->command;
}

/**
 * ub_check_new:
 * @advice: (nullable): what to do; dropped on a pass
 * @card_id: (nullable): the remediation card explaining it; dropped on a pass
 *
 * A pass carries neither advice nor card, whatever the caller hands in, so
 * the UI can trust that advice means there is something to do.
 */
UbCheck *
ub_check_new(const gchar *id,
	     UbCheckStatus status,
	     const gchar *title,
	     const gchar *advice,
	     const gchar *card_id)
{
	return ub_check_new_with_command(id, status, title, advice, card_id, NULL);
}

/**
 * ub_check_new_with_command:
 * @command: (nullable): a command line the user types to fix it; dropped
 *   on a pass
 *
 * As ub_check_new(), with the command the advice refers to.
 */
UbCheck *
ub_check_new_with_command(const gchar *id,
			  UbCheckStatus status,
			  const gchar *title,
			  const gchar *advice,
			  const gchar *card_id,
			  const gchar *command)
{
	g_return_val_if_fail(id != NULL, NULL);
	g_return_val_if_fail(title != NULL, NULL);

	if (status == UB_CHECK_STATUS_PASS) {
		advice = NULL;
		card_id = NULL;
		command = NULL;
	}
	return g_object_new(UB_TYPE_CHECK,
			    "id",
			    id,
			    "status",
			    status,
			    "title",
			    title,
			    "advice",
			    advice,
			    "card-id",
			    card_id,
			    "command",
			    command,
			    NULL);
}

static void
ub_check_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	UbCheck *self = UB_CHECK(object);

	switch (prop_id) {
	case PROP_ID:
		g_value_set_string(value, self->id);
		break;
	case PROP_STATUS:
		g_value_set_enum(value, self->status);
		break;
	case PROP_TITLE:
		g_value_set_string(value, self->title);
		break;
	case PROP_ADVICE:
		g_value_set_string(value, self->advice);
		break;
	case PROP_CARD_ID:
		g_value_set_string(value, self->card_id);
		break;
	case PROP_COMMAND:
		g_value_set_string(value, self->command);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
ub_check_set_property(GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
	UbCheck *self = UB_CHECK(object);

	/* construct-only: a check is a finished result */
	switch (prop_id) {
	case PROP_ID:
		self->id = g_value_dup_string(value);
		break;
	case PROP_STATUS:
		self->status = g_value_get_enum(value);
		break;
	case PROP_TITLE:
		self->title = g_value_dup_string(value);
		break;
	case PROP_ADVICE:
		self->advice = g_value_dup_string(value);
		break;
	case PROP_CARD_ID:
		self->card_id = g_value_dup_string(value);
		break;
	case PROP_COMMAND:
		self->command = g_value_dup_string(value);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
ub_check_finalize(GObject *object)
{
	UbCheck *self = UB_CHECK(object);

	g_free(self->id);
	g_free(self->title);
	g_free(self->advice);
	g_free(self->card_id);
	g_free(self->command);

	G_OBJECT_CLASS(ub_check_parent_class)->finalize(object);
}

static void
ub_check_class_init(UbCheckClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS |
			    G_PARAM_EXPLICIT_NOTIFY;

	object_class->get_property = ub_check_get_property;
	object_class->set_property = ub_check_set_property;
	object_class->finalize = ub_check_finalize;

	properties[PROP_ID] = g_param_spec_string("id", NULL, NULL, NULL, flags);
	properties[PROP_STATUS] = g_param_spec_enum(
	    "status", NULL, NULL, UB_TYPE_CHECK_STATUS, UB_CHECK_STATUS_UNKNOWN, flags);
	properties[PROP_TITLE] = g_param_spec_string("title", NULL, NULL, NULL, flags);
	properties[PROP_ADVICE] = g_param_spec_string("advice", NULL, NULL, NULL, flags);
	properties[PROP_CARD_ID] = g_param_spec_string("card-id", NULL, NULL, NULL, flags);
	properties[PROP_COMMAND] = g_param_spec_string("command", NULL, NULL, NULL, flags);

	g_object_class_install_properties(object_class, N_PROPS, properties);
}

static void
ub_check_init(UbCheck *self)
{
}
