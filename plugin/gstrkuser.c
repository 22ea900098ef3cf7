/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-ringkernel
 * @title: ringkernel
 *
 * Runs a ring kernel a user wrote, loaded from `kernel-file` when the
 * element goes from NULL to READY: a CPU shared object (.so), Vulkan SPIR-V
 * (.spv) or a CUDA source (.cu), following the ABI of rkuser.h. The file's
 * kind decides the backend. A bad file, a wrong ABI version, a missing entry
 * point or a compile error fails the state change with the reason; nothing
 * is ever loaded from a path that was not given.
 *
 * With `application/x-ringkernel` caps each buffer is one message as bytes
 * (a 64-byte envelope, then its payload), so applications can speak the
 * message protocol (requests, replies, correlation ids) through
 * appsrc/appsink. With any other caps the buffer's bytes are the payload,
 * and the outputs have the caps in `output-caps` (by default the input's).
 *
 * `params` hands up to ten floats to the kernel (`param0` .. `param9`,
 * read as params->param[i]); it may change while playing.
 *
 * ## Example launch lines
 * |[
 * gst-launch-1.0 fakesrc num-buffers=5 sizetype=fixed sizemax=8 ! ringkernel kernel-file=./counter.so ! fakesink dump=true
 * gst-launch-1.0 videotestsrc ! video/x-raw,format=RGBA ! ringkernel kernel-file=./vignette.so params="params, param0=(double)0.9" ! videoconvert ! autovideosink
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrkuser.h"

GST_DEBUG_CATEGORY_STATIC (gst_rk_user_debug);
#define GST_CAT_DEFAULT gst_rk_user_debug

#define DEFAULT_KERNEL_ENTRY "rk_kernel"

enum
{
  PROP_0,
  PROP_KERNEL_FILE,
  PROP_KERNEL_ENTRY,
  PROP_STATE_SIZE,
  PROP_PARAMS,
  PROP_OUTPUT_CAPS,
};

struct _GstRkUser
{
  GstRkElement parent;

  /* properties, under the object lock */
  gchar *kernel_file;
  gchar *kernel_entry;
  guint state_size;
  GstStructure *user_params;
  GstCaps *output_caps;
};

G_DEFINE_TYPE_WITH_CODE (GstRkUser, gst_rk_user, GST_TYPE_RK_ELEMENT,
    GST_DEBUG_CATEGORY_INIT (gst_rk_user_debug, "ringkernel-user", 0,
        "user ring kernels"));

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

/* Loads the kernel file and makes it this element's kernel. */
static gboolean
gst_rk_user_prepare (GstRkElement * element, GError ** error)
{
  GstRkUser *self = GST_RK_USER (element);
  const GstRkKernelInfo *info;
  GstRkBackendKind kind;
  gchar *file, *entry;
  GstCaps *output_caps;
  guint state_size;

  GST_OBJECT_LOCK (self);
  file = g_strdup (self->kernel_file);
  entry = g_strdup (self->kernel_entry);
  state_size = self->state_size;
  output_caps = self->output_caps ? gst_caps_ref (self->output_caps) : NULL;
  GST_OBJECT_UNLOCK (self);

  info = gst_rk_user_kernel_load (file, entry, state_size, output_caps, &kind,
      error);
  g_free (file);
  g_free (entry);
  gst_clear_caps (&output_caps);
  if (info == NULL)
    return FALSE;

  GST_OBJECT_LOCK (self);
  /* The file's kind decides where it runs. */
  if (element->backend != GST_RK_BACKEND_AUTO && element->backend != kind) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "%s runs on the %s backend, not on %s", info->long_name,
        gst_rk_backend_kind_get_display_name (kind),
        gst_rk_backend_kind_get_display_name (element->backend));
    GST_OBJECT_UNLOCK (self);
    return FALSE;
  }
  element->backend = kind;
  element->info = info;
  gst_structure_free (element->params);
  element->params = self->user_params ? gst_structure_copy (self->user_params)
      : gst_structure_new_empty ("params");
  gst_structure_set_name (element->params, "params");
  GST_OBJECT_UNLOCK (self);
  GST_INFO_OBJECT (self, "loaded %s as kernel %s", info->long_name,
      info->name);
  return TRUE;
}

