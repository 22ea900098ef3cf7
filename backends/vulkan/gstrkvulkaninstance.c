/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Loading Vulkan: the loader is opened with dlopen (volk), one instance is
 * made for the process and kept, and its devices are listed once. Every
 * failure becomes a reason string, which the runtime shows as "Vulkan
 * unavailable: <reason>": no loader, no driver, no device.
 *
 * GST_RK_VULKAN_LOADER names another loader library (tests use it to
 * stand for a machine without one).
 */

#include <dlfcn.h>

#include "gstrkvulkaninstance.h"
#include "gstrkerror.h"

#define DEFAULT_LOADER "libvulkan.so.1"

static GMutex instance_lock;
static gboolean instance_tried;
static GArray *devices;         /* GstRkVulkanPhysical */
static gchar *instance_error;

const gchar *
gst_rk_vulkan_result_to_string (VkResult result)
{
  switch (result) {
#define R(x) case x: return #x;
      R (VK_SUCCESS);
      R (VK_NOT_READY);
      R (VK_TIMEOUT);
      R (VK_INCOMPLETE);
      R (VK_ERROR_OUT_OF_HOST_MEMORY);
      R (VK_ERROR_OUT_OF_DEVICE_MEMORY);
      R (VK_ERROR_INITIALIZATION_FAILED);
      R (VK_ERROR_DEVICE_LOST);
      R (VK_ERROR_MEMORY_MAP_FAILED);
      R (VK_ERROR_LAYER_NOT_PRESENT);
      R (VK_ERROR_EXTENSION_NOT_PRESENT);
      R (VK_ERROR_FEATURE_NOT_PRESENT);
      R (VK_ERROR_INCOMPATIBLE_DRIVER);
      R (VK_ERROR_TOO_MANY_OBJECTS);
      R (VK_ERROR_FORMAT_NOT_SUPPORTED);
      R (VK_ERROR_FRAGMENTED_POOL);
      R (VK_ERROR_OUT_OF_POOL_MEMORY);
      R (VK_ERROR_INVALID_SHADER_NV);
#undef R
    default:
      return "VK_ERROR_UNKNOWN";
  }
}

/* Opens the loader and hands its vkGetInstanceProcAddr to volk. */
static gboolean
load_loader (GError ** error)
{
  const gchar *name = g_getenv ("GST_RK_VULKAN_LOADER");
  PFN_vkGetInstanceProcAddr gipa;
  void *lib;

  if (name == NULL || *name == '\0')
    name = DEFAULT_LOADER;
  lib = dlopen (name, RTLD_NOW | RTLD_LOCAL);
  if (lib == NULL) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_BACKEND_UNAVAILABLE,
        "the Vulkan loader %s cannot be opened (%s)", name, dlerror ());
    return FALSE;
  }
  gipa = (PFN_vkGetInstanceProcAddr) dlsym (lib, "vkGetInstanceProcAddr");
  if (gipa == NULL) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_BACKEND_UNAVAILABLE,
        "%s has no vkGetInstanceProcAddr", name);
    dlclose (lib);
    return FALSE;
  }
  /* The loader stays open for the life of the process, like a driver. */
  volkInitializeCustom (gipa);
  return TRUE;
}

static GstRkVulkanDeviceClass
class_of (VkPhysicalDeviceType type)
{
  switch (type) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU:
      return GST_RK_VULKAN_DEVICE_DISCRETE;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU:
      return GST_RK_VULKAN_DEVICE_INTEGRATED;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU:
      return GST_RK_VULKAN_DEVICE_VIRTUAL;
    case VK_PHYSICAL_DEVICE_TYPE_CPU:
      return GST_RK_VULKAN_DEVICE_CPU;
    default:
      return GST_RK_VULKAN_DEVICE_OTHER;
  }
}

/* The queue family kernels use: one made for compute alone if there is
 * one (it runs beside graphics work), else any with compute. */
static gint
compute_family (VkPhysicalDevice pd)
{
  VkQueueFamilyProperties *families;
  guint32 n = 0, i;
  gint best = -1;

  vkGetPhysicalDeviceQueueFamilyProperties (pd, &n, NULL);
  families = g_new0 (VkQueueFamilyProperties, n);
  vkGetPhysicalDeviceQueueFamilyProperties (pd, &n, families);
  for (i = 0; i < n; i++) {
    if (!(families[i].queueFlags & VK_QUEUE_COMPUTE_BIT))
      continue;
    if (best < 0 || !(families[i].queueFlags & VK_QUEUE_GRAPHICS_BIT))
      best = (gint) i;
    if (!(families[i].queueFlags & VK_QUEUE_GRAPHICS_BIT))
      break;
  }
  g_free (families);
  return best;
}

static void
physical_clear (gpointer data)
{
  GstRkVulkanPhysical *p = data;

  g_free (p->why_unusable);
}

