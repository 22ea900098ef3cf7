/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_CUDA_API_H__
#define __GST_RK_CUDA_API_H__

/*
 * What the CUDA backend uses of NVIDIA's driver API and of NVRTC, declared
 * here instead of taken from cuda.h, cudaTypedefs.h and nvrtc.h. Both
 * libraries are opened at run time (gstrkcudadriver.c, gstrkcudauser.c),
 * so with these declarations the backend's host code, and every test on
 * the fake device, builds on machines without the CUDA toolkit, as
 * GStreamer's gst/cuda does with declarations of its own. nvcc is needed
 * only for the kernels' device code.
 *
 * Names, values and signatures are the driver's stable ABI (the versioned
 * entry points, cuMemAlloc_v2 and so on). Where the toolkit is installed,
 * tests/test-cuda-api.c checks every one against NVIDIA's headers: the
 * lists are X-macros so that it can walk them. Define
 * GST_RK_CUDA_API_LISTS_ONLY for the lists without the declarations.
 */

/* X (name, value) */
#define GST_RK_CUDA_RESULTS(X) \
  X (CUDA_SUCCESS, 0) \
  X (CUDA_ERROR_INVALID_VALUE, 1) \
  X (CUDA_ERROR_OUT_OF_MEMORY, 2) \
  X (CUDA_ERROR_NOT_INITIALIZED, 3) \
  X (CUDA_ERROR_DEINITIALIZED, 4) \
  X (CUDA_ERROR_STUB_LIBRARY, 34) \
  X (CUDA_ERROR_NO_DEVICE, 100) \
  X (CUDA_ERROR_INVALID_DEVICE, 101) \
  X (CUDA_ERROR_INVALID_IMAGE, 200) \
  X (CUDA_ERROR_INVALID_CONTEXT, 201) \
  X (CUDA_ERROR_NO_BINARY_FOR_GPU, 209) \
  X (CUDA_ERROR_INVALID_PTX, 218) \
  X (CUDA_ERROR_UNSUPPORTED_PTX_VERSION, 222) \
  X (CUDA_ERROR_INVALID_HANDLE, 400) \
  X (CUDA_ERROR_NOT_FOUND, 500) \
  X (CUDA_ERROR_NOT_READY, 600) \
  X (CUDA_ERROR_ILLEGAL_ADDRESS, 700) \
  X (CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES, 701) \
  X (CUDA_ERROR_LAUNCH_TIMEOUT, 702) \
  X (CUDA_ERROR_HARDWARE_STACK_ERROR, 714) \
  X (CUDA_ERROR_ILLEGAL_INSTRUCTION, 715) \
  X (CUDA_ERROR_MISALIGNED_ADDRESS, 716) \
  X (CUDA_ERROR_INVALID_ADDRESS_SPACE, 717) \
  X (CUDA_ERROR_INVALID_PC, 718) \
  X (CUDA_ERROR_LAUNCH_FAILED, 719) \
  X (CUDA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE, 720) \
  X (CUDA_ERROR_NOT_SUPPORTED, 801) \
  X (CUDA_ERROR_SYSTEM_DRIVER_MISMATCH, 803) \
  X (CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE, 804) \
  X (CUDA_ERROR_UNKNOWN, 999)

#define GST_RK_CUDA_DEVICE_ATTRIBUTES(X) \
  X (CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK, 1) \
  X (CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, 16) \
  X (CU_DEVICE_ATTRIBUTE_CAN_MAP_HOST_MEMORY, 19) \
  X (CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE, 36) \
  X (CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH, 37) \
  X (CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, 75) \
  X (CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, 76) \
  X (CU_DEVICE_ATTRIBUTE_COOPERATIVE_LAUNCH, 95) \
  X (CU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED, 115)

#define GST_RK_CUDA_FUNCTION_ATTRIBUTES(X) \
  X (CU_FUNC_ATTRIBUTE_NUM_REGS, 4)

#define GST_RK_CUDA_CAPTURE_MODES(X) \
  X (CU_STREAM_CAPTURE_MODE_RELAXED, 2)

/* Flags of cuEventCreate, cuStreamCreate and cuMemHostAlloc */
#define GST_RK_CUDA_FLAGS(X) \
  X (CU_EVENT_DEFAULT, 0) \
  X (CU_EVENT_DISABLE_TIMING, 2) \
  X (CU_STREAM_NON_BLOCKING, 1) \
  X (CU_MEMHOSTALLOC_PORTABLE, 1) \
  X (CU_MEMHOSTALLOC_DEVICEMAP, 2)

