/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-button-drawing"

#include "config.h"

#include <glib/gi18n.h>

#include "ub-button-drawing.h"
#include "ub-device-enums.h"
#include "ub-guidance-enums.h"

/* legible at arm's length while the user's hands are on the device */
#define MIN_HEIGHT 160
#define NATURAL_HEIGHT 240
/* room outside the body for a pressed button sticking out */
#define TAB_ROOM 9.f
/* between a button and its name */
#define LABEL_GAP 6.f
#define MARGIN 2.f

typedef enum {
	EDGE_LEFT,
	EDGE_RIGHT,
	EDGE_TOP,
} Edge;

typedef struct {
	UbButton button; /* UB_BUTTON_NONE: the ring switch, never pressed */
	Edge edge;
	/* along the edge, as fractions of its length from the top or left */
	gfloat from;
	gfloat to;
} Spot;

/* the front of one kind of device, proportions taken from the real ones */
typedef struct {
	gfloat aspect;	     /* body width / height */
	gfloat corner;	     /* body corner radius / width */
	gfloat bezel_side;   /* / width */
	gfloat bezel_top;    /* / height */
	gfloat bezel_bottom; /* / height */
	gboolean concentric; /* screen corners follow the body's */
	gfloat home;	     /* Home button diameter / height; 0: none */
	gboolean island;     /* a pill at the top of the screen: Face ID */
	gboolean speaker;    /* an earpiece slot above the screen */
	gboolean camera;     /* a camera dot above the screen */
	guint n_spots;
	Spot spots[4];
} Shape;

/* Face ID iPhones */
static const Shape shape_a = {
    .aspect = 0.48f,
    .corner = 0.17f,
    .bezel_side = 0.045f,
    .bezel_top = 0.022f,
    .bezel_bottom = 0.022f,
    .concentric = TRUE,
    .island = TRUE,
    .n_spots = 4,
    .spots =
	{
	    {UB_BUTTON_SIDE, EDGE_RIGHT, 0.20f, 0.31f},
	    {UB_BUTTON_NONE, EDGE_LEFT, 0.14f, 0.175f},
	    {UB_BUTTON_VOLUME_UP, EDGE_LEFT, 0.22f, 0.29f},
	    {UB_BUTTON_VOLUME_DOWN, EDGE_LEFT, 0.325f, 0.395f},
	},
};

/* Home-button iPhones with the power button on the side: 6, 6s, 7, 8 and
 * SE 2/3 (whose Home button plays no part in their sequence, but is there) */
static const Shape shape_home_iphone = {
    .aspect = 0.49f,
    .corner = 0.15f,
    .bezel_side = 0.06f,
    .bezel_top = 0.13f,
    .bezel_bottom = 0.13f,
    .home = 0.08f,
    .speaker = TRUE,
    .n_spots = 4,
    .spots =
	{
	    {UB_BUTTON_SIDE, EDGE_RIGHT, 0.17f, 0.25f},
	    {UB_BUTTON_NONE, EDGE_LEFT, 0.11f, 0.145f},
	    {UB_BUTTON_VOLUME_UP, EDGE_LEFT, 0.19f, 0.26f},
	    {UB_BUTTON_VOLUME_DOWN, EDGE_LEFT, 0.295f, 0.365f},
	},
};

/* iPhone SE (1st gen), 5s and earlier: the power button on the top edge
 * near the right corner, round volume buttons on the left */
static const Shape shape_home_iphone_top = {
    .aspect = 0.47f,
    .corner = 0.13f,
    .bezel_side = 0.07f,
    .bezel_top = 0.145f,
    .bezel_bottom = 0.145f,
    .home = 0.088f,
    .speaker = TRUE,
    .n_spots = 4,
    .spots =
	{
	    {UB_BUTTON_SIDE, EDGE_TOP, 0.64f, 0.83f},
	    {UB_BUTTON_NONE, EDGE_LEFT, 0.12f, 0.155f},
	    {UB_BUTTON_VOLUME_UP, EDGE_LEFT, 0.21f, 0.255f},
	    {UB_BUTTON_VOLUME_DOWN, EDGE_LEFT, 0.29f, 0.335f},
	},
};

