/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The vector passes of rkblur (see gstrkcpublur.c), written once for a
 * vector of BS_N 32-bit lanes: gstrkcpublur.c includes this file for AVX2
 * (8 lanes) and AVX-512 (16 lanes) with the BS_ macros set, which it
 * undefines after each use. The layouts follow the width: a block is 2 ×
 * BS_N elements, stored as the BS_N words of its even pixels, then the
 * BS_N of its odd pixels.
 */

#define BS_BLOCK (2 * BS_N)

/* acc + the pairwise products of the 16-bit lanes of a and w, in 32 bits */
#define BS_MADD_ACC(acc, a, w) BS_ADD (BS_MADD ((a), (w)), (acc))

/* (H_a - 32768, H_b - 32768) in 16-bit halves, from the 32-bit sums + 8:
 * H ≤ 65280 fits the low half, and x ^ 0x8000 is x - 32768 in 16 bits. */
#define BS_H_PAIR(a, b) BS_XOR (BS_OR (BS_SRLI ((a), 4), \
        BS_SLLI (BS_SRLI ((b), 4), 16)), BS_SET1 ((gint32) 0x80008000u))

/* n bytes (a multiple of BS_BLOCK, starting at an even pixel) as 16-bit
 * lanes in pixel pairs: each 32-bit word holds one channel of two
 * neighbouring pixels, (P[2m], P[2m + 1]); word m · bpp + c is channel c
 * of pair m. */
