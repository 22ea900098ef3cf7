/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkcudaentry.cuh"
#include "gstrkcudasobel.h"

RK_CUDA_DEFINE_ENTRIES (rk_cuda_sobel_process)