/* iPads without Home: the top button near the right corner, the volume
 * buttons high on the right edge, Volume Up nearest the top button */
static const Shape shape_d = {
    .aspect = 0.72f,
    .corner = 0.08f,
    .bezel_side = 0.05f,
    .bezel_top = 0.036f,
    .bezel_bottom = 0.036f,
    .concentric = TRUE,
    .camera = TRUE,
    .n_spots = 3,
    .spots =
	{
	    {UB_BUTTON_SIDE, EDGE_TOP, 0.74f, 0.88f},
	    {UB_BUTTON_VOLUME_UP, EDGE_RIGHT, 0.08f, 0.16f},
	    {UB_BUTTON_VOLUME_DOWN, EDGE_RIGHT, 0.185f, 0.265f},
	},
};

/* iPad mini (6th gen and later) and iPad (10th gen and later): the volume
 * buttons on the top edge too, left of the top button; "Volume Up" stands
 * for the one nearest it, as Apple names them */
static const Shape shape_d_top_volume = {
    .aspect = 0.69f,
    .corner = 0.09f,
    .bezel_side = 0.055f,
    .bezel_top = 0.038f,
    .bezel_bottom = 0.038f,
    .concentric = TRUE,
    .camera = TRUE,
    .n_spots = 3,
    .spots =
	{
	    {UB_BUTTON_SIDE, EDGE_TOP, 0.74f, 0.88f},
	    {UB_BUTTON_VOLUME_UP, EDGE_TOP, 0.53f, 0.64f},
	    {UB_BUTTON_VOLUME_DOWN, EDGE_TOP, 0.38f, 0.49f},
	},
};

/* iPads with Home: the top button near the right corner, the volume
 * buttons high on the right edge */
static const Shape shape_e = {
    .aspect = 0.70f,
    .corner = 0.065f,
    .bezel_side = 0.075f,
    .bezel_top = 0.085f,
    .bezel_bottom = 0.085f,
    .home = 0.065f,
    .camera = TRUE,
    .n_spots = 3,
    .spots =
	{
	    {UB_BUTTON_SIDE, EDGE_TOP, 0.76f, 0.88f},
	    {UB_BUTTON_VOLUME_UP, EDGE_RIGHT, 0.10f, 0.17f},
	    {UB_BUTTON_VOLUME_DOWN, EDGE_RIGHT, 0.195f, 0.265f},
	},
};

/* where everything goes in a given allocation */
typedef struct {
	const Shape *shape;
	gfloat pad_top;
	gfloat pad_bottom;
	gfloat pad_side;
	gint line_height;
	graphene_rect_t body;
} Frame;

struct _UbButtonDrawing {
	GtkWidget parent_instance;

	UbButtonScheme scheme;
	UbButtonLayout layout;
	gchar *name; /* for a screen reader, NULL: "iPhone" or "iPad" */
	UbButton pressed;
};

G_DEFINE_FINAL_TYPE(UbButtonDrawing, ub_button_drawing, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_SCHEME, PROP_PRESSED, N_PROPS };

static GParamSpec *properties[N_PROPS];

static gboolean
is_ipad(UbButtonDrawing *self)
{
	return ub_guide_plan_scheme_is_ipad(self->scheme);
}

static const Shape *
shape_for_device(UbButtonDrawing *self)
{
	const UbButtonLayout *layout = &self->layout;

	if (is_ipad(self)) {
		if (layout->home_button)
			return &shape_e;
		return layout->volume_on_top ? &shape_d_top_volume : &shape_d;
	}
	if (!layout->home_button)
		return &shape_a;
	return layout->power_on_top ? &shape_home_iphone_top : &shape_home_iphone;
}