static BS_TARGET void
BS_NAME (widen_pairs) (const guint8 * b, guint bpp, guint16 * u, gsize n)
{
  /* RGBA R0 G0 B0 A0 R1 G1 B1 A1 → R0 R1 G0 G1 B0 B1 A0 A1 */
  const BS_BVEC order = bpp == 4 ?
      BS_ORDER_BYTES (0, 4, 1, 5, 2, 6, 3, 7, 8, 12, 9, 13, 10, 14, 11, 15) :
      BS_ORDER_BYTES (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  gsize i;

  for (i = 0; i < n; i += BS_BLOCK)
    BS_STORE (u + i, BS_WIDEN (b + i, order));
}

/* The horizontal pass of rows a and b for n elements (a multiple of two
 * blocks) from the pixel-pair rows ua, ub (which start R pixels left of
 * the first element), as (H_a, H_b) pairs; two blocks at a time, so that
 * eight sums stay in registers across the taps. */
static BS_TARGET void
BS_NAME (horizontal_pair) (const guint16 * ua, const guint16 * ub,
    guint32 * out, gsize n, guint bpp, const BlurPairs * bp)
{
  const BS_VEC round = BS_SET1 (8);
  gsize e;
  guint k;

  for (e = 0; e < n; e += 2 * BS_BLOCK) {
    BS_VEC ea0 = round, oa0 = round, eb0 = round, ob0 = round;
    BS_VEC ea1 = round, oa1 = round, eb1 = round, ob1 = round;

    for (k = 0; k <= bp->R; k++) {
      const BS_VEC we = BS_SET1 (bp->even[k]);
      const BS_VEC wo = BS_SET1 (bp->odd[k]);
      /* BS_N words from 16-bit index e + 2 k · bpp: the pixel pairs from
       * the block's first pixel - R + 2k */
      const gsize o = e + (gsize) 2 * k * bpp;
      BS_VEC p = BS_LOAD (ua + o);

      ea0 = BS_MADD_ACC (ea0, p, we);
      oa0 = BS_MADD_ACC (oa0, p, wo);
      p = BS_LOAD (ub + o);
      eb0 = BS_MADD_ACC (eb0, p, we);
      ob0 = BS_MADD_ACC (ob0, p, wo);
      p = BS_LOAD (ua + o + BS_BLOCK);
      ea1 = BS_MADD_ACC (ea1, p, we);
      oa1 = BS_MADD_ACC (oa1, p, wo);
      p = BS_LOAD (ub + o + BS_BLOCK);
      eb1 = BS_MADD_ACC (eb1, p, we);
      ob1 = BS_MADD_ACC (ob1, p, wo);
    }
    BS_STORE (out + e, BS_H_PAIR (ea0, eb0));
    BS_STORE (out + e + BS_N, BS_H_PAIR (oa0, ob0));
    BS_STORE (out + e + 2 * BS_N, BS_H_PAIR (ea1, eb1));
    BS_STORE (out + e + 3 * BS_N, BS_H_PAIR (oa1, ob1));
  }
}

/* 2 × BS_BLOCK output bytes in pixel order from the vertical sums of two
 * blocks (their even and odd pixels). */
static inline BS_TARGET BS_VEC
BS_NAME (vertical_bytes) (BS_VEC e0, BS_VEC o0, BS_VEC e1, BS_VEC o1,
    guint bpp)
{
  e0 = BS_SRLI (e0, 20);
  o0 = BS_SRLI (o0, 20);
  e1 = BS_SRLI (e1, 20);
  o1 = BS_SRLI (o1, 20);
  if (bpp == 1) {
    /* lane i: pixels 2i, 2i + 1 as two bytes */
    e0 = BS_PACKUS32 (BS_OR (e0, BS_SLLI (o0, 8)), BS_OR (e1, BS_SLLI (o1,
                8)));
  } else {
    /* per 128 bits: an even pixel's 4 channels, then the odd one's */
    e0 = BS_PACKUS16 (BS_PACKS32 (e0, o0), BS_PACKS32 (e1, o1));
  }
  return BS_ORDER (e0);
}

/* 32768 · 4096 undoes the bias (the weights add up to 4096); 2^19
 * rounds. */
#define BS_V_INIT BS_SET1 (32768 * 4096 + (1 << 19))
#define BS_V_LOAD(h, i) BS_LOAD ((h) + BS_N * (i))

/* The vertical pass of one row of a strip, n elements, from np row pairs
 * with pair weights wv[k] = (W_a, W_b): four blocks at a time (eight
 * accumulators stay in registers across the pairs), then two. */
static BS_TARGET void
BS_NAME (vertical_row) (guint32 * const *pairs, const gint32 * wv,
    guint np, guint8 * out, gsize n, guint bpp)
{
  guint8 tail[2 * BS_BLOCK];
  gsize e;
  guint k;

  for (e = 0; e + 4 * BS_BLOCK <= n; e += 4 * BS_BLOCK) {
    BS_VEC a0 = BS_V_INIT, a1 = a0, a2 = a0, a3 = a0;
    BS_VEC a4 = a0, a5 = a0, a6 = a0, a7 = a0;

    for (k = 0; k < np; k++) {
      const BS_VEC w = BS_SET1 (wv[k]);
      const guint32 *h = pairs[k] + e;

      a0 = BS_MADD_ACC (a0, BS_V_LOAD (h, 0), w);
      a1 = BS_MADD_ACC (a1, BS_V_LOAD (h, 1), w);
      a2 = BS_MADD_ACC (a2, BS_V_LOAD (h, 2), w);
      a3 = BS_MADD_ACC (a3, BS_V_LOAD (h, 3), w);
      a4 = BS_MADD_ACC (a4, BS_V_LOAD (h, 4), w);
      a5 = BS_MADD_ACC (a5, BS_V_LOAD (h, 5), w);
      a6 = BS_MADD_ACC (a6, BS_V_LOAD (h, 6), w);
      a7 = BS_MADD_ACC (a7, BS_V_LOAD (h, 7), w);
    }
    BS_STORE (out + e, BS_NAME (vertical_bytes) (a0, a1, a2, a3, bpp));
    BS_STORE (out + e + 2 * BS_BLOCK, BS_NAME (vertical_bytes) (a4, a5, a6,
            a7, bpp));
  }
  /* the ring's rows are a multiple of two blocks long */
  for (; e < n; e += 2 * BS_BLOCK) {
    BS_VEC a0 = BS_V_INIT, a1 = a0, a2 = a0, a3 = a0;

    for (k = 0; k < np; k++) {
      const BS_VEC w = BS_SET1 (wv[k]);
      const guint32 *h = pairs[k] + e;

      a0 = BS_MADD_ACC (a0, BS_V_LOAD (h, 0), w);
      a1 = BS_MADD_ACC (a1, BS_V_LOAD (h, 1), w);
      a2 = BS_MADD_ACC (a2, BS_V_LOAD (h, 2), w);
      a3 = BS_MADD_ACC (a3, BS_V_LOAD (h, 3), w);
    }
    if (e + 2 * BS_BLOCK <= n) {
      BS_STORE (out + e, BS_NAME (vertical_bytes) (a0, a1, a2, a3, bpp));
    } else {
      BS_STORE (tail, BS_NAME (vertical_bytes) (a0, a1, a2, a3, bpp));
      memcpy (out + e, tail, n - e);
    }
  }
}

static void
BS_NAME (blur_rows) (guint begin, guint end, gpointer data)
{
  const BlurJob *job = data;
  const GstRkParams *p = job->p;
  const gint32 *W = job->blob->weights;
  const guint bpp = job->bpp, r = job->blob->radius;
  const gint h = (gint) p->height;
  const guint8 *src = job->src + p->in_offset[0];
  const gsize len = (gsize) p->width * bpp;
  BlurPairs bp;
  gsize strip, Rb, nb_max, e0;
  guint32 *ring, *pairs[GST_RK_BLUR_MAX_RADIUS + 2];
  guint16 *ua, *ub;
  guint8 *pad;
  gint32 wv[GST_RK_BLUR_MAX_RADIUS + 2];
  gint32 w2[2 * GST_RK_BLUR_MAX_RADIUS + 4];
  guint n_ring = r + 1, k;

  blur_pairs_init (&bp, job->blob);
  /* a multiple of 64 elements, so of two blocks, starting at even pixels */
  strip = strip_width (bp.R);
  Rb = (gsize) bp.R * bpp;
  nb_max = MIN (strip, GST_ROUND_UP_64 (len)) + 2 * Rb + BS_BLOCK;
  ring = gst_rk_cpu_scratch (0, n_ring * strip * sizeof (guint32));
  pad = gst_rk_cpu_scratch (1, nb_max);
  ua = gst_rk_cpu_scratch (2, 2 * nb_max * sizeof (guint16));
  ub = ua + nb_max;

  for (e0 = 0; e0 < len; e0 += strip) {
    const gsize n = MIN (strip, len - e0);
    const gsize n_al = (n + 2 * BS_BLOCK - 1) / (2 * BS_BLOCK) *
        (2 * BS_BLOCK);
    const gsize nb = (n_al + 2 * Rb + BS_BLOCK - 1) / BS_BLOCK * BS_BLOCK;
    const gssize g0 = (gssize) e0 - (gssize) Rb;
    gint next = MAX ((gint) begin - (gint) r, 0) / 2;
    guint y;

    for (y = begin; y < end; y++) {
      const gint kmin = MAX ((gint) y - (gint) r, 0) / 2;
      const gint kmax = MIN ((gint) y + (gint) r, h - 1) / 2;
      const guint np = kmax - kmin + 1;
      guint8 *d = job->dst + p->out_offset[0] + (gsize) y * p->out_stride[0];
      gint j;

      /* the horizontal pass of the row pairs this row reaches */
      for (; next <= kmax; next++) {
        const gint ya = 2 * next, yb = MIN (ya + 1, h - 1);

        BS_NAME (widen_pairs) (strip_source (src + (gsize) ya *
                p->in_stride[0], len, bpp, g0, nb, pad), bpp, ua, nb);
        BS_NAME (widen_pairs) (strip_source (src + (gsize) yb *
                p->in_stride[0], len, bpp, g0, nb, pad), bpp, ub, nb);
        BS_NAME (horizontal_pair) (ua, ub, ring + (next % n_ring) * strip,
            n_al, bpp, &bp);
        /* the strip's part of the next pair of rows: a strip is too short
         * a run for the hardware prefetchers */
        if (yb + 1 < h)
          prefetch_rows (src + (gsize) (yb + 1) * p->in_stride[0],
              src + (gsize) MIN (yb + 2, h - 1) * p->in_stride[0],
              MAX (g0, 0), MIN (g0 + (gssize) nb, (gssize) len));
      }

      /* the weights of the clamped rows, added up per row of each pair */
      memset (w2, 0, 2 * np * sizeof (gint32));
      for (j = -(gint) r; j <= (gint) r; j++)
        w2[CLAMP ((gint) y + j, 0, h - 1) - 2 * kmin] += W[j + r];
      for (k = 0; k < np; k++) {
        wv[k] = (w2[2 * k] & 0xffff) | (w2[2 * k + 1] << 16);
        pairs[k] = ring + ((kmin + k) % n_ring) * strip;
      }
      BS_NAME (vertical_row) (pairs, wv, np, d + e0, n, bpp);
      if (e0 + n == len)
        memset (d + len, 0, p->out_stride[0] - len);
    }
  }
}

#undef BS_BLOCK
#undef BS_MADD_ACC
#undef BS_H_PAIR
#undef BS_V_INIT
#undef BS_V_LOAD
#undef BS_NAME
#undef BS_TARGET
#undef BS_VEC
#undef BS_N
#undef BS_LOAD
#undef BS_STORE
#undef BS_SET1
#undef BS_MADD
#undef BS_ADD
#undef BS_SRLI
#undef BS_SLLI
#undef BS_OR
#undef BS_XOR
#undef BS_PACKUS32
#undef BS_PACKS32
#undef BS_PACKUS16
#undef BS_ORDER
#undef BS_WIDEN
#undef BS_ORDER_BYTES
#undef BS_BVEC
