/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_CUDA_DRIVER_H__
#define __GST_RK_CUDA_DRIVER_H__

#include <glib.h>

/* Types only: the driver is loaded at run time, never linked. */
#include "gstrkcudaapi.h"

G_BEGIN_DECLS

/*
 * The CUDA driver API, loaded at run time from libcuda.so.1 through GModule
 * (as GStreamer's gstcudaloader does), so that the plugin loads and the CPU
 * backend serves on machines without an NVIDIA driver. Entry points are
 * looked up by their versioned ABI names (cuMemAlloc_v2, ...): the plain
 * names are the oldest ABI.
 *
 * GST_RK_CUDA_DRIVER names another library to load (tests point it at the
 * toolkit's stub library or at a library without the symbols).
 */
typedef struct
{
  PFN_cuInit_v2000 Init;
  PFN_cuDriverGetVersion_v2020 DriverGetVersion;
  PFN_cuGetErrorName_v6000 GetErrorName;
  PFN_cuGetErrorString_v6000 GetErrorString;
  PFN_cuDeviceGetCount_v2000 DeviceGetCount;
  PFN_cuDeviceGet_v2000 DeviceGet;
  PFN_cuDeviceGetName_v2000 DeviceGetName;
  PFN_cuDeviceGetAttribute_v2000 DeviceGetAttribute;
  PFN_cuDevicePrimaryCtxRetain_v7000 DevicePrimaryCtxRetain;
  PFN_cuDevicePrimaryCtxRelease_v11000 DevicePrimaryCtxRelease;
  PFN_cuCtxPushCurrent_v4000 CtxPushCurrent;
  PFN_cuCtxPopCurrent_v4000 CtxPopCurrent;
  PFN_cuMemHostAlloc_v2020 MemHostAlloc;
  PFN_cuMemFreeHost_v2000 MemFreeHost;
  PFN_cuMemHostGetDevicePointer_v3020 MemHostGetDevicePointer;
  PFN_cuMemAlloc_v3020 MemAlloc;
  PFN_cuMemFree_v3020 MemFree;
  PFN_cuMemcpyHtoDAsync_v3020 MemcpyHtoDAsync;
  PFN_cuMemcpyDtoHAsync_v3020 MemcpyDtoHAsync;
  PFN_cuMemsetD8Async_v3020 MemsetD8Async;
  PFN_cuStreamCreate_v2000 StreamCreate;
  PFN_cuStreamDestroy_v4000 StreamDestroy;
  PFN_cuStreamSynchronize_v2000 StreamSynchronize;
  PFN_cuStreamQuery_v2000 StreamQuery;
  PFN_cuStreamWaitEvent_v3020 StreamWaitEvent;
  PFN_cuEventCreate_v2000 EventCreate;
  PFN_cuEventRecord_v2000 EventRecord;
  PFN_cuEventSynchronize_v2000 EventSynchronize;
  PFN_cuEventDestroy_v4000 EventDestroy;
  PFN_cuModuleLoadData_v2000 ModuleLoadData;
  PFN_cuModuleUnload_v2000 ModuleUnload;
  PFN_cuModuleGetFunction_v2000 ModuleGetFunction;
  PFN_cuLaunchKernel_v4000 LaunchKernel;
  PFN_cuLaunchCooperativeKernel_v9000 LaunchCooperativeKernel;
  PFN_cuOccupancyMaxActiveBlocksPerMultiprocessor_v6050
      OccupancyMaxActiveBlocksPerMultiprocessor;
  PFN_cuFuncGetAttribute_v2020 FuncGetAttribute;

  /* Optional: NULL when the driver lacks them */
  PFN_cuMemAllocAsync_v11020 MemAllocAsync;
  PFN_cuMemFreeAsync_v11020 MemFreeAsync;
  PFN_cuFuncLoad_v12040 FuncLoad;

  /* Optional, for the benchmark only */
  PFN_cuEventElapsedTime_v2000 EventElapsedTime;
  PFN_cuStreamBeginCapture_v10010 StreamBeginCapture;
  PFN_cuStreamEndCapture_v10000 StreamEndCapture;
  PFN_cuGraphInstantiateWithFlags_v11040 GraphInstantiateWithFlags;
  PFN_cuGraphLaunch_v10000 GraphLaunch;
  PFN_cuGraphExecDestroy_v10000 GraphExecDestroy;
  PFN_cuGraphDestroy_v10000 GraphDestroy;
} GstRkCudaDriver;

const GstRkCudaDriver *gst_rk_cuda_driver_get (const gchar ** reason);

const gchar *gst_rk_cuda_result_name (CUresult result);
gchar *gst_rk_cuda_result_describe (CUresult result);

gboolean gst_rk_cuda_check (CUresult result, const gchar * what,
    GError ** error);

G_END_DECLS

#endif /* __GST_RK_CUDA_DRIVER_H__ */
