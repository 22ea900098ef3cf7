/* A Vulkan user kernel whose push constants go beyond rk_params: refused. */
#version 450

layout (local_size_x = 64) in;
layout (constant_id = 1000) const uint v = 1u;
layout (constant_id = 1001) const uint s = 0u;
layout (constant_id = 1002) const uint f = 0u;

layout (push_constant, std430) uniform Params
{
  layout (offset = 128) uint beyond;
} params;

layout (std430, set = 0, binding = 1) buffer Out
{
  uint data[];
};

void
main ()
{
  data[0] = params.beyond + v + s + f;
}
