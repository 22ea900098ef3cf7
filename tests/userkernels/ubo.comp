/* A Vulkan user kernel with a uniform buffer where the layout has a
 * storage buffer: refused. */
#version 450
#include "rkuser.glsl"

RK_USER_KERNEL (0, 0);

layout (std140, set = 0, binding = 6) uniform Scratch
{
  uint x;
} scratch;

void
rk_process ()
{
  rk_out[0] = scratch.x;
}
