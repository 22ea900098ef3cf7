/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The Vulkan backend: Vulkan compute through volk, kernels in GLSL.
 *
 * persistent:   a ring shader polls the input ring in host-visible memory
 *               (gstrkvulkanring.c); message actors, the default for them.
 * event-driven: one submission per run of queued messages, one dispatch of
 *               many workgroups per message (gstrkvulkanevent.c); frame
 *               kernels, the default for them.
 *
 * Lavapipe (Mesa's software Vulkan) is a device like any other, but
 * backend=auto does not choose it (the runtime checks is_software).
 */

#include "gstrkbackend.h"
#include "gstrkregistryprivate.h"
#include "gstrkvulkandevice.h"
#include "gstrkvulkanevent.h"
#include "gstrkvulkanpayload.h"
#include "gstrkvulkanring.h"
#ifdef GST_RK_VULKAN_USER_KERNELS
#include "gstrkvulkanuser.h"
#endif

GST_DEBUG_CATEGORY (gst_rk_vulkan_debug);
#define GST_CAT_DEFAULT gst_rk_vulkan_debug

extern const GstRkBackend gst_rk_backend_vulkan;

/* A launched kernel: one of the two drivers */
typedef struct
{
  GstRkVulkanRing *ring;
  GstRkVulkanEvent *event;
} VulkanKernel;

static void
init_debug (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    GST_DEBUG_CATEGORY_INIT (gst_rk_vulkan_debug, "ringkernel-vulkan", 0,
        "ring kernel Vulkan backend");
    g_once_init_leave (&done, 1);
  }
}

static void
vulkan_register_kernels (void)
{
  gst_rk_registry_add_implementation ("echo", GST_RK_BACKEND_VULKAN,
      &gst_rk_vulkan_kernel_echo);
  gst_rk_registry_add_implementation ("gray", GST_RK_BACKEND_VULKAN,
      &gst_rk_vulkan_kernel_gray);
  gst_rk_registry_add_implementation ("blur", GST_RK_BACKEND_VULKAN,
      &gst_rk_vulkan_kernel_blur);
  gst_rk_registry_add_implementation ("sobel", GST_RK_BACKEND_VULKAN,
      &gst_rk_vulkan_kernel_sobel);
  gst_rk_registry_add_implementation ("bgsub", GST_RK_BACKEND_VULKAN,
      &gst_rk_vulkan_kernel_bgsub);
  gst_rk_registry_add_implementation ("fir", GST_RK_BACKEND_VULKAN,
      &gst_rk_vulkan_kernel_fir);
  gst_rk_registry_add_implementation ("anomaly", GST_RK_BACKEND_VULKAN,
      &gst_rk_vulkan_kernel_anomaly);
  gst_rk_registry_add_implementation ("spectrum", GST_RK_BACKEND_VULKAN,
      &gst_rk_vulkan_kernel_spectrum);
}

/* Lists the devices that can run kernels; their index is their device-id. */
static void
vulkan_probe (GstRkBackendInfo * info)
{
  const GArray *devices;
  GError *err = NULL;
  const gchar *why = NULL;

  init_debug ();
  devices = gst_rk_vulkan_get_devices (&err);
  if (devices == NULL) {
    info->reason = g_strdup (err->message);
    g_error_free (err);
    return;
  }
  for (guint i = 0; i < devices->len; i++) {
    const GstRkVulkanPhysical *p = &g_array_index (devices,
        GstRkVulkanPhysical, i);

    if (p->klass == GST_RK_VULKAN_DEVICE_UNUSABLE) {
      why = why ? why : p->why_unusable;
      continue;
    }
    gst_rk_backend_info_add_device (info, (gint) i, p->props.deviceName,
        p->klass == GST_RK_VULKAN_DEVICE_CPU);
  }
  info->available = info->devices->len > 0;
  if (!info->available)
    info->reason = g_strdup_printf ("no device can run kernels (%s)", why);
}

static GstRkDevice *
vulkan_open (gint device_id, GError ** error)
{
  GstRkVulkanDevice *dev;

  init_debug ();
  dev = gst_rk_vulkan_device_open (&gst_rk_backend_vulkan, device_id, error);
  return dev ? &dev->parent : NULL;
}

static void
vulkan_close (GstRkDevice * device)
{
  gst_rk_vulkan_device_close ((GstRkVulkanDevice *) device);
}

static gboolean
vulkan_launch (GstRkDevice * device, GstRkKernel * kernel, GError ** error)
{
  GstRkVulkanContext *ctx;
  VulkanKernel *vk;

  ctx = gst_rk_vulkan_context_new ((GstRkVulkanDevice *) device, kernel,
      error);
  if (ctx == NULL)
    return FALSE;
  vk = g_new0 (VulkanKernel, 1);
  if (gst_rk_kernel_get_mode (kernel) == GST_RK_KERNEL_MODE_PERSISTENT)
    vk->ring = gst_rk_vulkan_ring_launch (ctx, error);
  else
    vk->event = gst_rk_vulkan_event_launch (ctx, error);
  if (vk->ring == NULL && vk->event == NULL) {
    gst_rk_vulkan_context_dispose (ctx);
    g_free (vk);
    return FALSE;
  }
  gst_rk_kernel_set_backend_data (kernel, vk);
  return TRUE;
}

