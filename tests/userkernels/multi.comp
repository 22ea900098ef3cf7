/* A Vulkan user kernel with several outputs per message: a NOTIFY
 * holding the input's size and first word, then the input unchanged. */
#version 450
#include "rkuser.glsl"

RK_USER_KERNEL (0, 0);

void
rk_process ()
{
  uint at;

  if (rk_invocation () != 0u)
    return;
  at = rk_emit_extra (RK_USER_MSG_NOTIFY, 8u);
  if (at == RK_USER_NO_ROOM) {
    rk_fail ();
    return;
  }
  rk_aux[at] = rk_message.in_size;
  rk_aux[at + 1u] = rk_in[0];
  rk_emit_input (RK_USER_MSG_DATA);
}