/* X (handle type, the struct it points to) */
#define GST_RK_CUDA_HANDLES(X) \
  X (CUcontext, CUctx_st) \
  X (CUmodule, CUmod_st) \
  X (CUfunction, CUfunc_st) \
  X (CUevent, CUevent_st) \
  X (CUstream, CUstream_st) \
  X (CUgraph, CUgraph_st) \
  X (CUgraphExec, CUgraphExec_st)

/* X (entry point, ABI version, parameters): PFN_<entry point>_v<version>,
 * every one returning CUresult */
#define GST_RK_CUDA_ENTRY_POINTS(X) \
  X (cuInit, 2000, (unsigned int flags)) \
  X (cuDriverGetVersion, 2020, (int *version)) \
  X (cuGetErrorName, 6000, (CUresult error, const char **str)) \
  X (cuGetErrorString, 6000, (CUresult error, const char **str)) \
  X (cuDeviceGetCount, 2000, (int *count)) \
  X (cuDeviceGet, 2000, (CUdevice *device, int ordinal)) \
  X (cuDeviceGetName, 2000, (char *name, int len, CUdevice dev)) \
  X (cuDeviceGetAttribute, 2000, \
      (int *value, CUdevice_attribute attrib, CUdevice dev)) \
  X (cuDevicePrimaryCtxRetain, 7000, (CUcontext *ctx, CUdevice dev)) \
  X (cuDevicePrimaryCtxRelease, 11000, (CUdevice dev)) \
  X (cuCtxPushCurrent, 4000, (CUcontext ctx)) \
  X (cuCtxPopCurrent, 4000, (CUcontext *ctx)) \
  X (cuMemHostAlloc, 2020, (void **p, size_t size, unsigned int flags)) \
  X (cuMemFreeHost, 2000, (void *p)) \
  X (cuMemHostGetDevicePointer, 3020, \
      (CUdeviceptr *dptr, void *p, unsigned int flags)) \
  X (cuMemAlloc, 3020, (CUdeviceptr *dptr, size_t size)) \
  X (cuMemFree, 3020, (CUdeviceptr dptr)) \
  X (cuMemAllocAsync, 11020, \
      (CUdeviceptr *dptr, size_t size, CUstream stream)) \
  X (cuMemFreeAsync, 11020, (CUdeviceptr dptr, CUstream stream)) \
  X (cuMemcpyHtoDAsync, 3020, \
      (CUdeviceptr dst, const void *src, size_t size, CUstream stream)) \
  X (cuMemcpyDtoHAsync, 3020, \
      (void *dst, CUdeviceptr src, size_t size, CUstream stream)) \
  X (cuMemsetD8Async, 3020, \
      (CUdeviceptr dst, unsigned char value, size_t n, CUstream stream)) \
  X (cuStreamCreate, 2000, (CUstream *stream, unsigned int flags)) \
  X (cuStreamDestroy, 4000, (CUstream stream)) \
  X (cuStreamSynchronize, 2000, (CUstream stream)) \
  X (cuStreamQuery, 2000, (CUstream stream)) \
  X (cuStreamWaitEvent, 3020, \
      (CUstream stream, CUevent event, unsigned int flags)) \
  X (cuEventCreate, 2000, (CUevent *event, unsigned int flags)) \
  X (cuEventRecord, 2000, (CUevent event, CUstream stream)) \
  X (cuEventSynchronize, 2000, (CUevent event)) \
  X (cuEventDestroy, 4000, (CUevent event)) \
  X (cuEventElapsedTime, 2000, (float *ms, CUevent start, CUevent end)) \
  X (cuModuleLoadData, 2000, (CUmodule *module, const void *image)) \
  X (cuModuleUnload, 2000, (CUmodule module)) \
  X (cuModuleGetFunction, 2000, \
      (CUfunction *func, CUmodule module, const char *name)) \
  X (cuFuncGetAttribute, 2020, \
      (int *value, CUfunction_attribute attrib, CUfunction func)) \
  X (cuFuncLoad, 12040, (CUfunction func)) \
  X (cuOccupancyMaxActiveBlocksPerMultiprocessor, 6050, \
      (int *blocks, CUfunction func, int block_size, size_t shared_size)) \
  X (cuLaunchKernel, 4000, \
      (CUfunction f, unsigned int grid_x, unsigned int grid_y, \
          unsigned int grid_z, unsigned int block_x, unsigned int block_y, \
          unsigned int block_z, unsigned int shared_size, CUstream stream, \
          void **params, void **extra)) \
  X (cuLaunchCooperativeKernel, 9000, \
      (CUfunction f, unsigned int grid_x, unsigned int grid_y, \
          unsigned int grid_z, unsigned int block_x, unsigned int block_y, \
          unsigned int block_z, unsigned int shared_size, CUstream stream, \
          void **params)) \
  X (cuStreamBeginCapture, 10010, \
      (CUstream stream, CUstreamCaptureMode mode)) \
  X (cuStreamEndCapture, 10000, (CUstream stream, CUgraph *graph)) \
  X (cuGraphInstantiateWithFlags, 11040, \
      (CUgraphExec *exec, CUgraph graph, unsigned long long flags)) \
  X (cuGraphLaunch, 10000, (CUgraphExec exec, CUstream stream)) \
  X (cuGraphExecDestroy, 10000, (CUgraphExec exec)) \
  X (cuGraphDestroy, 10000, (CUgraph graph))

