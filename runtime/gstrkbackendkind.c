/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkbackendkind.h"

/**
 * gst_rk_backend_kind_get_name:
 * @kind: a backend kind
 *
 * Returns: (transfer none): the backend's name in properties and stats
 * ("vulkan")
 */
const gchar *
gst_rk_backend_kind_get_name (GstRkBackendKind kind)
{
  switch (kind) {
    case GST_RK_BACKEND_AUTO:
      return "auto";
    case GST_RK_BACKEND_CPU:
      return "cpu";
    case GST_RK_BACKEND_CUDA:
      return "cuda";
    case GST_RK_BACKEND_VULKAN:
      return "vulkan";
  }
  return "invalid";
}

/**
 * gst_rk_backend_kind_get_display_name:
 * @kind: a backend kind
 *
 * Returns: (transfer none): the backend's name for people ("Vulkan")
 */
const gchar *
gst_rk_backend_kind_get_display_name (GstRkBackendKind kind)
{
  switch (kind) {
    case GST_RK_BACKEND_AUTO:
      return "Auto";
    case GST_RK_BACKEND_CPU:
      return "CPU";
    case GST_RK_BACKEND_CUDA:
      return "CUDA";
    case GST_RK_BACKEND_VULKAN:
      return "Vulkan";
  }
  return "invalid";
}
