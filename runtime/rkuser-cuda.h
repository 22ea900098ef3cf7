/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rkuser-cuda.h: the device side of CUDA user kernels (see rkuser.h for
 * the concepts). A kernel is a .cu file, compiled at run time by NVRTC
 * with this header already included (do not include it yourself; no C
 * library headers are available), that defines
 *
 *   __device__ int <entry> (rk_cuda_message *msg)
 *
 * (`rk_kernel` unless kernel-entry names another) and says once
 *
 *   RK_USER_KERNEL (state_size, flags);
 *
 * which stamps the ABI version this header has, the state size used when
 * the element's state-size is 0, and RK_USER_FLAG_* into the module; the
 * loader refuses a module without it or with another ABI version.
 *
 * Every thread of the grid calls <entry> for each message, in order
 * (msg->thread of msg->threads: share the work out as
 * for (i = msg->thread; i < n; i += msg->threads)). Return 0, or nonzero
 * from any thread to fail the kernel. Outputs:
 *   rk_cuda_output (msg, size)     the main output's bytes (any thread
 *                                  writes them), NULL if over its room
 *   rk_cuda_emit (msg, type, size) one thread: sends the main output
 *   rk_cuda_emit_input (msg, type) one thread: sends the input unchanged
 *   rk_cuda_emit_extra (msg, type, size)
 *                                  one thread: another output before the
 *                                  main one; returns its bytes to fill, or
 *                                  NULL when this message's room is used up
 * A DATA output answering a REQUEST goes back as its REPLY. State lives on
 * the device across messages, zeroed at launch and by a reset.
 */
#ifndef __RK_USER_CUDA_H__
#define __RK_USER_CUDA_H__

#ifndef RK_USER_ABI_VERSION
#define RK_USER_ABI_VERSION 1   /* as rkuser.h */
#endif

#define RK_USER_MSG_DATA    1u
#define RK_USER_MSG_REQUEST 2u
#define RK_USER_MSG_REPLY   3u
#define RK_USER_MSG_NOTIFY  4u

#define RK_USER_FLAG_FRAME (1u << 0)

/* The dispatch parameters, as rkuser.h's rk_params */
typedef struct
{
  unsigned int width, height;
  unsigned int in_format, out_format;
  unsigned int in_offset[3], in_stride[3];
  unsigned int out_offset[3], out_stride[3];
  unsigned int in_size, out_size;
  unsigned int channels, rate;
  float param[10];
  unsigned int flags, sequence;
} rk_params;

typedef struct
{
  unsigned long long physical;
  unsigned int logical;
  unsigned int node;
} rk_hlc;

typedef struct
{
  unsigned int type;            /* RK_USER_MSG_* */
  unsigned int size;            /* bytes of data */
  unsigned long long message_id;
  unsigned long long correlation_id;
  rk_hlc hlc;                   /* the input's stamp */
  const unsigned char *data;    /* the input payload, in device memory */
  unsigned char *state;         /* state_size bytes, persistent */
  unsigned long long state_size;
  const rk_params *params;
  unsigned long long thread;    /* this thread's index in the grid */
  unsigned long long threads;   /* threads in the grid */
  void *priv;                   /* the runtime's */
} rk_cuda_message;

__device__ unsigned char *rk_cuda_output (rk_cuda_message * msg,
    unsigned int size);
__device__ void rk_cuda_emit (rk_cuda_message * msg, unsigned int type,
    unsigned int size);
__device__ void rk_cuda_emit_input (rk_cuda_message * msg, unsigned int type);
__device__ unsigned char *rk_cuda_emit_extra (rk_cuda_message * msg,
    unsigned int type, unsigned int size);

/* The module's declaration; RK_USER_KERNEL_ABI names the version
 * explicitly (for a file written against another one) */
#define RK_USER_KERNEL_ABI(abi, state_size, flags) \
  extern "C" __device__ const unsigned int rk_user_abi_version = (abi); \
  extern "C" __device__ const unsigned long long rk_user_state_size = \
      (state_size); \
  extern "C" __device__ const unsigned int rk_user_flags = (flags)
#define RK_USER_KERNEL(state_size, flags) \
  RK_USER_KERNEL_ABI (RK_USER_ABI_VERSION, state_size, flags)

#endif /* __RK_USER_CUDA_H__ */
