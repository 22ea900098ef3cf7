/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rkuser.h: the ABI of user-defined ring kernels.
 *
 * A user kernel is loaded at run time by the `ringkernel` element
 * (kernel-file=..., kernel-entry=...) or by gst_rk_user_kernel_load(). The
 * concepts are the same on every backend:
 *
 *   message in    the input's type, ids, payload bytes and HLC stamp
 *   kernel state  state-size bytes that live on the device across messages,
 *                 zeroed at launch, kept across deactivation
 *   messages out  zero or more outputs per input, each a run of bytes; a
 *                 REQUEST's outputs are REPLYs to it
 *   parameters    the 128-byte rk_params (frame or audio layout from the
 *                 caps, and ten floats from the element's `params`)
 *
 * CPU: a shared object exporting a function, `rk_kernel` unless
 *   kernel-entry names another, that returns a `const rk_cpu_kernel *`
 *   whose abi_version is RK_USER_ABI_VERSION. Build it with
 *   `cc -shared -fPIC -o counter.so counter.c` (no library to link).
 * CUDA: a .cu file with a device function
 *   `__device__ int <entry> (rk_cuda_message *msg)`, compiled at run time by
 *   NVRTC against rkuser-cuda.h (see that header).
 * Vulkan: a SPIR-V compute module whose bindings and push constants follow
 *   rkuser.glsl (see that file).
 *
 * This header is plain C99 with no GLib: users build against it alone.
 */
#ifndef __RK_USER_H__
#define __RK_USER_H__

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped when anything below changes incompatibly; the loader refuses a
 * kernel built for another version. */
#define RK_USER_ABI_VERSION 1

/* Message types (the envelope's, RK_MSG_* in gstrkabi.h) */
#define RK_USER_MSG_DATA    1u
#define RK_USER_MSG_REQUEST 2u
#define RK_USER_MSG_REPLY   3u
#define RK_USER_MSG_NOTIFY  4u

/* The dispatch parameters, byte for byte RK_PARAMS_* of gstrkabi.h. */
typedef struct
{
  uint32_t width, height;       /* pixels, for video caps */
  uint32_t in_format, out_format;
  uint32_t in_offset[3], in_stride[3];
  uint32_t out_offset[3], out_stride[3];
  uint32_t in_size, out_size;   /* bytes of one frame */
  uint32_t channels, rate;      /* for audio caps */
  float param[10];              /* the element's params: param0 .. param9 */
  uint32_t flags, sequence;
} rk_params;

/* A hybrid logical clock stamp: (microseconds, logical, node). */
typedef struct
{
  uint64_t physical;
  uint32_t logical;
  uint32_t node;
} rk_hlc;

typedef struct rk_cpu_message rk_cpu_message;

/* What a CPU kernel sees of one message, and how it answers. */
struct rk_cpu_message
{
  uint32_t type;                /* RK_USER_MSG_* */
  uint64_t message_id;
  uint64_t correlation_id;
  rk_hlc hlc;                   /* the input's stamp */
  const uint8_t *data;          /* the input payload */
  size_t size;
  void *state;                  /* state-size bytes, persistent */
  size_t state_size;
  const rk_params *params;

  /* Outputs: alloc() returns @size writable bytes for the next output (NULL
   * if memory runs out); emit() sends them as a message of @type. Both
   * return 0 / non-NULL, or fail when the kernel is stopping (return then). */
  uint8_t *(*alloc) (rk_cpu_message * msg, size_t size);
  int (*emit) (rk_cpu_message * msg, uint32_t type);
  /* Sends the input payload on unchanged, without a copy; msg->data is
   * gone afterwards. */
  int (*emit_input) (rk_cpu_message * msg, uint32_t type);
  /* Runs fn over [0, n) split in contiguous ranges on every core (for
   * frame kernels: rows). */
  void (*parallel_for) (rk_cpu_message * msg, uint32_t n,
      void (*fn) (uint32_t begin, uint32_t end, void *data), void *data);

  void *reserved[4];
  void *priv;                   /* the runtime's */
};

/* The descriptor a CPU kernel's entry point returns. */
typedef struct
{
  uint32_t abi_version;         /* RK_USER_ABI_VERSION */
  const char *name;             /* for stats and errors */
  size_t state_size;            /* used when the element's state-size is 0 */
  uint32_t flags;               /* RK_USER_FLAG_* */
  /* Called once per message, in order. Return 0, or nonzero to fail the
   * kernel (the element posts an error naming the message). */
  int (*process) (rk_cpu_message * msg);
  /* Optional: puts initial state in place (instead of zeros). */
  void (*init_state) (void *state, size_t size, const rk_params * params);
  void *reserved[8];
} rk_cpu_kernel;

/* A data-parallel kernel on whole frames: mode=auto runs it event-driven
 * (persistent for message actors otherwise). */
#define RK_USER_FLAG_FRAME (1u << 0)

typedef const rk_cpu_kernel *(*rk_cpu_entry) (void);

#ifdef __cplusplus
}
#endif

#endif /* __RK_USER_H__ */
