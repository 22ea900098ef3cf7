/* A Vulkan user kernel with its own workgroup size: refused. */
#version 450
#include "rkuser.glsl"

layout (local_size_x = 32) in;
layout (constant_id = RK_USER_SPEC_ABI_VERSION) const uint v = 1u;
layout (constant_id = RK_USER_SPEC_STATE_SIZE) const uint s = 0u;
layout (constant_id = RK_USER_SPEC_FLAGS) const uint f = 0u;

void
main ()
{
  if (v + s + f != 0u)
    rk_emit (RK_USER_MSG_DATA, 0u);
}