static gboolean
command (GstRkKernel * kernel, guint32 cmd, GError ** error)
{
  VulkanKernel *vk = gst_rk_kernel_get_backend_data (kernel);

  return vk->ring ? gst_rk_vulkan_ring_command (vk->ring, cmd, error) :
      gst_rk_vulkan_event_command (vk->event, cmd, error);
}

static gboolean
vulkan_activate (GstRkKernel * kernel, GError ** error)
{
  return command (kernel, RK_CMD_RUN, error);
}

static gboolean
vulkan_deactivate (GstRkKernel * kernel, GError ** error)
{
  return command (kernel, RK_CMD_PAUSE, error);
}

static gboolean
vulkan_terminate (GstRkKernel * kernel, GError ** error)
{
  VulkanKernel *vk = gst_rk_kernel_get_backend_data (kernel);
  gboolean ok;

  if (vk == NULL)
    return TRUE;
  ok = vk->ring ? gst_rk_vulkan_ring_terminate (vk->ring, error) :
      gst_rk_vulkan_event_terminate (vk->event, error);
  g_free (vk);
  gst_rk_kernel_set_backend_data (kernel, NULL);
  return ok;
}

static void
vulkan_send (GstRkKernel * kernel)
{
  VulkanKernel *vk = gst_rk_kernel_get_backend_data (kernel);

  if (vk->ring)
    gst_rk_vulkan_ring_kick (vk->ring);
  else
    gst_rk_vulkan_event_kick (vk->event);
}

static void
vulkan_flush (GstRkKernel * kernel)
{
  VulkanKernel *vk = gst_rk_kernel_get_backend_data (kernel);

  if (vk->ring)
    gst_rk_vulkan_ring_flush (vk->ring);
  else
    gst_rk_vulkan_event_kick (vk->event);
}

/* Device loss is reported by the kernels' own threads too; this catches
 * it for kernels that are idle. */
static gboolean
vulkan_poll (GstRkKernel * kernel, GError ** error)
{
  GstRkVulkanDevice *dev =
      (GstRkVulkanDevice *) gst_rk_kernel_get_device (kernel);

  return gst_rk_vulkan_device_check (dev, g_atomic_int_get (&dev->lost) ?
      VK_ERROR_DEVICE_LOST : VK_SUCCESS, "running", error);
}

static void
vulkan_fill_stats (GstRkKernel * kernel, GstStructure * s)
{
  VulkanKernel *vk = gst_rk_kernel_get_backend_data (kernel);

  if (vk == NULL)
    return;
  if (vk->ring)
    gst_rk_vulkan_ring_fill_stats (vk->ring, s);
  else
    gst_rk_vulkan_event_fill_stats (vk->event, s);
}

/* Frame kernels whose output is the info block's frame take and give
 * frames on the device, where the device has memory for them. */
static gboolean
vulkan_device_payloads (GstRkKernel * kernel)
{
  GstRkVulkanDevice *dev =
      (GstRkVulkanDevice *) gst_rk_kernel_get_device (kernel);
  const GstRkVulkanKernel *impl = gst_rk_kernel_get_implementation (kernel);

  return dev->payload_memory && impl->collect == NULL &&
      impl->output_size == gst_rk_vulkan_frame_output_size;
}

#ifdef GST_RK_VULKAN_USER_KERNELS
static const gchar *const vulkan_user_suffixes[] = { ".spv", NULL };
#endif

const GstRkBackend gst_rk_backend_vulkan = {
  .kind = GST_RK_BACKEND_VULKAN,
  .name = "vulkan",
  .register_kernels = vulkan_register_kernels,
  .probe = vulkan_probe,
  .open = vulkan_open,
  .close = vulkan_close,
  .launch = vulkan_launch,
  .activate = vulkan_activate,
  .deactivate = vulkan_deactivate,
  .terminate = vulkan_terminate,
  .send = vulkan_send,
  .flush = vulkan_flush,
  .poll = vulkan_poll,
  .fetch = NULL,
  .fill_stats = vulkan_fill_stats,
  .device_memory = &gst_rk_vulkan_payload_ops,
  .device_payloads = vulkan_device_payloads,
#ifdef GST_RK_VULKAN_USER_KERNELS
  .user_kernel_suffixes = vulkan_user_suffixes,
  .load_user_kernel = gst_rk_vulkan_load_user_kernel,
#endif
};
