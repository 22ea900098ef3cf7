/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The CUDA backend's device protocol: the structs that host C and CUDA C++
 * both read and write. This header compiles as C11 and as CUDA C++; each
 * struct is checked here against the byte layout in gstrkabi.h, so host and
 * device cannot disagree.
 *
 * Memory of one persistent kernel (DESIGN §6):
 *
 *   mapped pinned host memory:  control block | input ring | output ring |
 *                               stage records (one per input slot)
 *   device memory:              scratch (dispatch record, grid barrier),
 *                               arena slots (frames), kernel state
 *
 * The host (runtime) produces the input ring and consumes the output ring.
 * For every input position P the host's stager fills stage record
 * P % capacity and then sets its seq to P + 1 (by a release store, or by a
 * stream write after the payload's async copy into the arena). The device
 * touches input P only after seeing that seq: it never reads the input ring
 * head. It consumes the input ring (writes its tail) and produces the output
 * ring (writes its head), as any ring consumer and producer do.
 *
 * An output in an arena slot (RK_FLAG_ARENA) carries the slot's device
 * address as its payload_ref: the arena is device memory, addressed from 0.
 * RK_CUDA_REF_INPUT instead says "the input's own payload, unchanged": the
 * host hands on the buffer it sent (no copy back).
 *
 * Outputs. A job has a main output (output 0: a frame, a reply) and may
 * write further outputs, "extras" (NOTIFY events, several replies), as
 * records (RkCudaOutput + payload) into an extras area the host sized for
 * it. They are published in order: the extras, with the main output at
 * index main_at among them (after all of them by default), then the input
 * is released. A kernel that has more to say than its extras area holds
 * (a burst of anomalies) sets `more`: the extras go out, and the same job
 * runs again (round + 1) from its `cursor`, until it is done; the main
 * output goes with the last round. So the extras area bounds device
 * memory, never what a message may emit.
 */
#ifndef __GST_RK_CUDA_PROTOCOL_H__
#define __GST_RK_CUDA_PROTOCOL_H__

#include "gstrkabi.h"

#if defined (__CUDACC_RTC__)
/* NVRTC has no C library headers */
typedef unsigned char uint8_t;
typedef unsigned short uint16_t;
typedef unsigned int uint32_t;
typedef int int32_t;
typedef unsigned long long uint64_t;
typedef long long int64_t;
typedef unsigned long long uintptr_t;
#ifndef offsetof
#define offsetof(type, field) __builtin_offsetof (type, field)
#endif
#define RK_STATIC_ASSERT(cond, msg) static_assert (cond, msg)
#elif defined (__CUDACC__)
#include <stddef.h>
#include <stdint.h>
#define RK_STATIC_ASSERT(cond, msg) static_assert (cond, msg)
#else
#include <stddef.h>
#include <stdint.h>
#define RK_STATIC_ASSERT(cond, msg) _Static_assert (cond, msg)
#endif

/* Small helpers both the host and the device call */
#ifdef __CUDACC__
#define RK_HOSTDEVFN static __host__ __device__ __forceinline__
#else
#define RK_HOSTDEVFN static inline
#endif

#if defined (__CUDACC_RTC__)
/* NVRTC has no offsetof: the nvcc and C builds of this header check the
 * same layout */
#define RK_CHECK_OFFSET(type, field, off) \
  RK_STATIC_ASSERT (1, #type "." #field)
#else
#define RK_CHECK_OFFSET(type, field, off) \
  RK_STATIC_ASSERT (offsetof (type, field) == (off), \
      #type "." #field " must be at byte " #off)
#endif
#define RK_CHECK_SIZE(type, size) \
  RK_STATIC_ASSERT (sizeof (type) == (size), #type " must be " #size " bytes")

/* ---- Copies of the runtime's layouts, for device code ---- */

/* GstRkParams (RK_PARAMS_*) */
typedef struct
{
  uint32_t width;
  uint32_t height;
  uint32_t in_format;
  uint32_t out_format;
  uint32_t in_offset[3];
  uint32_t in_stride[3];
  uint32_t out_offset[3];
  uint32_t out_stride[3];
  uint32_t in_size;
  uint32_t out_size;
  uint32_t channels;
  uint32_t rate;
  float param[RK_PARAMS_N_PARAM];
  uint32_t flags;
  uint32_t sequence;
} RkCudaParams;

RK_CHECK_SIZE (RkCudaParams, RK_PARAMS_SIZE);
RK_CHECK_OFFSET (RkCudaParams, width, RK_PARAMS_OFF_WIDTH);
RK_CHECK_OFFSET (RkCudaParams, height, RK_PARAMS_OFF_HEIGHT);
RK_CHECK_OFFSET (RkCudaParams, in_format, RK_PARAMS_OFF_IN_FORMAT);
RK_CHECK_OFFSET (RkCudaParams, out_format, RK_PARAMS_OFF_OUT_FORMAT);
RK_CHECK_OFFSET (RkCudaParams, in_offset, RK_PARAMS_OFF_IN_OFFSET);
RK_CHECK_OFFSET (RkCudaParams, in_stride, RK_PARAMS_OFF_IN_STRIDE);
RK_CHECK_OFFSET (RkCudaParams, out_offset, RK_PARAMS_OFF_OUT_OFFSET);
RK_CHECK_OFFSET (RkCudaParams, out_stride, RK_PARAMS_OFF_OUT_STRIDE);
RK_CHECK_OFFSET (RkCudaParams, in_size, RK_PARAMS_OFF_IN_SIZE);
RK_CHECK_OFFSET (RkCudaParams, out_size, RK_PARAMS_OFF_OUT_SIZE);
RK_CHECK_OFFSET (RkCudaParams, channels, RK_PARAMS_OFF_CHANNELS);
RK_CHECK_OFFSET (RkCudaParams, rate, RK_PARAMS_OFF_RATE);
RK_CHECK_OFFSET (RkCudaParams, param, RK_PARAMS_OFF_PARAM);
RK_CHECK_OFFSET (RkCudaParams, flags, RK_PARAMS_OFF_FLAGS);
RK_CHECK_OFFSET (RkCudaParams, sequence, RK_PARAMS_OFF_SEQUENCE);

/* The message envelope (RK_ENV_*) */
typedef struct
{
  uint32_t magic;
  uint16_t version;
  uint16_t flags;
  uint32_t type;
  uint32_t payload_size;
  uint64_t message_id;
  uint64_t correlation_id;
  uint32_t source;
  uint32_t dest;
  uint64_t hlc_physical;
  uint32_t hlc_logical;
  uint32_t hlc_node;
  uint64_t payload_ref;
} RkCudaEnvelope;

RK_CHECK_SIZE (RkCudaEnvelope, RK_ENVELOPE_SIZE);
RK_CHECK_OFFSET (RkCudaEnvelope, magic, RK_ENV_OFF_MAGIC);
RK_CHECK_OFFSET (RkCudaEnvelope, version, RK_ENV_OFF_VERSION);
RK_CHECK_OFFSET (RkCudaEnvelope, flags, RK_ENV_OFF_FLAGS);
RK_CHECK_OFFSET (RkCudaEnvelope, type, RK_ENV_OFF_TYPE);
RK_CHECK_OFFSET (RkCudaEnvelope, payload_size, RK_ENV_OFF_PAYLOAD_SIZE);
RK_CHECK_OFFSET (RkCudaEnvelope, message_id, RK_ENV_OFF_MESSAGE_ID);
RK_CHECK_OFFSET (RkCudaEnvelope, correlation_id, RK_ENV_OFF_CORRELATION);
RK_CHECK_OFFSET (RkCudaEnvelope, source, RK_ENV_OFF_SOURCE);
RK_CHECK_OFFSET (RkCudaEnvelope, dest, RK_ENV_OFF_DEST);
RK_CHECK_OFFSET (RkCudaEnvelope, hlc_physical, RK_ENV_OFF_HLC_PHYSICAL);
RK_CHECK_OFFSET (RkCudaEnvelope, hlc_logical, RK_ENV_OFF_HLC_LOGICAL);
RK_CHECK_OFFSET (RkCudaEnvelope, hlc_node, RK_ENV_OFF_HLC_NODE);
RK_CHECK_OFFSET (RkCudaEnvelope, payload_ref, RK_ENV_OFF_PAYLOAD_REF);

/* The ring header (RK_RING_*) */
typedef struct
{
  uint64_t head;
  uint8_t pad0[56];
  uint64_t tail;
  uint8_t pad1[56];
  uint32_t magic;
  uint32_t capacity;
  uint32_t slot_size;
  uint8_t pad2[52];
} RkCudaRingHeader;

RK_CHECK_SIZE (RkCudaRingHeader, RK_RING_HEADER_SIZE);
RK_CHECK_OFFSET (RkCudaRingHeader, head, RK_RING_OFF_HEAD);
RK_CHECK_OFFSET (RkCudaRingHeader, tail, RK_RING_OFF_TAIL);
RK_CHECK_OFFSET (RkCudaRingHeader, magic, RK_RING_OFF_MAGIC);
RK_CHECK_OFFSET (RkCudaRingHeader, capacity, RK_RING_OFF_CAPACITY);
RK_CHECK_OFFSET (RkCudaRingHeader, slot_size, RK_RING_OFF_SLOT_SIZE);

/* ---- The control block (RK_CTRL_*), with CUDA's own device-owned fields
 * in the spare bytes of the device's cache line ---- */

#define RK_CUDA_CTRL_OFF_DISCARDED  88u    /* u64: inputs discarded (flush) */
#define RK_CUDA_CTRL_OFF_ERROR_ARG  96u    /* u64: what the error concerns (a message id) */
#define RK_CUDA_CTRL_OFF_CHECKED_IN 104u   /* u64: blocks of the grid that started */

typedef struct
{
  uint32_t command;             /* host-owned: RK_CMD_* */
  uint32_t pad0;
  uint64_t flush_target;        /* host-owned */
  uint8_t pad1[48];
  uint32_t status;              /* device-owned: RK_STATUS_* */
  uint32_t error;               /* device-owned: RK_CUDA_ERROR_* */
  uint64_t heartbeat;           /* device-owned: bumped while the kernel runs */
  uint64_t processed;           /* device-owned: inputs processed */
  uint64_t discarded;           /* device-owned */
  uint64_t error_arg;           /* device-owned */
  uint64_t checked_in;          /* device-owned: blocks that started */
  uint8_t pad2[16];
} RkCudaControl;

RK_CHECK_SIZE (RkCudaControl, RK_CTRL_SIZE);
RK_CHECK_OFFSET (RkCudaControl, command, RK_CTRL_OFF_COMMAND);
RK_CHECK_OFFSET (RkCudaControl, flush_target, RK_CTRL_OFF_FLUSH_TARGET);
RK_CHECK_OFFSET (RkCudaControl, status, RK_CTRL_OFF_STATUS);
RK_CHECK_OFFSET (RkCudaControl, error, RK_CTRL_OFF_ERROR);
RK_CHECK_OFFSET (RkCudaControl, heartbeat, RK_CTRL_OFF_HEARTBEAT);
RK_CHECK_OFFSET (RkCudaControl, processed, RK_CTRL_OFF_PROCESSED);
RK_CHECK_OFFSET (RkCudaControl, discarded, RK_CUDA_CTRL_OFF_DISCARDED);
RK_CHECK_OFFSET (RkCudaControl, error_arg, RK_CUDA_CTRL_OFF_ERROR_ARG);
RK_CHECK_OFFSET (RkCudaControl, checked_in, RK_CUDA_CTRL_OFF_CHECKED_IN);

/* Device-side faults reported in RkCudaControl.error; the kernel exits. */
#define RK_CUDA_ERROR_NONE              0u
#define RK_CUDA_ERROR_OUTPUT_OVERFLOW   1u   /* an output bigger than its slot */
#define RK_CUDA_ERROR_KERNEL            2u   /* the kernel failed on a message */
#define RK_CUDA_ERROR_BAD_OUTPUT        3u   /* malformed extras records */

/* ---- Stage records: what the host prepared for one input position ---- */

/* Most arena slots of a kernel (frames in flight) */
#define RK_CUDA_MAX_ARENA_SLOTS 16u

/* Flags of a stage record */
#define RK_CUDA_STAGE_DISCARD    0x1u  /* not staged (flush, bad input): discard */
#define RK_CUDA_STAGE_INIT_STATE 0x2u  /* fresh state: run the kernel's init first */

#define RK_CUDA_STAGE_SIZE     256u

/* No PTS (GST_CLOCK_TIME_NONE) */
#define RK_CUDA_NO_TIME        0xFFFFFFFFFFFFFFFFull

typedef struct
{
  uint64_t seq;                 /* input position + 1 once the rest is valid */
  uint32_t flags;               /* RK_CUDA_STAGE_* */
  uint32_t in_size;             /* payload bytes */
  uint64_t in_ptr;              /* device address of the payload in the arena
                                 * (0: the payload is inline in the ring slot) */
  uint64_t out_arena;           /* device address of the output arena, or 0 */
  uint32_t out_slot_size;       /* bytes per output arena slot */
  uint32_t out_slots;           /* output arena slots, <= RK_CUDA_MAX_ARENA_SLOTS */
  uint32_t out_size;            /* bytes output 0 needs (decides inline/arena) */
  uint32_t extra_size;          /* bytes of extras area a round may fill */
  uint64_t state_ptr;           /* device address of the kernel state */
  uint64_t state_size;
  uint64_t blob_ptr;            /* the configuration's read-only tables */
  uint64_t blob_size;
  uint64_t scratch_ptr;         /* per-kernel working memory */
  uint64_t scratch_size;
  uint64_t pts;                 /* the input buffer's PTS, or RK_CUDA_NO_TIME */
  uint8_t pad[24];
  RkCudaParams params;
} RkCudaStage;

RK_CHECK_SIZE (RkCudaStage, RK_CUDA_STAGE_SIZE);
RK_CHECK_OFFSET (RkCudaStage, params, 128);

/* Output arena slot of a job: the main output (if it does not go inline
 * straight into its ring slot) at offset 0, the extras area after it. */
#define RK_CUDA_ALIGN(x, a) (((x) + (a) - 1) / (a) * (a))
#define RK_CUDA_MAIN_ALIGN 256u

/* ---- A job: one message as a kernel's process function sees it ---- */

/* Flags of a job */
#define RK_CUDA_JOB_RESET_STATE 0x1u   /* reset the state instead of processing */
#define RK_CUDA_JOB_SKIP        0x2u   /* nothing to do (unknown control message) */
#define RK_CUDA_JOB_HAS_PAYLOAD 0x4u   /* the input had a payload (maybe empty) */
#define RK_CUDA_JOB_INIT_STATE  0x8u   /* run the kernel's init, then process */

/* Flags of the main output */
#define RK_CUDA_OUT_INPUT       0x1u   /* the input's payload, unchanged */

/* payload_ref of an ARENA output that is the input's own host buffer */
#define RK_CUDA_REF_INPUT       0xFFFFFFFFFFFFFFFFull

/* main_at: the main output after every extra */
#define RK_CUDA_MAIN_LAST       0xFFFFFFFFu

#define RK_CUDA_JOB_SIZE        384u

typedef struct
{
  /* in */
  uint32_t type;                /* RK_MSG_* of the input */
  uint32_t flags;               /* RK_CUDA_JOB_* */
  uint64_t message_id;
  uint64_t correlation_id;
  uint64_t in_ptr;              /* device address of the payload */
  uint64_t out_ptr;             /* device address where output 0 goes */
  uint64_t state_ptr;
  uint64_t state_size;
  uint32_t in_size;
  uint32_t out_capacity;        /* bytes available at out_ptr */
  /* out: the main output, written by the process function (one thread) */
  uint32_t out_type;            /* RK_MSG_* of output 0, or 0 for none */
  uint32_t out_size;
  uint32_t out_arena;           /* in: output 0 goes to an arena slot */
  uint32_t out_flags;           /* RK_CUDA_OUT_* */
  /* extras: records (RkCudaOutput + payload) from extra_ptr on */
  uint64_t extra_ptr;           /* in */
  uint32_t extra_capacity;      /* in: bytes */
  uint32_t extra_count;         /* out: records written */
  uint32_t extra_bytes;         /* out: bytes written */
  uint32_t main_at;             /* out: extras published before output 0 */
  uint32_t round;               /* in: 0, 1, ... while the kernel asks for more */
  uint32_t more;                /* out: run this job again */
  uint64_t cursor;              /* in/out: where the next round starts */
  uint64_t pts;                 /* in: the input's PTS, or RK_CUDA_NO_TIME */
  RkCudaParams params;
  uint64_t blob_ptr;
  uint64_t blob_size;
  uint64_t scratch_ptr;
  uint64_t scratch_size;
  uint64_t hlc_physical;        /* in: the input's HLC stamp */
  uint32_t hlc_logical;
  uint32_t hlc_node;
  uint64_t acc[4];              /* zeroed for each round: grid-wide sums */
  uint32_t error;               /* out: nonzero, the kernel failed on it */
  uint8_t pad1[44];
} RkCudaJob;

RK_CHECK_SIZE (RkCudaJob, RK_CUDA_JOB_SIZE);
RK_CHECK_OFFSET (RkCudaJob, out_type, 64);
RK_CHECK_OFFSET (RkCudaJob, params, 128);
RK_CHECK_OFFSET (RkCudaJob, blob_ptr, 256);

/* One extra output in a job's extras area: this header, then size bytes
 * of payload; records start on RK_CUDA_OUTPUT_ALIGN bytes. */
#define RK_CUDA_OUTPUT_ALIGN    8u

typedef struct
{
  uint32_t type;                /* RK_MSG_* */
  uint32_t size;
} RkCudaOutput;

RK_CHECK_SIZE (RkCudaOutput, 8);

/* Bytes a record of @size payload bytes takes in the extras area */
RK_HOSTDEVFN uint32_t
rk_cuda_output_record_size (uint32_t size)
{
  return (uint32_t) RK_CUDA_ALIGN (sizeof (RkCudaOutput) + (uint64_t) size,
      RK_CUDA_OUTPUT_ALIGN);
}

/* ---- Steps: how the grid runs a job ----
 *
 * A job is a sequence of steps with every thread of the grid in each, and
 * a grid-wide barrier between two (a cooperative grid barrier in
 * persistent kernels, __syncthreads in a one-block batch, separate
 * launches per step for event-driven frames): a reset (zero the state,
 * then the kernel's init), or the init of fresh state and then the
 * kernel's phases. */
#define RK_CUDA_STEP_ZERO       0xFFFFFFFEu
#define RK_CUDA_STEP_INIT       0xFFFFFFFDu
#define RK_CUDA_STEP_NONE       0xFFFFFFFCu

RK_HOSTDEVFN uint32_t
rk_cuda_job_n_steps (uint32_t flags, uint32_t phases, int has_init)
{
  if (flags & RK_CUDA_JOB_SKIP)
    return 0;
  if (flags & RK_CUDA_JOB_RESET_STATE)
    return has_init ? 2 : 1;
  return ((flags & RK_CUDA_JOB_INIT_STATE) && has_init ? 1 : 0) + phases;
}

/* Step @k of a job: RK_CUDA_STEP_ZERO, RK_CUDA_STEP_INIT or a phase */
RK_HOSTDEVFN uint32_t
rk_cuda_job_step (uint32_t flags, int has_init, uint32_t k)
{
  if (flags & RK_CUDA_JOB_SKIP)
    return RK_CUDA_STEP_NONE;
  if (flags & RK_CUDA_JOB_RESET_STATE)
    return k == 0 ? RK_CUDA_STEP_ZERO : RK_CUDA_STEP_INIT;
  if ((flags & RK_CUDA_JOB_INIT_STATE) && has_init)
    return k == 0 ? RK_CUDA_STEP_INIT : k - 1;
  return k;
}

/* ---- Kernel arguments (passed by value) ---- */

/* Entry point names every CUDA kernel module defines */
#define RK_CUDA_ENTRY_PERSISTENT "rk_persistent"
#define RK_CUDA_ENTRY_EVENT      "rk_event"

typedef struct
{
  uint64_t ctrl;                /* device address of the RkCudaControl */
  uint64_t in_ring;             /* input ring: header, then slots */
  uint64_t out_ring;
  uint64_t stages;              /* in_capacity RkCudaStage */
  uint64_t scratch;             /* device memory: RkCudaScratch */
  uint32_t in_capacity;
  uint32_t in_slot_size;
  uint32_t out_capacity;
  uint32_t out_slot_size;
  uint32_t kernel_id;
  uint32_t max_backoff_ns;      /* longest idle sleep */
  uint64_t heartbeat_ns;        /* heartbeat period */
} RkCudaPersistentArgs;

RK_CHECK_SIZE (RkCudaPersistentArgs, 72);

/* What the dispatcher decided; block 0 tells the grid (device memory,
 * zeroed before launch) */
#define RK_CUDA_ACT_NONE    0u         /* nothing yet: poll again */
#define RK_CUDA_ACT_PROCESS 1u
#define RK_CUDA_ACT_EXIT    2u

typedef struct
{
  uint32_t action;              /* RK_CUDA_ACT_* */
  uint32_t barrier_count;       /* blocks arrived at the grid barrier */
  uint32_t barrier_gen;         /* barrier generation */
  uint8_t pad[116];
  RkCudaJob job;
} RkCudaScratch;

RK_CHECK_OFFSET (RkCudaScratch, job, 128);

/* RkCudaEventArgs.step: every step of each job, __syncthreads between */
#define RK_CUDA_ALL_STEPS 0xFFFFFFFFu

typedef struct
{
  uint64_t jobs;                /* device address of n_jobs RkCudaJob */
  uint32_t n_jobs;              /* > 1 only with a single block */
  uint32_t step;                /* one step of one job, or RK_CUDA_ALL_STEPS
                                 * (one block: a job's steps, then the
                                 * next's; stops after a job asking for
                                 * more) */
} RkCudaEventArgs;

RK_CHECK_SIZE (RkCudaEventArgs, 16);

#endif /* __GST_RK_CUDA_PROTOCOL_H__ */