/* the name beside a pressed button in the picture, short */
static const gchar *
button_name(UbButtonDrawing *self, UbButton button)
{
	switch (button) {
	case UB_BUTTON_SIDE:
		if (is_ipad(self))
			/* TRANSLATORS: the iPad's top button, as named beside its drawing */
			return C_("button", "Top");
		if (self->layout.power_on_top)
			/* TRANSLATORS: the sleep/wake button of an iPhone SE (1st gen)
			 * or 5s, on the top edge, which the steps call Side */
			return C_("button", "Side or Top");
		return C_("button", "Side");
	case UB_BUTTON_VOLUME_UP:
	case UB_BUTTON_VOLUME_DOWN:
		/* TRANSLATORS: an iPad's volume buttons swap roles as it turns,
		 * so the drawing only says which one is lit */
		if (is_ipad(self))
			return C_("button", "Volume");
		return button == UB_BUTTON_VOLUME_UP ? C_("button", "Volume Up")
						     : C_("button", "Volume Down");
	case UB_BUTTON_HOME:
		return C_("button", "Home");
	case UB_BUTTON_NONE:
	default:
		return NULL;
	}
}

/* the buttons this drawing has, for @pressed to light up */
static UbButton
drawn_buttons(UbButtonDrawing *self)
{
	const Shape *shape = shape_for_device(self);
	UbButton buttons = shape->home > 0 ? UB_BUTTON_HOME : UB_BUTTON_NONE;

	for (guint i = 0; i < shape->n_spots; i++)
		buttons |= shape->spots[i].button;
	return buttons;
}

static PangoLayout *
create_label_layout(UbButtonDrawing *self, const gchar *text)
{
	PangoLayout *layout = gtk_widget_create_pango_layout(GTK_WIDGET(self), text);
	g_autoptr(PangoAttrList) attrs = pango_attr_list_new();

	pango_attr_list_insert(attrs, pango_attr_weight_new(PANGO_WEIGHT_BOLD));
	pango_layout_set_attributes(layout, attrs);
	return layout;
}

static void
label_size(UbButtonDrawing *self, const gchar *text, gint *width, gint *height)
{
	g_autoptr(PangoLayout) layout = create_label_layout(self, text);
	PangoRectangle logical;

	pango_layout_get_pixel_extents(layout, NULL, &logical);
	if (width != NULL)
		*width = logical.width;
	if (height != NULL)
		*height = logical.height;
}

/* room for the names is kept whether or not a button is pressed, so the
 * device does not jump about from one step to the next */
static void
frame_pads(UbButtonDrawing *self, Frame *frame)
{
	const Shape *shape = shape_for_device(self);
	gint line_height = 0;
	gint side_width = 0;
	guint top_labels = 0;

	label_size(self, "Hg", NULL, &line_height);
	for (guint i = 0; i < shape->n_spots; i++) {
		const gchar *name = button_name(self, shape->spots[i].button);
		gint width = 0;

		if (name == NULL)
			continue;
		if (shape->spots[i].edge == EDGE_TOP) {
			top_labels++;
			continue;
		}
		label_size(self, name, &width, NULL);
		side_width = MAX(side_width, width);
	}

	frame->shape = shape;
	frame->line_height = line_height;
	/* two buttons on the top edge held together (Top and a volume button)
	 * have their names one above the other, which can never overlap */
	frame->pad_top =
	    top_labels > 0 ? TAB_ROOM + LABEL_GAP + MIN(top_labels, 2) * line_height : MARGIN;
	frame->pad_bottom = shape->home > 0 ? LABEL_GAP + line_height : MARGIN;
	frame->pad_side = TAB_ROOM + LABEL_GAP + side_width + MARGIN;
}

static gint
width_for_height(UbButtonDrawing *self, gint height)
{
	Frame frame;
	gfloat body_height;

	frame_pads(self, &frame);
	body_height = MAX(0.f, height - frame.pad_top - frame.pad_bottom);
	/* rounded up; 0.999 rather than ceilf(), which would need libm */
	return (gint)(body_height * frame.shape->aspect + 2 * frame.pad_side + 0.999f);
}

