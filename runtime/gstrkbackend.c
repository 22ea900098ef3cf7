/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkbackend.h"
#include "gstrkdevicememoryprivate.h"
#include "gstrksync.h"

/* The backends this build has: backends/meson.build writes the list, one
 * GST_RK_BACKEND (name) line per backend, naming gst_rk_backend_<name>. */
#define GST_RK_BACKEND(name) extern const GstRkBackend gst_rk_backend_##name;
#include "gstrkbackendlist.h"
#undef GST_RK_BACKEND

static const GstRkBackend *const builtin[] = {
#define GST_RK_BACKEND(name) &gst_rk_backend_##name,
#include "gstrkbackendlist.h"
#undef GST_RK_BACKEND
};

const GstRkBackend *
gst_rk_backend_get (GstRkBackendKind kind)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (builtin); i++)
    if (builtin[i]->kind == kind)
      return builtin[i];
  return NULL;
}

static void
device_desc_clear (gpointer data)
{
  GstRkDeviceDesc *d = data;

  g_free (d->name);
}

void
gst_rk_backend_info_add_device (GstRkBackendInfo * info, gint index,
    const gchar * name, gboolean is_software)
{
  GstRkDeviceDesc d = { index, g_strdup (name), is_software };

  g_array_append_val (info->devices, d);
}

/**
 * gst_rk_backend_probe:
 *
 * Returns: (transfer none): whether @kind can run here and on which
 * devices. Probed once per process: loading drivers is slow, and what is
 * installed does not change while we run.
 */
const GstRkBackendInfo *
gst_rk_backend_probe (GstRkBackendKind kind)
{
  static GstRkBackendInfo *infos[GST_RK_BACKEND_N_KINDS];
  static GMutex lock;
  GstRkBackendInfo *info;

  g_return_val_if_fail (kind > GST_RK_BACKEND_AUTO &&
      kind < GST_RK_BACKEND_N_KINDS, NULL);

  gst_rk_mutex_lock (&lock);
  info = infos[kind];
  if (info == NULL) {
    const GstRkBackend *backend = gst_rk_backend_get (kind);

    info = g_new0 (GstRkBackendInfo, 1);
    info->kind = kind;
    info->devices = g_array_new (FALSE, TRUE, sizeof (GstRkDeviceDesc));
    g_array_set_clear_func (info->devices, device_desc_clear);
    if (backend == NULL) {
      info->reason = g_strdup_printf ("%s support was not built (meson "
          "option -D%s=enabled)", gst_rk_backend_kind_get_display_name (kind),
          gst_rk_backend_kind_get_name (kind));
    } else {
      backend->probe (info);
      if (info->available && info->devices->len == 0) {
        info->available = FALSE;
        info->reason = g_strdup ("no device found");
      }
    }
    infos[kind] = info;
  }
  gst_rk_mutex_unlock (&lock);
  return info;
}

void
gst_rk_device_init (GstRkDevice * device, const GstRkBackend * backend,
    gint index, const gchar * name, gboolean is_software)
{
  device->backend = backend;
  device->index = index;
  device->name = g_strdup (name);
  device->is_software = is_software;
  device->memory_used = 0;
  device->host_memory_used = 0;
  device->ref_count = 1;
  device->payloads = 0;
  g_mutex_init (&device->payload_lock);
  g_queue_init (&device->payload_cache);
}

void
gst_rk_device_clear (GstRkDevice * device)
{
  g_clear_pointer (&device->name, g_free);
  g_mutex_clear (&device->payload_lock);
}

GstRkDevice *
gst_rk_device_ref (GstRkDevice * device)
{
  g_atomic_int_inc (&device->ref_count);
  return device;
}

/**
 * gst_rk_device_unref:
 *
 * Drops a reference; the last frees the payload memory kept for reuse and
 * closes the device.
 */
void
gst_rk_device_unref (GstRkDevice * device)
{
  if (!g_atomic_int_dec_and_test (&device->ref_count))
    return;
  gst_rk_device_memory_drop_cache (device);
  device->backend->close (device);
}

void
gst_rk_device_add_memory (GstRkDevice * device, gint64 device_bytes,
    gint64 host_bytes)
{
  __atomic_add_fetch (&device->memory_used, device_bytes, __ATOMIC_RELAXED);
  __atomic_add_fetch (&device->host_memory_used, host_bytes,
      __ATOMIC_RELAXED);
}
