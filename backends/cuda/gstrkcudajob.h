/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * What a kernel's process function may use of its job (C/CUDA subset):
 * typed access to state, blob and scratch, and the extras area, where it
 * writes outputs beyond the main one (NOTIFY events, several replies) as
 * records that are published in order (gstrkcudaprotocol.h, "Outputs").
 *
 * Appending to the extras area is for one thread at a time (usually the
 * grid's thread 0 in a phase of its own). Kernels that write records in
 * parallel compute the record offsets themselves (fixed-size records) and
 * set extra_count and extra_bytes from one thread.
 */
#ifndef __GST_RK_CUDA_JOB_H__
#define __GST_RK_CUDA_JOB_H__

#include "gstrkcudaportable.h"

#define RK_CUDA_JOB_PTR(type, addr) ((type *) (uintptr_t) (addr))

/* Records of @size payload bytes that still fit the extras area */
RK_DEVFN uint32_t
rk_cuda_job_extra_room (const RkCudaJob * job, uint32_t size)
{
  uint32_t rec = rk_cuda_output_record_size (size);

  if (job->extra_bytes >= job->extra_capacity)
    return 0;
  return (job->extra_capacity - job->extra_bytes) / rec;
}

/* Appends a record; returns its payload (@size bytes to fill), or NULL
 * when the extras area is full. One thread at a time. */
RK_DEVFN uint8_t *
rk_cuda_job_extra_append (RkCudaJob * job, uint32_t type, uint32_t size)
{
  RkCudaOutput *rec;

  if (rk_cuda_job_extra_room (job, size) == 0)
    return 0;
  rec = RK_CUDA_JOB_PTR (RkCudaOutput, job->extra_ptr + job->extra_bytes);
  rec->type = type;
  rec->size = size;
  job->extra_bytes += rk_cuda_output_record_size (size);
  job->extra_count++;
  return (uint8_t *) (rec + 1);
}

/* The time of frame @frame of a buffer whose first frame is at @pts, as
 * gst_util_uint64_scale_int (frame, GST_SECOND, rate) adds it (truncated;
 * exact for frame < 2^34). */
RK_DEVFN uint64_t
rk_cuda_frame_time (uint64_t pts, uint64_t frame, uint32_t rate)
{
  if (pts == RK_CUDA_NO_TIME || rate == 0)
    return RK_CUDA_NO_TIME;
  return pts + frame * 1000000000ull / rate;
}

#endif /* __GST_RK_CUDA_JOB_H__ */
