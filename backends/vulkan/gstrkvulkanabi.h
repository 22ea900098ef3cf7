/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The Vulkan backend's part of the device ABI: byte layouts and constants
 * shared by its host C code and its GLSL (preprocessor definitions only, as
 * in runtime/gstrkabi.h, which this extends).
 */
#ifndef GST_RK_VULKAN_ABI_H
#define GST_RK_VULKAN_ABI_H

/* ---- Control block: RK_CTRL_* (128 bytes), then these fields ---- */

#define RKV_CTRL_OFF_BUDGET      128u   /* u32 host: loop iterations this dispatch may use */
#define RKV_CTRL_OFF_STOP        132u   /* u32 device: why the dispatch ended, RKV_STOP_* */
#define RKV_CTRL_OFF_DONE        136u   /* u32 device: messages processed in this dispatch */
#define RKV_CTRL_OFF_ERROR_POS   144u   /* u64 device: position of the message that failed */
#define RKV_CTRL_OFF_FLUSHED     152u   /* u64 device: inputs discarded, in total */
#define RKV_CTRL_OFF_LIMIT       160u   /* u64 host: the device takes inputs below this */
#define RKV_CTRL_SIZE            256u

/* RKV_CTRL_OFF_LIMIT: inputs are released to the device once the host saw
 * they run under the configuration the dispatch was recorded with. This
 * bit says the input at the limit has another one: the dispatch ends
 * there, and the host records the next with it. */
#define RKV_LIMIT_BREAK_BIT      63u

/* Why a persistent dispatch ended */
#define RKV_STOP_BUDGET          1u     /* its loop budget is spent */
#define RKV_STOP_COMMAND         2u     /* the command is no longer RUN */
#define RKV_STOP_HOST            3u     /* the next message needs the host (or another configuration) */
#define RKV_STOP_OUTPUT_FULL     4u     /* the output queue stayed full */
#define RKV_STOP_ERROR           5u     /* RK_CTRL_OFF_ERROR says what */

/* Device-side faults (RK_CTRL_OFF_ERROR, RKV_INFO_OFF_ERROR) */
#define RKV_ERROR_MALFORMED      1u     /* a payload larger than its slot */
#define RKV_ERROR_OUTPUT         2u     /* an output larger than the room for it */
#define RKV_ERROR_CUT            3u     /* the iteration limit cut the dispatch short */

/* Lavapipe ends every loop of an invocation after 65,535 iterations in
 * total. A persistent dispatch counts them, a poll as one and a message
 * (a pass of its outer loop) as RKV_PASS_COST, and stops at
 * RKV_POLL_BUDGET_MAX. */
#define RKV_POLL_BUDGET_MAX      60000u
#define RKV_PASS_COST            4u

/* Ring slots of persistent kernels: an envelope, then this much inline
 * payload (a multiple of 16; ring shaders copy it unrolled) */
#define RKV_INLINE_MAX           192u

/* ---- Bulk dispatches: one message, many workgroups ---- */

/* Per-message information, written by the host before the dispatch and
 * completed by the device */
#define RKV_INFO_OFF_IN_SIZE     0u     /* u32 host: payload bytes */
#define RKV_INFO_OFF_TYPE        4u     /* u32 host: RK_MSG_* */
#define RKV_INFO_OFF_OUT_CAPACITY 8u    /* u32 host: bytes of room for the output */
#define RKV_INFO_OFF_OUT_SIZE    12u    /* u32 device: output bytes */
#define RKV_INFO_OFF_OUT_TYPE    16u    /* u32 device: RK_MSG_*, 0 = no output */
#define RKV_INFO_OFF_ERROR       20u    /* u32 device: RKV_ERROR_*, 0 = none */
#define RKV_INFO_OFF_PTS         24u    /* u64 host: the input's PTS, ~0 = none */
#define RKV_INFO_SIZE            32u

/* A bulk kernel may run as several passes per message, each a dispatch
 * over the whole grid after the one before (a barrier between): the pass
 * is gl_WorkGroupID.z (the dispatch's base group), so such kernels have
 * grids one workgroup deep. */

/* ---- Descriptor bindings (set 0) ---- */

#define RKV_BINDING_CTRL         0      /* ring: control block */
#define RKV_BINDING_IN_RING      1      /* ring: input ring */
#define RKV_BINDING_OUT_RING     2      /* ring: output ring */
#define RKV_BINDING_BULK_IN      0      /* bulk: input payload (dynamic offset) */
#define RKV_BINDING_BULK_OUT     1      /* bulk: output payload (dynamic offset) */
#define RKV_BINDING_BULK_INFO    2      /* bulk: RKV_INFO_* (dynamic offset) */
#define RKV_BINDING_STATE        3      /* both: the kernel's device state */
#define RKV_BINDING_BLOB         4      /* bulk: the configuration's blob, read-only */
#define RKV_BINDING_BULK_AUX     5      /* bulk: per-message extra outputs (dynamic
                                         * offset), zeroed by the host */
#define RKV_BINDING_SCRATCH      6      /* bulk: device-only scratch shared by the
                                         * messages of a submission */
#define RKV_BULK_BINDINGS        7

/* Specialization constant 0 of ring shaders: the subgroup size, which is
 * also their workgroup size (one subgroup spins, all lanes active). */
#define RKV_SPEC_SUBGROUP_SIZE   0

#endif /* GST_RK_VULKAN_ABI_H */
