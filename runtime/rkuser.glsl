/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rkuser.glsl: the device side of Vulkan user kernels (see rkuser.h for
 * the concepts). A kernel is a GLSL compute shader that includes this file
 * after its #version line and says once, at file scope,
 *
 *   RK_USER_KERNEL (state_size, flags);
 *
 * and defines the kernel as `void rk_process ()`. The declaration fixes
 * the workgroup (64 x 1 x 1 invocations), defines main () around
 * rk_process () and stamps three
 * specialization constants into the module: the ABI version this file
 * has, the state size used when the element's state-size is 0, and
 * RK_USER_FLAG_*. The loader reads them and refuses a module without them
 * or with another ABI version. Build it to SPIR-V and load the .spv:
 *
 *   glslc -I<gst-ringkernel>/runtime -o counter.spv counter.comp
 *
 * The module's GLCompute entry point is kernel-entry; GLSL compilers name
 * it "main", which the default entry (rk_kernel) also accepts.
 *
 * The host dispatches the shader once per message, in order, with a
 * barrier between messages, over rk_invocations () invocations (at least
 * one per 32-bit word of the output's room, at most 65535 workgroups):
 * share the work out as
 *   for (uint i = rk_invocation (); i < n; i += rk_invocations ())
 * What a kernel sees and does:
 *   rk_message.type, .in_size  the input's RK_USER_MSG_* and payload bytes
 *   rk_in[]                    the payload as little-endian 32-bit words
 *                              (rk_in_byte (i) for one byte)
 *   rk_state[]                 state_size bytes, persistent, zeroed at
 *                              launch and by a reset
 *   rk_params                  the dispatch parameters (push constants)
 *   rk_out[], rk_out_capacity ()  the main output's room, in words
 *   rk_emit (type, size)       one invocation: sends the main output
 *   rk_emit_input (type)       one invocation: sends the input unchanged
 *   rk_emit_extra (type, size) one invocation: another output before the
 *                              main one; returns the index in rk_aux[] of
 *                              its first word, RK_USER_NO_ROOM when this
 *                              message's room is used up
 *   rk_fail ()                 fails the kernel on this message
 * A DATA output answering a REQUEST goes back as its REPLY. Message ids
 * and HLC stamps are not visible to Vulkan kernels.
 *
 * Bindings (set 0) and push constants are the Vulkan backend's bulk
 * layout (backends/vulkan/gstrkvulkanabi.h); a module may use any of them
 * and no others.
 */
#ifndef RK_USER_GLSL
#define RK_USER_GLSL

#define RK_USER_ABI_VERSION 1   /* as rkuser.h */

#define RK_USER_MSG_DATA    1u
#define RK_USER_MSG_REQUEST 2u
#define RK_USER_MSG_REPLY   3u
#define RK_USER_MSG_NOTIFY  4u

#define RK_USER_FLAG_FRAME  1u

#define RK_USER_NO_ROOM     0xffffffffu

/* Specialization constant ids the loader reads */
#define RK_USER_SPEC_ABI_VERSION 1000
#define RK_USER_SPEC_STATE_SIZE  1001
#define RK_USER_SPEC_FLAGS       1002

/* Bytes of extra outputs one message may emit (rk_emit_extra), headers
 * included */
#define RK_USER_AUX_SIZE 16384u

/* The entry point calls the kernel's rk_process () behind a test of the
 * declaration's constants, which are so used and kept by optimizers (an
 * unused specialization constant is dead code to glslc -O). No
 * specialization ever makes the test false: the ABI version is never 0. */
#define RK_USER_KEEP_DECLARATION \
  if (rk_user_abi_version != 0u || rk_user_state_size != 0u || \
      rk_user_flags != 0u)

/* The module's declaration; RK_USER_KERNEL_ABI names the version
 * explicitly (for a file written against another one) */
#define RK_USER_KERNEL_ABI(abi, state_size, flags) \
  layout (local_size_x = 64, local_size_y = 1, local_size_z = 1) in; \
  layout (constant_id = RK_USER_SPEC_ABI_VERSION) const uint \
      rk_user_abi_version = (abi); \
  layout (constant_id = RK_USER_SPEC_STATE_SIZE) const uint \
      rk_user_state_size = (state_size); \
  layout (constant_id = RK_USER_SPEC_FLAGS) const uint \
      rk_user_flags = (flags); \
  void rk_process (); \
  void main () { RK_USER_KEEP_DECLARATION rk_process (); } \
  void rk_process ()            /* the user's ";" ends this prototype */
#define RK_USER_KERNEL(state_size, flags) \
  RK_USER_KERNEL_ABI (RK_USER_ABI_VERSION, state_size, flags)

/* The dispatch parameters, byte for byte rkuser.h's rk_params */
layout (push_constant, std430) uniform RkUserParams
{
  uint width, height;
  uint in_format, out_format;
  uint in_offset[3], in_stride[3];
  uint out_offset[3], out_stride[3];
  uint in_size, out_size;
  uint channels, rate;
  float param[10];
  uint flags, sequence;
} rk_params;

layout (std430, set = 0, binding = 0) readonly buffer RkUserIn
{
  uint rk_in[];
};

layout (std430, set = 0, binding = 1) buffer RkUserOut
{
  uint rk_out[];
};

/* The message's information block (RKV_INFO_* of gstrkvulkanabi.h) */
layout (std430, set = 0, binding = 2) buffer RkUserInfo
{
  uint in_size;
  uint type;
  uint out_capacity;
  uint out_size;
  uint out_type;
  uint error;
  uint pts_lo, pts_hi;
} rk_message;

layout (std430, set = 0, binding = 3) buffer RkUserState
{
  uint rk_state[];
};

/* Extra outputs: [0] bytes of records, [1] RK_USER_AUX_*, then records
 * { type, size, payload words } */
layout (std430, set = 0, binding = 5) buffer RkUserAux
{
  uint rk_aux[];
};

#define RK_USER_AUX_EMIT_INPUT 1u

uint
rk_invocation ()
{
  return gl_WorkGroupID.x * 64u + gl_LocalInvocationIndex;
}

uint
rk_invocations ()
{
  return gl_NumWorkGroups.x * 64u;
}

uint
rk_in_byte (uint i)
{
  return (rk_in[i >> 2] >> ((i & 3u) * 8u)) & 0xffu;
}

uint
rk_out_capacity ()
{
  return rk_message.out_capacity;
}

void
rk_emit (uint type, uint size)
{
  rk_message.out_type = type;
  rk_message.out_size = size;
}

void
rk_emit_input (uint type)
{
  rk_message.out_type = type;
  rk_message.out_size = 0u;
  rk_aux[1] |= RK_USER_AUX_EMIT_INPUT;
}

uint
rk_emit_extra (uint type, uint size)
{
  uint bytes = 8u + ((size + 3u) & ~3u);
  uint at = atomicAdd (rk_aux[0], bytes);

  if (at + bytes > RK_USER_AUX_SIZE - 8u)
    return RK_USER_NO_ROOM;
  rk_aux[2u + at / 4u] = type;
  rk_aux[3u + at / 4u] = size;
  return 4u + at / 4u;
}

void
rk_fail ()
{
  rk_message.error = 1u;
}

#endif /* RK_USER_GLSL */
