/* gst-ringkernel
 * Copyright (C) 2026 gst-ringkernel developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The device ABI: byte layouts shared by host C, CUDA and GLSL.
 *
 * This header holds preprocessor definitions only, so that C, CUDA C++ and
 * GLSL (through GL_GOOGLE_include_directive) can all include it. Each side
 * declares its own structs and checks them against these offsets with static
 * asserts; tests/test-envelope.c also checks the host encoding byte by byte.
 *
 * Everything is little-endian. All offsets are in bytes.
 */
#ifndef GST_RK_ABI_H
#define GST_RK_ABI_H

/* ---- Message envelope: one 64-byte header, then (optionally) the payload ---- */

#define RK_ENVELOPE_MAGIC        0x56454B52u   /* "RKEV" read as LE u32 */
#define RK_ENVELOPE_VERSION      1u
#define RK_ENVELOPE_SIZE         64u

#define RK_ENV_OFF_MAGIC         0u    /* u32 */
#define RK_ENV_OFF_VERSION       4u    /* u16 */
#define RK_ENV_OFF_FLAGS         6u    /* u16 */
#define RK_ENV_OFF_TYPE          8u    /* u32 */
#define RK_ENV_OFF_PAYLOAD_SIZE  12u   /* u32 */
#define RK_ENV_OFF_MESSAGE_ID    16u   /* u64 */
#define RK_ENV_OFF_CORRELATION   24u   /* u64 */
#define RK_ENV_OFF_SOURCE        32u   /* u32 kernel id, 0 = host */
#define RK_ENV_OFF_DEST          36u   /* u32 kernel id, 0 = host */
#define RK_ENV_OFF_HLC_PHYSICAL  40u   /* u64 microseconds since the Unix epoch */
#define RK_ENV_OFF_HLC_LOGICAL   48u   /* u32 */
#define RK_ENV_OFF_HLC_NODE      52u   /* u32 */
#define RK_ENV_OFF_PAYLOAD_REF   56u   /* u64, meaning set by the flags */

/* Message types */
#define RK_MSG_DATA              1u    /* stream data (a buffer) */
#define RK_MSG_REQUEST           2u    /* expects a REPLY with the same correlation id */
#define RK_MSG_REPLY             3u
#define RK_MSG_NOTIFY            4u    /* kernel-originated event (motion, anomaly, ...) */
#define RK_MSG_CONTROL           5u    /* runtime to kernel: reset state, ... */
#define RK_MSG_TYPE_MAX          5u

/* Flags: where the payload lives, plus framing bits */
#define RK_FLAG_INLINE           0x0001u  /* payload follows the header in the slot */
#define RK_FLAG_ARENA            0x0002u  /* payload_ref is an offset into the device arena */
#define RK_FLAG_HOST             0x0004u  /* payload is a host buffer kept beside the slot */
#define RK_FLAG_MORE             0x0008u  /* more outputs for the same input follow */
#define RK_FLAG_DISCONT          0x0010u
#define RK_FLAG_KNOWN_MASK       0x001Fu
#define RK_FLAG_PAYLOAD_MASK     0x0007u

/* Control message payload_ref values */
#define RK_CONTROL_RESET_STATE   1u

/* ---- SPSC ring: header, then capacity slots of slot_size bytes ----
 * head and tail are monotonic 64-bit positions on cache lines of their own.
 * The producer writes only head, the consumer writes only tail. */

#define RK_RING_MAGIC            0x47524B52u   /* "RKRG" */
#define RK_RING_OFF_HEAD         0u     /* u64, producer-owned */
#define RK_RING_OFF_TAIL         64u    /* u64, consumer-owned */
#define RK_RING_OFF_MAGIC        128u   /* u32, written once at format time */
#define RK_RING_OFF_CAPACITY     132u   /* u32, a power of two */
#define RK_RING_OFF_SLOT_SIZE    136u   /* u32, a multiple of 64, >= 64 */
#define RK_RING_HEADER_SIZE      192u
#define RK_RING_SLOT_ALIGN       64u

/* ---- Control block of a persistent device kernel (CUDA, Vulkan) ---- */

#define RK_CTRL_OFF_COMMAND      0u     /* u32, host-owned: RK_CMD_* */
#define RK_CTRL_OFF_FLUSH_TARGET 8u     /* u64, host-owned: discard inputs below this position */
#define RK_CTRL_OFF_STATUS       64u    /* u32, device-owned: RK_STATUS_* */
#define RK_CTRL_OFF_ERROR        68u    /* u32, device-owned: nonzero on a device-side fault */
#define RK_CTRL_OFF_HEARTBEAT    72u    /* u64, device-owned: bumped while the kernel runs */
#define RK_CTRL_OFF_PROCESSED    80u    /* u64, device-owned: inputs consumed */
#define RK_CTRL_SIZE             128u

#define RK_CMD_RUN               1u
#define RK_CMD_PAUSE             2u
#define RK_CMD_TERMINATE         3u

#define RK_STATUS_IDLE           0u
#define RK_STATUS_RUNNING        1u
#define RK_STATUS_PAUSED         2u
#define RK_STATUS_EXITED         3u

/* ---- Dispatch parameters: 128 bytes handed to every kernel invocation ----
 * (push constants in Vulkan, a by-value argument in CUDA, a struct on CPU) */

#define RK_PARAMS_SIZE           128u
#define RK_PARAMS_OFF_WIDTH      0u     /* u32 pixels, or audio frames per message */
#define RK_PARAMS_OFF_HEIGHT     4u     /* u32 */
#define RK_PARAMS_OFF_IN_FORMAT  8u     /* u32 RK_FORMAT_* */
#define RK_PARAMS_OFF_OUT_FORMAT 12u    /* u32 RK_FORMAT_* */
#define RK_PARAMS_OFF_IN_OFFSET  16u    /* u32[3] plane offsets */
#define RK_PARAMS_OFF_IN_STRIDE  28u    /* u32[3] plane strides */
#define RK_PARAMS_OFF_OUT_OFFSET 40u    /* u32[3] */
#define RK_PARAMS_OFF_OUT_STRIDE 52u    /* u32[3] */
#define RK_PARAMS_OFF_IN_SIZE    64u    /* u32 bytes of one input frame */
#define RK_PARAMS_OFF_OUT_SIZE   68u    /* u32 bytes of one output frame */
#define RK_PARAMS_OFF_CHANNELS   72u    /* u32 audio channels */
#define RK_PARAMS_OFF_RATE       76u    /* u32 audio rate */
#define RK_PARAMS_OFF_PARAM      80u    /* f32[10] kernel parameters */
#define RK_PARAMS_OFF_FLAGS      120u   /* u32 */
#define RK_PARAMS_OFF_SEQUENCE   124u   /* u32 configuration generation */
#define RK_PARAMS_N_PARAM        10u

#define RK_FORMAT_UNKNOWN        0u
#define RK_FORMAT_GRAY8          1u
#define RK_FORMAT_RGBA           2u
#define RK_FORMAT_BGRA           3u
#define RK_FORMAT_RGBX           4u
#define RK_FORMAT_BGRX           5u
#define RK_FORMAT_NV12           6u
#define RK_FORMAT_I420           7u
#define RK_FORMAT_F32LE          8u     /* interleaved float samples */
#define RK_FORMAT_BYTES          9u     /* opaque bytes */

#endif /* GST_RK_ABI_H (no double underscores: GLSL reserves them) */