static void
frame_layout(UbButtonDrawing *self, gint width, gint height, Frame *frame)
{
	gfloat body_height;
	gfloat body_width;

	frame_pads(self, frame);
	body_height = height - frame->pad_top - frame->pad_bottom;
	body_height = MIN(body_height, (width - 2 * frame->pad_side) / frame->shape->aspect);
	body_height = MAX(body_height, 0.f);
	body_width = body_height * frame->shape->aspect;
	graphene_rect_init(&frame->body,
			   (width - body_width) / 2,
			   frame->pad_top +
			       (height - frame->pad_top - frame->pad_bottom - body_height) / 2,
			   body_width,
			   body_height);
}

static GdkRGBA
with_alpha(const GdkRGBA *color, gfloat alpha)
{
	GdkRGBA result = *color;

	result.alpha *= alpha;
	return result;
}

static void
init_rounded(GskRoundedRect *outline, const graphene_rect_t *rect, gfloat radius)
{
	radius = MIN(radius, MIN(rect->size.width, rect->size.height) / 2);
	gsk_rounded_rect_init_from_rect(outline, rect, MAX(radius, 0.f));
}

static void
fill_rounded(GtkSnapshot *snapshot,
	     const graphene_rect_t *rect,
	     gfloat radius,
	     const GdkRGBA *color)
{
	GskRoundedRect outline;

	init_rounded(&outline, rect, radius);
	gtk_snapshot_push_rounded_clip(snapshot, &outline);
	gtk_snapshot_append_color(snapshot, color, rect);
	gtk_snapshot_pop(snapshot);
}

static void
stroke_rounded(GtkSnapshot *snapshot,
	       const graphene_rect_t *rect,
	       gfloat radius,
	       gfloat line_width,
	       const GdkRGBA *color)
{
	GskRoundedRect outline;
	const gfloat widths[4] = {line_width, line_width, line_width, line_width};
	const GdkRGBA colors[4] = {*color, *color, *color, *color};

	init_rounded(&outline, rect, radius);
	gtk_snapshot_append_border(snapshot, &outline, widths, colors);
}

static void
append_label(UbButtonDrawing *self,
	     GtkSnapshot *snapshot,
	     const gchar *text,
	     gfloat x,
	     gfloat y,
	     gfloat x_align, /* 0 left, 0.5 centre, 1 right of @x */
	     gfloat y_align,
	     const GdkRGBA *color)
{
	g_autoptr(PangoLayout) layout = create_label_layout(self, text);
	gint widget_width = gtk_widget_get_width(GTK_WIDGET(self));
	PangoRectangle logical;
	gfloat left;

	pango_layout_get_pixel_extents(layout, NULL, &logical);
	left = x - logical.width * x_align;
	/* a top label near the corner must not run off the widget */
	left = CLAMP(left, 0.f, MAX(0.f, (gfloat)(widget_width - logical.width)));
	gtk_snapshot_save(snapshot);
	gtk_snapshot_translate(
	    snapshot,
	    &GRAPHENE_POINT_INIT((gint)(left - logical.x + 0.5f),
				 (gint)(y - logical.height * y_align - logical.y + 0.5f)));
	gtk_snapshot_append_layout(snapshot, layout, color);
	gtk_snapshot_restore(snapshot);
}

static void
lookup_accent(GtkStyleContext *context, const gchar *name, GdkRGBA *color)
{
	/* libadwaita defines both; the fallback is its default blue */
	if (!gtk_style_context_lookup_color(context, name, color))
		gdk_rgba_parse(color, "#3584e4");
}

