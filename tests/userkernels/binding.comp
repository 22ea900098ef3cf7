/* A Vulkan user kernel with a binding rkuser.glsl does not have: refused. */
#version 450
#include "rkuser.glsl"

RK_USER_KERNEL (0, 0);

layout (std430, set = 0, binding = 9) buffer Extra
{
  uint extra[];
};

void
rk_process ()
{
  extra[0] = 1u;
}
