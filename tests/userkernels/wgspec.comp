/* A Vulkan user kernel whose workgroup size is a specialization constant
 * (which the host would not know): refused. */
#version 450

layout (local_size_x_id = 7) in;
layout (constant_id = 1000) const uint v = 1u;
layout (constant_id = 1001) const uint s = 0u;
layout (constant_id = 1002) const uint f = 0u;

layout (std430, set = 0, binding = 1) buffer Out
{
  uint data[];
};

void
main ()
{
  data[gl_LocalInvocationIndex] = gl_WorkGroupSize.x + v + s + f;
}
