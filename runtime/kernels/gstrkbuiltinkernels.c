/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkbuiltinkernels.h"
#include "gstrkregistryprivate.h"

static const GstRkKernelInfo *const builtin[] = {
  &gst_rk_kernel_info_echo,
  &gst_rk_kernel_info_relay,
  &gst_rk_kernel_info_gray,
  &gst_rk_kernel_info_blur,
  &gst_rk_kernel_info_sobel,
  &gst_rk_kernel_info_bgsub,
  &gst_rk_kernel_info_fir,
  &gst_rk_kernel_info_spectrum,
  &gst_rk_kernel_info_anomaly,
};

void
gst_rk_builtin_kernels_register (void)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (builtin); i++)
    gst_rk_registry_register (builtin[i], NULL);
}