static void
ub_button_drawing_snapshot(GtkWidget *widget, GtkSnapshot *snapshot)
{
	UbButtonDrawing *self = UB_BUTTON_DRAWING(widget);
	GtkStyleContext *context = gtk_widget_get_style_context(widget);
	const graphene_rect_t *body;
	const Shape *shape;
	Frame frame;
	GdkRGBA fg;
	GdkRGBA accent_bg;
	GdkRGBA accent_fg;
	GdkRGBA color;
	graphene_rect_t screen;
	gfloat body_radius;
	gfloat line_width;
	gfloat tab;
	gfloat side_px;

	frame_layout(self, gtk_widget_get_width(widget), gtk_widget_get_height(widget), &frame);
	body = &frame.body;
	shape = frame.shape;
	if (body->size.height < 20)
		return;

	gtk_style_context_get_color(context, &fg);
	lookup_accent(context, "accent_bg_color", &accent_bg);
	lookup_accent(context, "accent_color", &accent_fg);

	line_width = CLAMP(body->size.height * 0.009f, 1.5f, 3.f);
	tab = CLAMP(body->size.height * 0.02f, 3.f, TAB_ROOM / 1.8f);
	body_radius = shape->corner * body->size.width;
	side_px = shape->bezel_side * body->size.width;

	/* the buttons first, so the body's edge runs over their inner ends */
	for (guint i = 0; i < shape->n_spots; i++) {
		const Spot *spot = &shape->spots[i];
		gboolean pressed =
		    spot->button != UB_BUTTON_NONE && (self->pressed & spot->button) != 0;
		gfloat depth = pressed ? tab * 1.8f : tab;
		gfloat overlap = line_width;
		graphene_rect_t rect;

		switch (spot->edge) {
		case EDGE_LEFT:
			graphene_rect_init(&rect,
					   body->origin.x - depth,
					   body->origin.y + spot->from * body->size.height,
					   depth + overlap,
					   (spot->to - spot->from) * body->size.height);
			break;
		case EDGE_RIGHT:
			graphene_rect_init(&rect,
					   body->origin.x + body->size.width - overlap,
					   body->origin.y + spot->from * body->size.height,
					   depth + overlap,
					   (spot->to - spot->from) * body->size.height);
			break;
		case EDGE_TOP:
		default:
			graphene_rect_init(&rect,
					   body->origin.x + spot->from * body->size.width,
					   body->origin.y - depth,
					   (spot->to - spot->from) * body->size.width,
					   depth + overlap);
			break;
		}
		if (pressed)
			color = accent_bg;
		else if (spot->button == UB_BUTTON_NONE)
			color = with_alpha(&fg, 0.3f);
		else
			color = with_alpha(&fg, 0.55f);
		fill_rounded(snapshot, &rect, tab * 0.7f, &color);
	}

	/* the body and its screen */
	color = with_alpha(&fg, 0.04f);
	fill_rounded(snapshot, body, body_radius, &color);
	graphene_rect_init(&screen,
			   body->origin.x + side_px,
			   body->origin.y + shape->bezel_top * body->size.height,
			   body->size.width - 2 * side_px,
			   body->size.height * (1.f - shape->bezel_top - shape->bezel_bottom));
	color = with_alpha(&fg, 0.10f);
	fill_rounded(
	    snapshot, &screen, shape->concentric ? MAX(2.f, body_radius - side_px) : 2.f, &color);
	color = with_alpha(&fg, 0.8f);
	stroke_rounded(snapshot, body, body_radius, line_width, &color);

	/* what makes it recognisably the front: island, earpiece, camera */
	color = with_alpha(&fg, 0.45f);
	if (shape->island) {
		graphene_rect_t island;
		gfloat width = screen.size.width * 0.30f;
		gfloat height = MAX(3.f, screen.size.width * 0.085f);

		graphene_rect_init(&island,
				   screen.origin.x + (screen.size.width - width) / 2,
				   screen.origin.y + screen.size.height * 0.018f,
				   width,
				   height);
		fill_rounded(snapshot, &island, height / 2, &color);
	}
	if (shape->speaker) {
		graphene_rect_t slot;
		gfloat width = body->size.width * 0.18f;
		gfloat height = MAX(2.f, body->size.height * 0.012f);

		graphene_rect_init(&slot,
				   body->origin.x + (body->size.width - width) / 2,
				   body->origin.y +
				       (shape->bezel_top * body->size.height - height) / 2,
				   width,
				   height);
		fill_rounded(snapshot, &slot, height / 2, &color);
	}
	if (shape->camera) {
		graphene_rect_t dot;
		gfloat size = CLAMP(shape->bezel_top * body->size.height * 0.4f, 2.5f, 5.f);

		graphene_rect_init(&dot,
				   body->origin.x + (body->size.width - size) / 2,
				   body->origin.y +
				       (shape->bezel_top * body->size.height - size) / 2,
				   size,
				   size);
		fill_rounded(snapshot, &dot, size / 2, &color);
	}

	if (shape->home > 0) {
		graphene_rect_t home;
		gfloat size = shape->home * body->size.height;

		graphene_rect_init(&home,
				   body->origin.x + (body->size.width - size) / 2,
				   body->origin.y + body->size.height -
				       (shape->bezel_bottom * body->size.height + size) / 2,
				   size,
				   size);
		if (self->pressed & UB_BUTTON_HOME) {
			fill_rounded(snapshot, &home, size / 2, &accent_bg);
		} else {
			color = with_alpha(&fg, 0.6f);
			stroke_rounded(snapshot, &home, size / 2, line_width, &color);
		}
	}

	/* the names of the pressed buttons, just outside them */
	for (guint i = 0, top_row = 0; i < shape->n_spots; i++) {
		const Spot *spot = &shape->spots[i];
		const gchar *name = button_name(self, spot->button);
		gfloat middle;

		if (name == NULL || (self->pressed & spot->button) == 0)
			continue;
		switch (spot->edge) {
		case EDGE_LEFT:
			middle = body->origin.y + (spot->from + spot->to) / 2 * body->size.height;
			append_label(self,
				     snapshot,
				     name,
				     body->origin.x - TAB_ROOM - LABEL_GAP,
				     middle,
				     1.f,
				     0.5f,
				     &accent_fg);
			break;
		case EDGE_RIGHT:
			middle = body->origin.y + (spot->from + spot->to) / 2 * body->size.height;
			append_label(self,
				     snapshot,
				     name,
				     body->origin.x + body->size.width + TAB_ROOM + LABEL_GAP,
				     middle,
				     0.f,
				     0.5f,
				     &accent_fg);
			break;
		case EDGE_TOP:
		default:
			middle = body->origin.x + (spot->from + spot->to) / 2 * body->size.width;
			append_label(self,
				     snapshot,
				     name,
				     middle,
				     body->origin.y - TAB_ROOM - LABEL_GAP -
					 (gfloat)top_row * frame.line_height,
				     0.5f,
				     1.f,
				     &accent_fg);
			top_row++;
			break;
		}
	}
	if (shape->home > 0 && (self->pressed & UB_BUTTON_HOME) != 0) {
		append_label(self,
			     snapshot,
			     button_name(self, UB_BUTTON_HOME),
			     body->origin.x + body->size.width / 2,
			     body->origin.y + body->size.height + LABEL_GAP,
			     0.5f,
			     0.f,
			     &accent_fg);
	}
}

