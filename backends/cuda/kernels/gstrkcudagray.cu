/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkcudaentry.cuh"
#include "gstrkcudagray.h"

RK_CUDA_DEFINE_ENTRIES (rk_cuda_gray_process)