static void
apply_params (GstRkUser * self)
{
  GstRkKernel *kernel;
  GstStructure *params;
  GError *err = NULL;

  GST_OBJECT_LOCK (self);
  kernel = self->parent.kernel ? gst_object_ref (self->parent.kernel) : NULL;
  params = self->user_params ? gst_structure_copy (self->user_params) : NULL;
  GST_OBJECT_UNLOCK (self);
  if (kernel && params && !gst_rk_kernel_set_params (kernel, params, &err)) {
    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS, ("Ignoring params: %s",
            err->message), (NULL));
    g_error_free (err);
  }
  if (params)
    gst_structure_free (params);
  gst_clear_object (&kernel);
}

static void
gst_rk_user_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstRkUser *self = GST_RK_USER (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_KERNEL_FILE:
      g_free (self->kernel_file);
      self->kernel_file = g_value_dup_string (value);
      break;
    case PROP_KERNEL_ENTRY:
      g_free (self->kernel_entry);
      self->kernel_entry = g_value_dup_string (value);
      break;
    case PROP_STATE_SIZE:
      self->state_size = g_value_get_uint (value);
      break;
    case PROP_PARAMS:
      g_clear_pointer (&self->user_params, gst_structure_free);
      self->user_params = g_value_dup_boxed (value);
      GST_OBJECT_UNLOCK (self);
      apply_params (self);
      return;
    case PROP_OUTPUT_CAPS:
      gst_caps_replace (&self->output_caps, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_rk_user_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  GstRkUser *self = GST_RK_USER (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_KERNEL_FILE:
      g_value_set_string (value, self->kernel_file);
      break;
    case PROP_KERNEL_ENTRY:
      g_value_set_string (value, self->kernel_entry);
      break;
    case PROP_STATE_SIZE:
      g_value_set_uint (value, self->state_size);
      break;
    case PROP_PARAMS:
      g_value_set_boxed (value, self->user_params);
      break;
    case PROP_OUTPUT_CAPS:
      g_value_set_boxed (value, self->output_caps);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_rk_user_finalize (GObject * object)
{
  GstRkUser *self = GST_RK_USER (object);

  g_free (self->kernel_file);
  g_free (self->kernel_entry);
  g_clear_pointer (&self->user_params, gst_structure_free);
  gst_clear_caps (&self->output_caps);
  G_OBJECT_CLASS (gst_rk_user_parent_class)->finalize (object);
}

static void
gst_rk_user_init (GstRkUser * self)
{
  self->kernel_entry = g_strdup (DEFAULT_KERNEL_ENTRY);
}

static void
gst_rk_user_class_init (GstRkUserClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  const GParamFlags ready = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_READY;

  gobject_class->set_property = gst_rk_user_set_property;
  gobject_class->get_property = gst_rk_user_get_property;
  gobject_class->finalize = gst_rk_user_finalize;
  GST_RK_ELEMENT_CLASS (klass)->prepare = gst_rk_user_prepare;

  g_object_class_install_property (gobject_class, PROP_KERNEL_FILE,
      g_param_spec_string ("kernel-file", "Kernel file",
          "The user kernel to load at NULL to READY: a CPU shared object "
          "(.so), Vulkan SPIR-V (.spv) or a CUDA source (.cu); a path, "
          "never searched for", NULL, ready));
  g_object_class_install_property (gobject_class, PROP_KERNEL_ENTRY,
      g_param_spec_string ("kernel-entry", "Kernel entry",
          "Name of the kernel's entry point in the file",
          DEFAULT_KERNEL_ENTRY, ready));
  g_object_class_install_property (gobject_class, PROP_STATE_SIZE,
      g_param_spec_uint ("state-size", "State size",
          "Bytes of device state kept across messages (0 = what the kernel "
          "says)", 0, 256 * 1024 * 1024, 0, ready));
  g_object_class_install_property (gobject_class, PROP_PARAMS,
      g_param_spec_boxed ("params", "Parameters",
          "Floats for the kernel: param0 .. param9 (doubles), read as "
          "params->param[i]", GST_TYPE_STRUCTURE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_OUTPUT_CAPS,
      g_param_spec_boxed ("output-caps", "Output caps",
          "Caps of the outputs when the input is not "
          "application/x-ringkernel (default: the input's)", GST_TYPE_CAPS,
          ready));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "Ring kernel (user-defined)", "Generic",
      "Runs a ring kernel loaded from a file: CPU shared object, Vulkan "
      "SPIR-V or CUDA source", "gst-ringkernel developers");
  gst_rk_element_class_install_reset (GST_RK_ELEMENT_CLASS (klass));
}