static GtkSizeRequestMode
ub_button_drawing_get_request_mode(GtkWidget *widget)
{
	return GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
ub_button_drawing_measure(GtkWidget *widget,
			  GtkOrientation orientation,
			  int for_size,
			  int *minimum,
			  int *natural,
			  int *minimum_baseline,
			  int *natural_baseline)
{
	UbButtonDrawing *self = UB_BUTTON_DRAWING(widget);

	if (orientation == GTK_ORIENTATION_VERTICAL) {
		*minimum = MIN_HEIGHT;
		*natural = NATURAL_HEIGHT;
	} else {
		*minimum = width_for_height(self, MIN_HEIGHT);
		*natural = width_for_height(self, NATURAL_HEIGHT);
	}
}

/* what the picture says, for a screen reader: "Press Side and Volume Down"
 * in the words of the steps, and which buttons the device has where */
static void
update_accessible(UbButtonDrawing *self)
{
	static const UbButton order[] = {
	    UB_BUTTON_SIDE,
	    UB_BUTTON_VOLUME_UP,
	    UB_BUTTON_VOLUME_DOWN,
	    UB_BUTTON_HOME,
	};
	UbButton shown = self->pressed & drawn_buttons(self);
	const gchar *names[G_N_ELEMENTS(order)] = {NULL};
	const gchar *power;
	const gchar *volume;
	const gchar *home;
	g_autofree gchar *label = NULL;
	g_autofree gchar *description = NULL;
	guint n = 0;

	for (guint i = 0; i < G_N_ELEMENTS(order); i++) {
		if (shown & order[i])
			names[n++] = ub_guide_plan_get_button_name(self->scheme, order[i]);
	}
	switch (n) {
	case 0:
		label = g_strdup(_("No buttons to press"));
		break;
	case 1:
		/* TRANSLATORS: %s is a button's name, "Side" */
		label = g_strdup_printf(_("Press %s"), names[0]);
		break;
	case 2:
		/* TRANSLATORS: button names, "Press Side and Volume Down" */
		label = g_strdup_printf(_("Press %s and %s"), names[0], names[1]);
		break;
	case 3:
		label = g_strdup_printf(_("Press %s, %s and %s"), names[0], names[1], names[2]);
		break;
	default:
		label = g_strdup_printf(
		    _("Press %s, %s, %s and %s"), names[0], names[1], names[2], names[3]);
		break;
	}

	if (is_ipad(self))
		power = _("Top button on the top edge");
	else if (self->layout.power_on_top)
		power = _("Side (or Top) button on the top edge");
	else
		power = _("Side button on the right edge");
	if (is_ipad(self))
		volume = self->layout.volume_on_top
			     ? _("volume buttons on the top edge, next to the top button")
			     : _("volume buttons on the right edge");
	else
		volume = _("volume buttons on the left edge");
	home = self->layout.home_button ? _("Home button below the screen") : _("no Home button");
	/* TRANSLATORS: "Buttons of the iPhone 8: Side button on the right
	 * edge, volume buttons on the left edge, Home button below the screen" */
	description = g_strdup_printf(_("Buttons of the %s: %s, %s, %s"),
				      self->name != NULL ? self->name
				      : is_ipad(self)	 ? _("iPad")
							 : _("iPhone"),
				      power,
				      volume,
				      home);
	gtk_accessible_update_property(GTK_ACCESSIBLE(self),
				       GTK_ACCESSIBLE_PROPERTY_LABEL,
				       label,
				       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
				       description,
				       -1);
}

UbButtonScheme
ub_button_drawing_get_scheme(UbButtonDrawing *self)
{
	g_return_val_if_fail(UB_IS_BUTTON_DRAWING(self), UB_BUTTON_SCHEME_UNKNOWN);

	return self->scheme;
}

void
ub_button_drawing_set_scheme(UbButtonDrawing *self, UbButtonScheme scheme)
{
	g_return_if_fail(UB_IS_BUTTON_DRAWING(self));

	ub_button_drawing_set_device(self, scheme, NULL, NULL);
}

/**
 * ub_button_drawing_set_device:
 * @self: a drawing
 * @scheme: the model's button scheme
 * @layout: (nullable): where its buttons are, see
 *   ub_guide_plan_get_button_layout(); NULL: from @scheme alone
 * @name: (nullable): the model's name for a screen reader
 *
 * The scheme says which buttons the steps press; it does not say whether
 * there is a Home button (iPhone 8 has one, iPhone X none, same scheme) or
 * where the power button is (top on an iPhone SE 1st gen, side on a 6s), so
 * the layout comes with it.
 */
void
ub_button_drawing_set_device(UbButtonDrawing *self,
			     UbButtonScheme scheme,
			     const UbButtonLayout *layout,
			     const gchar *name)
{
	UbButtonLayout from_scheme;
	gboolean scheme_changed;

	g_return_if_fail(UB_IS_BUTTON_DRAWING(self));

	if (layout == NULL) {
		from_scheme = ub_guide_plan_get_button_layout(scheme, NULL);
		layout = &from_scheme;
	}
	scheme_changed = self->scheme != scheme;
	self->scheme = scheme;
	self->layout = *layout;
	g_free(self->name);
	self->name = g_strdup(name);
	update_accessible(self);
	gtk_widget_queue_resize(GTK_WIDGET(self));
	if (scheme_changed)
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_SCHEME]);
}

