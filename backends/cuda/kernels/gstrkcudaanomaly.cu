/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkcudaentry.cuh"
#include "gstrkcudaanomaly.h"

RK_CUDA_DEFINE_PHASED_ENTRIES (rk_cuda_anomaly_process, 2)
