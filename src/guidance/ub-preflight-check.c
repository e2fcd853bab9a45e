/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-preflight-check"

#include "config.h"

#include "ub-enum-types.h"
#include "ub-preflight-private.h"

struct _UbPreflightCheck {
	GObject parent_instance;

	gchar *id;
	UbCheckStatus status;
	gchar *title;
	gchar *detail;
	gchar *card_id;
};

G_DEFINE_FINAL_TYPE(UbPreflightCheck, ub_preflight_check, G_TYPE_OBJECT)

enum { PROP_0, PROP_ID, PROP_STATUS, PROP_TITLE, PROP_DETAIL, PROP_CARD_ID, N_PROPS };
static GParamSpec *properties[N_PROPS];

const gchar *
ub_preflight_check_get_id(UbPreflightCheck *self)
{
	g_return_val_if_fail(UB_IS_PREFLIGHT_CHECK(self), NULL);
	return self->id;
}

UbCheckStatus
ub_preflight_check_get_status(UbPreflightCheck *self)
{
	g_return_val_if_fail(UB_IS_PREFLIGHT_CHECK(self), UB_CHECK_STATUS_UNKNOWN);
	return self->status;
}

const gchar *
ub_preflight_check_get_title(UbPreflightCheck *self)
{
	g_return_val_if_fail(UB_IS_PREFLIGHT_CHECK(self), NULL);
	return self->title;
}

const gchar *
ub_preflight_check_get_detail(UbPreflightCheck *self)
{
	g_return_val_if_fail(UB_IS_PREFLIGHT_CHECK(self), NULL);
	return self->detail;
}

const gchar *
ub_preflight_check_get_card_id(UbPreflightCheck *self)
{
	g_return_val_if_fail(UB_IS_PREFLIGHT_CHECK(self), NULL);
	return self->card_id;
}

/**
 * _ub_preflight_check_new:
 * @detail: (nullable): what to do; dropped on a pass
 * @card_id: (nullable): the card explaining it; dropped on a pass
 *
 * A pass carries neither detail nor card, whatever the caller hands in, so
 * the UI can trust that a detail means there is something to do.
 */
UbPreflightCheck *
_ub_preflight_check_new(const gchar *id,
			UbCheckStatus status,
			const gchar *title,
			const gchar *detail,
			const gchar *card_id)
{
	g_return_val_if_fail(id != NULL, NULL);
	g_return_val_if_fail(title != NULL, NULL);

	if (status == UB_CHECK_STATUS_PASS) {
		detail = NULL;
		card_id = NULL;
	}
	return g_object_new(UB_TYPE_PREFLIGHT_CHECK,
			    "id",
			    id,
			    "status",
			    status,
			    "title",
			    title,
			    "detail",
			    detail,
			    "card-id",
			    card_id,
			    NULL);
}

static void
ub_preflight_check_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	UbPreflightCheck *self = UB_PREFLIGHT_CHECK(object);

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
	case PROP_DETAIL:
		g_value_set_string(value, self->detail);
		break;
	case PROP_CARD_ID:
		g_value_set_string(value, self->card_id);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
ub_preflight_check_set_property(GObject *object,
				guint prop_id,
				const GValue *value,
				GParamSpec *pspec)
{
	UbPreflightCheck *self = UB_PREFLIGHT_CHECK(object);

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
	case PROP_DETAIL:
		self->detail = g_value_dup_string(value);
		break;
	case PROP_CARD_ID:
		self->card_id = g_value_dup_string(value);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
ub_preflight_check_finalize(GObject *object)
{
	UbPreflightCheck *self = UB_PREFLIGHT_CHECK(object);

	g_free(self->id);
	g_free(self->title);
	g_free(self->detail);
	g_free(self->card_id);

	G_OBJECT_CLASS(ub_preflight_check_parent_class)->finalize(object);
}

static void
ub_preflight_check_class_init(UbPreflightCheckClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS |
			    G_PARAM_EXPLICIT_NOTIFY;

	object_class->get_property = ub_preflight_check_get_property;
	object_class->set_property = ub_preflight_check_set_property;
	object_class->finalize = ub_preflight_check_finalize;

	properties[PROP_ID] = g_param_spec_string("id", NULL, NULL, NULL, flags);
	properties[PROP_STATUS] = g_param_spec_enum(
	    "status", NULL, NULL, UB_TYPE_CHECK_STATUS, UB_CHECK_STATUS_UNKNOWN, flags);
	properties[PROP_TITLE] = g_param_spec_string("title", NULL, NULL, NULL, flags);
	properties[PROP_DETAIL] = g_param_spec_string("detail", NULL, NULL, NULL, flags);
	properties[PROP_CARD_ID] = g_param_spec_string("card-id", NULL, NULL, NULL, flags);

	g_object_class_install_properties(object_class, N_PROPS, properties);
}

static void
ub_preflight_check_init(UbPreflightCheck *self)
{
}
