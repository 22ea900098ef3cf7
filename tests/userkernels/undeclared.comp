/* A Vulkan user kernel without RK_USER_KERNEL: refused. */
#version 450
#include "rkuser.glsl"

layout (local_size_x = 64) in;

void
main ()
{
  rk_emit (RK_USER_MSG_DATA, 0u);
}