UbButtonLayout
ub_button_drawing_get_layout(UbButtonDrawing *self)
{
	UbButtonLayout none = {FALSE, FALSE, FALSE};

	g_return_val_if_fail(UB_IS_BUTTON_DRAWING(self), none);

	return self->layout;
}

UbButton
ub_button_drawing_get_pressed(UbButtonDrawing *self)
{
	g_return_val_if_fail(UB_IS_BUTTON_DRAWING(self), UB_BUTTON_NONE);

	return self->pressed;
}

void
ub_button_drawing_set_pressed(UbButtonDrawing *self, UbButton pressed)
{
	g_return_if_fail(UB_IS_BUTTON_DRAWING(self));

	if (self->pressed == pressed)
		return;
	self->pressed = pressed;
	update_accessible(self);
	gtk_widget_queue_draw(GTK_WIDGET(self));
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_PRESSED]);
}

static void
ub_button_drawing_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	UbButtonDrawing *self = UB_BUTTON_DRAWING(object);

	switch (prop_id) {
	case PROP_SCHEME:
		g_value_set_enum(value, self->scheme);
		break;
	case PROP_PRESSED:
		g_value_set_flags(value, self->pressed);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
ub_button_drawing_set_property(GObject *object,
			       guint prop_id,
			       const GValue *value,
			       GParamSpec *pspec)
{
	UbButtonDrawing *self = UB_BUTTON_DRAWING(object);

	switch (prop_id) {
	case PROP_SCHEME:
		ub_button_drawing_set_scheme(self, g_value_get_enum(value));
		break;
	case PROP_PRESSED:
		ub_button_drawing_set_pressed(self, g_value_get_flags(value));
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
ub_button_drawing_finalize(GObject *object)
{
	UbButtonDrawing *self = UB_BUTTON_DRAWING(object);

	g_clear_pointer(&self->name, g_free);
	G_OBJECT_CLASS(ub_button_drawing_parent_class)->finalize(object);
}

static void
ub_button_drawing_class_init(UbButtonDrawingClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->finalize = ub_button_drawing_finalize;
	object_class->get_property = ub_button_drawing_get_property;
	object_class->set_property = ub_button_drawing_set_property;
	widget_class->snapshot = ub_button_drawing_snapshot;
	widget_class->measure = ub_button_drawing_measure;
	widget_class->get_request_mode = ub_button_drawing_get_request_mode;

	properties[PROP_SCHEME] =
	    g_param_spec_enum("scheme",
			      NULL,
			      NULL,
			      UB_TYPE_BUTTON_SCHEME,
			      UB_BUTTON_SCHEME_UNKNOWN,
			      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
	properties[PROP_PRESSED] = g_param_spec_flags("pressed",
						      NULL,
						      NULL,
						      UB_TYPE_BUTTON,
						      UB_BUTTON_NONE,
						      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
							  G_PARAM_EXPLICIT_NOTIFY);
	g_object_class_install_properties(object_class, N_PROPS, properties);

	gtk_widget_class_set_css_name(widget_class, "buttondrawing");
	gtk_widget_class_set_accessible_role(widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ub_button_drawing_init(UbButtonDrawing *self)
{
	self->layout = ub_guide_plan_get_button_layout(UB_BUTTON_SCHEME_UNKNOWN, NULL);
	update_accessible(self);
}

GtkWidget *
ub_button_drawing_new(void)
{
	return g_object_new(UB_TYPE_BUTTON_DRAWING, NULL);
}
