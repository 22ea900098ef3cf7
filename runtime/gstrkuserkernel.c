/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:gstrkuserkernel
 * @title: User kernels
 *
 * Kernels a user brings at run time (rkuser.h): a CPU shared object (.so),
 * Vulkan SPIR-V (.spv) or a CUDA source (.cu). Loading one checks the file,
 * asks the backend of its kind to make an implementation, and registers a
 * descriptor under a fresh name ("user1", ...) that is used through the C
 * API or the `ringkernel` element, never as an rk<name> element.
 *
 * Files are only ever loaded from the path given: a name without a
 * directory is refused rather than searched for. Loading the same unchanged
 * file with the same settings again returns the same kernel.
 */

#include <string.h>
#include <glib/gstdio.h>

#include "gstrkuserkernel.h"
#include "gstrkaudio.h"
#include "gstrkbackend.h"
#include "gstrkerror.h"
#include "gstrkframe.h"
#include "gstrkregistryprivate.h"
#include "gstrkruntime.h"
#include "gstrksync.h"

typedef struct
{
  GstRkKernelInfo info;         /* first: the hooks get this pointer */
  gchar *name;
  gchar *long_name;
  GstCaps *output_caps;
  gsize state_size;             /* the element's; 0 = the file's */
  GstRkBackendKind backend;
} UserKernel;

static const struct
{
  const gchar *suffix;
  GstRkBackendKind kind;
  const gchar *what;
} kinds[] = {
  {".so", GST_RK_BACKEND_CPU, "a CPU shared object"},
  {".spv", GST_RK_BACKEND_VULKAN, "Vulkan SPIR-V"},
  {".cu", GST_RK_BACKEND_CUDA, "a CUDA source"},
};

/* Ten float parameters, param0 .. param9, in the dispatch parameters'
 * slots: what the `params` structure of the element may set. */
static GstRkParamInfo user_params[RK_PARAMS_N_PARAM];
static gchar *user_param_names[RK_PARAMS_N_PARAM];

static GMutex lock;
static GHashTable *loaded;      /* cache key → UserKernel */
static guint n_loaded;

/* The backend a user kernel file belongs to, by its name
 * (GST_RK_BACKEND_AUTO when the kind is unknown). */
static GstRkBackendKind
user_kernel_kind_of (const gchar * path)
{
  for (guint i = 0; path && i < G_N_ELEMENTS (kinds); i++)
    if (g_str_has_suffix (path, kinds[i].suffix))
      return kinds[i].kind;
  return GST_RK_BACKEND_AUTO;
}

static const gchar *
what_of (GstRkBackendKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].kind == kind)
      return kinds[i].what;
  return "unknown";
}

/* Video and audio caps fill the layouts the kernel reads; anything else is
 * bytes. The outputs have the element's output caps, or the input's. */
static gboolean
user_configure (const GstRkKernelInfo * info, GstRkConfig * config,
    const GstStructure * params, GError ** error)
{
  const UserKernel *uk = (const UserKernel *) info;
  GstStructure *s = gst_caps_get_structure (config->sink_caps, 0);
  GstRkParams *p = &config->params;

  if (gst_structure_has_name (s, "video/x-raw") &&
      gst_rk_params_set_video_input (p, config->sink_caps, NULL))
    gst_rk_params_set_video_output (p, p->in_format);
  else if (gst_structure_has_name (s, "audio/x-raw"))
    gst_rk_params_set_audio (p, config->sink_caps, NULL);

  config->src_caps = gst_caps_ref (uk->output_caps ? uk->output_caps :
      config->sink_caps);
  return TRUE;
}

static GstStructure *
user_notify (const GstRkKernelInfo * info, const GstRkEnvelope * env,
    const guint8 * data, gsize size)
{
  GBytes *bytes = g_bytes_new (data, size);
  GstStructure *s = gst_structure_new ("ringkernel-notify",
      "kernel", G_TYPE_STRING, info->long_name,
      "message-id", G_TYPE_UINT64, env->message_id,
      "data", G_TYPE_BYTES, bytes, NULL);

  g_bytes_unref (bytes);
  return s;
}

static void
init_params (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    for (guint i = 0; i < RK_PARAMS_N_PARAM; i++) {
      user_param_names[i] = g_strdup_printf ("param%u", i);
      user_params[i] = (GstRkParamInfo) {
        user_param_names[i], user_param_names[i],
        "A float the kernel reads as params->param[i]", GST_RK_PARAM_DOUBLE,
        -G_MAXFLOAT, G_MAXFLOAT, 0.0, (gint) i,
        GST_RK_PARAM_FLAG_MUTABLE_PLAYING
      };
    }
    g_once_init_leave (&done, 1);
  }
}

/* The path as given must name a directory: a bare name would be searched
 * for (library paths, the working directory), which user kernels never
 * are. */
