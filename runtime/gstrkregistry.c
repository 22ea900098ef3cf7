/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkregistryprivate.h"
#include "gstrkerror.h"
#include "gstrksync.h"

/* The registry is process-wide: the plugin's elements, applications and
 * tests all see the same kernels. Kernels and implementations are never
 * removed, so lookups can hand out plain pointers. */
static GMutex registry_lock;
static GHashTable *kernels;             /* name → GstRkKernelInfo */
static GHashTable *implementations;     /* "backend/name" → impl */

typedef struct
{
  GstRkRegistryFunc func;
  gpointer user_data;
} Listener;
static GArray *listeners;

static void
ensure_tables (void)
{
  if (kernels == NULL) {
    kernels = g_hash_table_new (g_str_hash, g_str_equal);
    implementations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
        NULL);
  }
}

static gboolean
valid_kernel_name (const gchar * name)
{
  const gchar *p;

  if (name == NULL || !g_ascii_islower (name[0]))
    return FALSE;
  for (p = name; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/**
 * gst_rk_registry_register:
 * @info: (transfer none): must stay valid for the life of the process
 *
 * Adds a kernel. Its name must be lowercase letters and digits, starting
 * with a letter (it becomes the element name "rk" + name).
 */
gboolean
gst_rk_registry_register (const GstRkKernelInfo * info, GError ** error)
{
  GArray *notify;
  gboolean ok = TRUE;

  if (!valid_kernel_name (info->name)) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "kernel name \"%s\" is not lowercase letters and digits",
        info->name ? info->name : "(null)");
    return FALSE;
  }

  gst_rk_mutex_lock (&registry_lock);
  ensure_tables ();
  if (g_hash_table_contains (kernels, info->name)) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "a kernel named \"%s\" is already registered", info->name);
    ok = FALSE;
  } else {
    g_hash_table_insert (kernels, (gpointer) info->name, (gpointer) info);
  }
  /* Listeners run outside the lock (they look kernels up), on a copy. */
  notify = ok && listeners ? g_array_copy (listeners) : NULL;
  gst_rk_mutex_unlock (&registry_lock);

  for (guint i = 0; notify && i < notify->len; i++) {
    Listener *l = &g_array_index (notify, Listener, i);
    l->func (info, l->user_data);
  }
  if (notify)
    g_array_unref (notify);
  return ok;
}

/**
 * gst_rk_registry_add_listener:
 * @func: (scope forever): called with each kernel registered from now on
 * @user_data: (closure func): data for @func
 *
 * Calls @func for every kernel registered from now on. The plugin uses it
 * so that a kernel registered after the plugin loaded (by a test, or an
 * application) still becomes an element. Listeners stay for the life of
 * the process.
 */
void
gst_rk_registry_add_listener (GstRkRegistryFunc func, gpointer user_data)
{
  Listener l = { func, user_data };

  gst_rk_mutex_lock (&registry_lock);
  if (listeners == NULL)
    listeners = g_array_sized_new (FALSE, FALSE, sizeof (Listener), 4);
  g_array_append_val (listeners, l);
  gst_rk_mutex_unlock (&registry_lock);
}

/**
 * gst_rk_registry_lookup:
 * @name: a kernel name ("blur")
 *
 * Returns: (transfer none) (nullable): the kernel's descriptor, %NULL when
 * none of that name is registered
 */
const GstRkKernelInfo *
gst_rk_registry_lookup (const gchar * name)
{
  const GstRkKernelInfo *info = NULL;

  gst_rk_mutex_lock (&registry_lock);
  if (kernels)
    info = g_hash_table_lookup (kernels, name);
  gst_rk_mutex_unlock (&registry_lock);
  return info;
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  const GstRkKernelInfo *ia = *(const GstRkKernelInfo * const *) a;
  const GstRkKernelInfo *ib = *(const GstRkKernelInfo * const *) b;

  return g_strcmp0 (ia->name, ib->name);
}

/**
 * gst_rk_registry_list:
 *
 * Returns: (transfer container) (element-type GstRkKernelInfo): every
 * registered kernel, sorted by name.
 */
GPtrArray *
gst_rk_registry_list (void)
{
  GPtrArray *arr = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  gst_rk_mutex_lock (&registry_lock);
  if (kernels) {
    g_hash_table_iter_init (&iter, kernels);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      g_ptr_array_add (arr, value);
  }
  gst_rk_mutex_unlock (&registry_lock);
  g_ptr_array_sort (arr, compare_names);
  return arr;
}

static gchar *
impl_key (const gchar * kernel_name, GstRkBackendKind backend)
{
  return g_strdup_printf ("%s/%s", gst_rk_backend_kind_get_name (backend),
      kernel_name);
}

/**
 * gst_rk_registry_add_implementation:
 * @impl: (transfer none): backend-specific implementation (for the CPU
 *   backend a GstRkCpuKernel); must stay valid for the life of the process
 *
 * Registers how @backend runs @kernel_name. A later registration replaces an
 * earlier one.
 */
void
gst_rk_registry_add_implementation (const gchar * kernel_name,
    GstRkBackendKind backend, gconstpointer impl)
{
  gst_rk_mutex_lock (&registry_lock);
  ensure_tables ();
  g_hash_table_replace (implementations, impl_key (kernel_name, backend),
      (gpointer) impl);
  gst_rk_mutex_unlock (&registry_lock);
}

gconstpointer
gst_rk_registry_get_implementation (const gchar * kernel_name,
    GstRkBackendKind backend)
{
  gchar *key = impl_key (kernel_name, backend);
  gconstpointer impl = NULL;

  gst_rk_mutex_lock (&registry_lock);
  if (implementations)
    impl = g_hash_table_lookup (implementations, key);
  gst_rk_mutex_unlock (&registry_lock);
  g_free (key);
  return impl;
}
