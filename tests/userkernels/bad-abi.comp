/* A Vulkan user kernel written for another ABI version: refused. */
#version 450
#include "rkuser.glsl"

RK_USER_KERNEL_ABI (2, 8, 0);

void
rk_process ()
{
  rk_emit (RK_USER_MSG_DATA, 0u);
}