static gchar *
resolve_path (const gchar * path, GError ** error)
{
  if (path == NULL || *path == '\0') {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "no kernel file given");
    return NULL;
  }
  if (strchr (path, G_DIR_SEPARATOR) == NULL) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "kernel file \"%s\" has no directory: give a path such as ./%s "
        "(kernel files are never searched for)", path, path);
    return NULL;
  }
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "kernel file %s does not exist or is not a regular file", path);
    return NULL;
  }
  return g_canonicalize_filename (path, NULL);
}

/**
 * gst_rk_user_kernel_load:
 * @path: the kernel file: .so (CPU), .spv (Vulkan) or .cu (CUDA)
 * @entry: (nullable): the entry point's name; %NULL for "rk_kernel"
 * @state_size: bytes of device state, or 0 for what the kernel says
 * @output_caps: (nullable): caps of the outputs; %NULL for the input's
 * @backend: (out) (optional): the backend the kernel runs on
 *
 * Returns: (transfer none): the registered descriptor, or %NULL with @error
 * saying what is wrong with the file (for sources: the compiler log).
 */
const GstRkKernelInfo *
gst_rk_user_kernel_load (const gchar * path, const gchar * entry,
    gsize state_size, GstCaps * output_caps, GstRkBackendKind * backend,
    GError ** error)
{
  GstRkBackendKind kind = user_kernel_kind_of (path);
  const GstRkBackend *be;
  GStatBuf st;
  UserKernel *uk;
  gconstpointer impl;
  gchar *abs, *caps_str, *key, *reason = NULL;

  init_params ();
  if (entry == NULL || *entry == '\0')
    entry = "rk_kernel";
  abs = resolve_path (path, error);
  if (abs == NULL)
    return NULL;
  if (kind == GST_RK_BACKEND_AUTO) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "kernel file %s is of no known kind (.so: a CPU shared object, "
        ".spv: Vulkan SPIR-V, .cu: a CUDA source)", abs);
    g_free (abs);
    return NULL;
  }
  be = gst_rk_backend_get (kind);
  if (!gst_rk_runtime_is_backend_available (kind, &reason) || be == NULL ||
      be->load_user_kernel == NULL) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_BACKEND_UNAVAILABLE,
        "kernel file %s is %s, but %s", abs, what_of (kind), reason ? reason :
        "this backend does not load user kernels");
    g_free (reason);
    g_free (abs);
    return NULL;
  }

  /* Same unchanged file, same settings: the same kernel */
  g_stat (abs, &st);
  caps_str = output_caps ? gst_caps_to_string (output_caps) : g_strdup ("");
  key = g_strdup_printf ("%s|%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT "|%"
      G_GSIZE_FORMAT "|%s", abs, entry, (gint64) st.st_mtime,
      (gint64) st.st_size, state_size, caps_str);
  g_free (caps_str);
  gst_rk_mutex_lock (&lock);
  if (loaded == NULL)
    loaded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  uk = g_hash_table_lookup (loaded, key);
  gst_rk_mutex_unlock (&lock);
  if (uk) {
    g_free (key);
    g_free (abs);
    if (backend)
      *backend = uk->backend;
    return &uk->info;
  }

  uk = g_new0 (UserKernel, 1);
  uk->backend = kind;
  uk->state_size = state_size;
  uk->output_caps = output_caps ? gst_caps_ref (output_caps) : NULL;
  uk->info.kind = GST_RK_KERNEL_KIND_MESSAGE;
  uk->info.klass = "Generic";
  uk->info.sink_caps = "ANY";
  uk->info.src_caps = "ANY";
  uk->info.flags = GST_RK_KERNEL_FLAG_NO_ELEMENT |
      GST_RK_KERNEL_FLAG_RESETTABLE;
  uk->info.params = user_params;
  uk->info.n_params = RK_PARAMS_N_PARAM;
  uk->info.configure = user_configure;
  uk->info.notify_to_structure = user_notify;

  impl = be->load_user_kernel (abs, entry, &uk->info, error);
  if (impl == NULL) {
    gst_clear_caps (&uk->output_caps);
    g_free (uk);
    g_free (key);
    g_free (abs);
    return NULL;
  }
  if (state_size)
    uk->info.state_size = state_size;

  gst_rk_mutex_lock (&lock);
  uk->name = g_strdup_printf ("user%u", ++n_loaded);
  g_hash_table_insert (loaded, key, uk);
  gst_rk_mutex_unlock (&lock);
  uk->long_name = g_strdup_printf ("%s (%s)", abs, entry);
  uk->info.name = uk->name;
  uk->info.long_name = uk->long_name;
  uk->info.description = uk->long_name;
  gst_rk_registry_add_implementation (uk->name, kind, impl);
  gst_rk_registry_register (&uk->info, NULL);
  g_free (abs);
  if (backend)
    *backend = kind;
  return &uk->info;
}
