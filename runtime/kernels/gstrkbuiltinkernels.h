/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_BUILTIN_KERNELS_H__
#define __GST_RK_BUILTIN_KERNELS_H__

#include "gstrkkernelinfo.h"

G_BEGIN_DECLS

/* The descriptors of the kernels that ship with the runtime; each backend
 * registers its own implementations of them. */
extern const GstRkKernelInfo gst_rk_kernel_info_echo;
extern const GstRkKernelInfo gst_rk_kernel_info_relay;
extern const GstRkKernelInfo gst_rk_kernel_info_gray;
extern const GstRkKernelInfo gst_rk_kernel_info_blur;
extern const GstRkKernelInfo gst_rk_kernel_info_sobel;
extern const GstRkKernelInfo gst_rk_kernel_info_bgsub;
extern const GstRkKernelInfo gst_rk_kernel_info_fir;
extern const GstRkKernelInfo gst_rk_kernel_info_spectrum;
extern const GstRkKernelInfo gst_rk_kernel_info_anomaly;

void gst_rk_builtin_kernels_register (void);

G_END_DECLS

#endif /* __GST_RK_BUILTIN_KERNELS_H__ */