static gboolean
create_instance (GError ** error)
{
  VkApplicationInfo app = { VK_STRUCTURE_TYPE_APPLICATION_INFO };
  VkInstanceCreateInfo info = { VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO };
  VkPhysicalDevice *handles;
  VkInstance instance;
  guint32 version, n = 0, i;
  VkResult r;

  if (!load_loader (error))
    return FALSE;
  version = volkGetInstanceVersion ();
  if (version < VK_API_VERSION_1_1) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_BACKEND_UNAVAILABLE,
        "the Vulkan loader supports Vulkan %u.%u; 1.1 is needed",
        VK_API_VERSION_MAJOR (version), VK_API_VERSION_MINOR (version));
    return FALSE;
  }

  app.pApplicationName = "gst-ringkernel";
  app.pEngineName = "gst-ringkernel";
  app.apiVersion = MIN (version, VK_API_VERSION_1_3);
  info.pApplicationInfo = &app;
  r = vkCreateInstance (&info, NULL, &instance);
  if (r != VK_SUCCESS) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_BACKEND_UNAVAILABLE,
        "no Vulkan driver (vkCreateInstance: %s)",
        gst_rk_vulkan_result_to_string (r));
    return FALSE;
  }
  volkLoadInstanceOnly (instance);

  r = vkEnumeratePhysicalDevices (instance, &n, NULL);
  if (r != VK_SUCCESS || n == 0) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_BACKEND_UNAVAILABLE,
        "no Vulkan device (vkEnumeratePhysicalDevices: %s, %u devices)",
        gst_rk_vulkan_result_to_string (r), n);
    vkDestroyInstance (instance, NULL);
    return FALSE;
  }
  handles = g_new0 (VkPhysicalDevice, n);
  vkEnumeratePhysicalDevices (instance, &n, handles);

  devices = g_array_new (FALSE, TRUE, sizeof (GstRkVulkanPhysical));
  g_array_set_clear_func (devices, physical_clear);
  for (i = 0; i < n; i++) {
    GstRkVulkanPhysical p = { handles[i] };

    vkGetPhysicalDeviceProperties (p.handle, &p.props);
    p.klass = class_of (p.props.deviceType);
    p.family = compute_family (p.handle);
    if (p.props.apiVersion < VK_API_VERSION_1_1)
      p.why_unusable = g_strdup_printf ("%s supports Vulkan %u.%u; 1.1 is "
          "needed", p.props.deviceName,
          VK_API_VERSION_MAJOR (p.props.apiVersion),
          VK_API_VERSION_MINOR (p.props.apiVersion));
    else if (p.family < 0)
      p.why_unusable = g_strdup_printf ("%s has no compute queue",
          p.props.deviceName);
    if (p.why_unusable)
      p.klass = GST_RK_VULKAN_DEVICE_UNUSABLE;
    g_array_append_val (devices, p);
  }
  g_free (handles);
  return TRUE;
}

/**
 * gst_rk_vulkan_get_devices:
 *
 * Returns: (transfer none) (element-type GstRkVulkanPhysical): the devices
 * of the process-wide instance, made on first call; %NULL with @error
 * saying why when Vulkan cannot be used at all.
 */
const GArray *
gst_rk_vulkan_get_devices (GError ** error)
{
  g_mutex_lock (&instance_lock);
  if (!instance_tried) {
    GError *err = NULL;

    instance_tried = TRUE;
    if (!create_instance (&err)) {
      instance_error = g_strdup (err->message);
      g_error_free (err);
    }
  }
  g_mutex_unlock (&instance_lock);

  if (devices == NULL)
    g_set_error_literal (error, GST_RK_ERROR,
        GST_RK_ERROR_BACKEND_UNAVAILABLE, instance_error);
  return devices;
}

/**
 * gst_rk_vulkan_choose_device:
 * @classes: (array length=n_devices): each device's class, in device-id
 *   order
 * @requested: a device-id, or -1 for the best device
 *
 * With -1, hardware GPUs rank first (discrete, integrated, virtual, other)
 * and a software device (lavapipe) last; unusable devices never. The
 * runtime takes the Vulkan backend for backend=auto only when a hardware
 * device exists, so a software device is chosen only when the Vulkan
 * backend was asked for by name.
 *
 * Returns: the device-id to open, or -1 when none fits.
 */
gint
gst_rk_vulkan_choose_device (const GstRkVulkanDeviceClass * classes,
    guint n_devices, gint requested)
{
  gint best = -1;
  guint i;

  if (requested >= 0)
    return (guint) requested < n_devices &&
        classes[requested] != GST_RK_VULKAN_DEVICE_UNUSABLE ? requested : -1;
  for (i = 0; i < n_devices; i++)
    if (classes[i] != GST_RK_VULKAN_DEVICE_UNUSABLE &&
        (best < 0 || classes[i] < classes[best]))
      best = (gint) i;
  return best;
}

/**
 * gst_rk_vulkan_device_count:
 *
 * Returns: how many Vulkan devices there are, usable or not; 0 when Vulkan
 * cannot be loaded.
 */
guint
gst_rk_vulkan_device_count (void)
{
  const GArray *list = gst_rk_vulkan_get_devices (NULL);

  return list ? list->len : 0;
}