#define GST_RK_NVRTC_RESULTS(X) \
  X (NVRTC_SUCCESS, 0)

/* X (function, return type, parameters) */
#define GST_RK_NVRTC_FUNCTIONS(X) \
  X (nvrtcCreateProgram, nvrtcResult, \
      (nvrtcProgram *prog, const char *src, const char *name, \
          int n_headers, const char *const *headers, \
          const char *const *include_names)) \
  X (nvrtcDestroyProgram, nvrtcResult, (nvrtcProgram *prog)) \
  X (nvrtcCompileProgram, nvrtcResult, \
      (nvrtcProgram prog, int n_options, const char *const *options)) \
  X (nvrtcGetPTXSize, nvrtcResult, (nvrtcProgram prog, size_t *size)) \
  X (nvrtcGetPTX, nvrtcResult, (nvrtcProgram prog, char *ptx)) \
  X (nvrtcGetProgramLogSize, nvrtcResult, (nvrtcProgram prog, size_t *size)) \
  X (nvrtcGetProgramLog, nvrtcResult, (nvrtcProgram prog, char *log)) \
  X (nvrtcGetErrorString, const char *, (nvrtcResult result))

#ifndef GST_RK_CUDA_API_LISTS_ONLY

#include <stddef.h>

#define GST_RK_CUDA_API_CONSTANT(name, value) name = value,

typedef enum { GST_RK_CUDA_RESULTS (GST_RK_CUDA_API_CONSTANT) } CUresult;
typedef enum
{ GST_RK_CUDA_DEVICE_ATTRIBUTES (GST_RK_CUDA_API_CONSTANT) }
CUdevice_attribute;
typedef enum
{ GST_RK_CUDA_FUNCTION_ATTRIBUTES (GST_RK_CUDA_API_CONSTANT) }
CUfunction_attribute;
typedef enum
{ GST_RK_CUDA_CAPTURE_MODES (GST_RK_CUDA_API_CONSTANT) }
CUstreamCaptureMode;
enum { GST_RK_CUDA_FLAGS (GST_RK_CUDA_API_CONSTANT) };
typedef enum { GST_RK_NVRTC_RESULTS (GST_RK_CUDA_API_CONSTANT) } nvrtcResult;

typedef int CUdevice;
typedef unsigned long long CUdeviceptr;
#define GST_RK_CUDA_API_HANDLE(type, st) typedef struct st *type;
GST_RK_CUDA_HANDLES (GST_RK_CUDA_API_HANDLE)
typedef struct _nvrtcProgram *nvrtcProgram;

#define GST_RK_CUDA_API_PFN(name, version, params) \
  typedef CUresult (*PFN_##name##_v##version) params;
GST_RK_CUDA_ENTRY_POINTS (GST_RK_CUDA_API_PFN)

/* Declared, never linked: the loader takes their types (__typeof__) */
#define GST_RK_NVRTC_DECLARE(name, ret, params) ret name params;
GST_RK_NVRTC_FUNCTIONS (GST_RK_NVRTC_DECLARE)

#undef GST_RK_CUDA_API_CONSTANT
#undef GST_RK_CUDA_API_HANDLE
#undef GST_RK_CUDA_API_PFN
#undef GST_RK_NVRTC_DECLARE

#endif /* GST_RK_CUDA_API_LISTS_ONLY */

#endif /* __GST_RK_CUDA_API_H__ */
