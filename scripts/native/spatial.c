/* THNN's frame loops for max pooling (SpatialDilatedMaxPooling) and for summing a
 * convolution's gradient columns back onto its input (SpatialConvolutionMM's unfolded_acc,
 * im2col.h's col2im), called from luatorch/thnn through ctypes (the GIL released).
 *
 * Why here and not in numpy: numpy needs temporaries as large as a block of the input for a
 * 2x2 window's maximum (pairwise maxima, flags, their selections) and a table of target
 * positions for a bincount that sums the columns back, kept between calls for speed: 2.4 MB
 * of a LeNet step's peak, where Torch7's loops write into the module's own buffers. These
 * loops do the same, in THNN's order:
 *
 * - max pooling: per output, the window's cells row by row, kept when `val > maxval` from
 *   -DBL_MAX (-FLT_MAX: TH's THInf) with index -1, so NaN is never taken and a window of -inf
 *   or of nothing stores -DBL_MAX and index 0; the output and Torch's 1-based index written
 *   in place. Its gradient: gradInput zeroed,
 *   then each plane's outputs in order added onto their index (index 0 skipped), the same
 *   additions in the same order as THNN's.
 * - col2im: per frame and input plane, the plane zeroed and then the columns of kernel
 *   offsets (kh, kw) in order added onto the input cells they were read from: every input
 *   cell receives its terms in THNN's order (unfolded_acc adds them a kernel offset at a
 *   time, THVector_cadd's x + 1 * y being x + y), +0 first as after THTensor_zero.
 *
 * Plane ranges [lo, hi) let Python split a call over threads: planes are disjoint.
 * Pooling's backward returns the first bad index's plane + 1 (0 when all are in range)
 * before writing that plane: an index from Lua is data, never trusted as an address.
 */

typedef struct {
   long iH, iW, oH, oW, kH, kW, dH, dW, pH, pW, lH, lW; /* l: dilation */
} pool_geom;

typedef struct {
   long C, H, W, kH, kW, dH, dW, pH, pW, lH, lW, oH, oW;
} col_geom;

/* the zeroing loops stay loops: gcc would make them calls to memset, and there is no C
 * library here */
#define KERNEL __attribute__((visibility("hidden"), optimize("no-tree-loop-distribute-patterns")))
#define ZERO(T, p, n)                                  \
   do {                                               \
      for (long i_ = 0; i_ < (n); i_++) (p)[i_] = 0;  \
   } while (0)

#include <immintrin.h>

/* One output row of whole 2x2 windows (stride 2) of doubles: four windows a step, the
 * same comparisons in the same order as the scalar loop (`c > v`, false for NaN), kept by
 * blends; returns the first output column it left to the caller. Lanes hold the windows in
 * the order (0, 2, 1, 3), as unpacking the loaded cells gives them. */
static long two_row_d(const double *r0, const double *r1, long iW, long t0, long oW, double *op,
                      long *indp)
{
   long j = 0;
   const __m256i off = _mm256_setr_epi64x(0, 4, 2, 6);
   for (; j + 4 <= oW; j += 4) {
      __m256d a0 = _mm256_loadu_pd(r0 + 2 * j), a1 = _mm256_loadu_pd(r0 + 2 * j + 4);
      __m256d b0 = _mm256_loadu_pd(r1 + 2 * j), b1 = _mm256_loadu_pd(r1 + 2 * j + 4);
      __m256i t = _mm256_add_epi64(_mm256_set1_epi64x(t0 + 2 * j), off);
      __m256d v = _mm256_set1_pd(-__DBL_MAX__);
      __m256d m = _mm256_castsi256_pd(_mm256_set1_epi64x(-1));
      __m256d c, gt;
#define TAKE(cells, at)                                                          \
   c = (cells);                                                                  \
   gt = _mm256_cmp_pd(c, v, _CMP_GT_OQ);                                         \
   v = _mm256_blendv_pd(v, c, gt);                                               \
   m = _mm256_blendv_pd(m, _mm256_castsi256_pd(at), gt)
      TAKE(_mm256_unpacklo_pd(a0, a1), t);
      TAKE(_mm256_unpackhi_pd(a0, a1), _mm256_add_epi64(t, _mm256_set1_epi64x(1)));
      TAKE(_mm256_unpacklo_pd(b0, b1), _mm256_add_epi64(t, _mm256_set1_epi64x(iW)));
      TAKE(_mm256_unpackhi_pd(b0, b1), _mm256_add_epi64(t, _mm256_set1_epi64x(iW + 1)));
#undef TAKE
      v = _mm256_permute4x64_pd(v, 0xD8);
      __m256i mi = _mm256_permute4x64_epi64(_mm256_castpd_si256(m), 0xD8);
      _mm256_storeu_pd(op + j, v);
      _mm256_storeu_si256((__m256i *)(indp + j), _mm256_add_epi64(mi, _mm256_set1_epi64x(1)));
   }
   return j;
}

/* the vector row for doubles; other types take the scalar loop from column 0 */
#define TWO_ROW_double(r0, r1, iW, t0, oW, op, indp) two_row_d(r0, r1, iW, t0, oW, op, indp)
#define TWO_ROW_float(r0, r1, iW, t0, oW, op, indp) 0

#define MAXPOOL(NAME, T, MAX)                                                              \
   KERNEL void NAME(const T *x, T *out, long *ind,          \
                                                   const pool_geom *g, long lo, long hi)   \
   {                                                                                       \
      const long iP = g->iH * g->iW, oP = g->oH * g->oW;                                  \
      const int two = g->kH == 2 && g->kW == 2 && g->dH == 2 && g->dW == 2 && !g->pH &&    \
                      !g->pW && g->lH == 1 && g->lW == 1 && 2 * g->oH <= g->iH &&          \
                      2 * g->oW <= g->iW;                                                  \
      for (long k = lo; k < hi; k++) {                                                     \
         const T *ip = x + k * iP;                                                         \
         T *op = out + k * oP;                                                             \
         long *indp = ind + k * oP;                                                        \
         if (two) { /* whole 2x2 windows: the same comparisons, as selects, not branches */ \
            for (long i = 0; i < g->oH; i++) {                                             \
               const T *r0 = ip + 2 * i * g->iW, *r1 = r0 + g->iW;                         \
               long j0 = TWO_ROW_##T(r0, r1, g->iW, 2 * i * g->iW, g->oW, op + i * g->oW,    \
                                     indp + i * g->oW);                                    \
               for (long j = j0; j < g->oW; j++) {                                         \
                  long t = 2 * i * g->iW + 2 * j, m = -1;                                  \
                  T v = -(MAX), c;                                                         \
                  c = r0[2 * j];                                                           \
                  m = c > v ? t : m;                                                       \
                  v = c > v ? c : v;                                                       \
                  c = r0[2 * j + 1];                                                       \
                  m = c > v ? t + 1 : m;                                                   \
                  v = c > v ? c : v;                                                       \
                  c = r1[2 * j];                                                           \
                  m = c > v ? t + g->iW : m;                                               \
                  v = c > v ? c : v;                                                       \
                  c = r1[2 * j + 1];                                                       \
                  m = c > v ? t + g->iW + 1 : m;                                           \
                  v = c > v ? c : v;                                                       \
                  op[i * g->oW + j] = v;                                                   \
                  indp[i * g->oW + j] = m + 1;                                             \
               }                                                                           \
            }                                                                              \
            continue;                                                                      \
         }                                                                                 \
         for (long i = 0; i < g->oH; i++) {                                                \
            for (long j = 0; j < g->oW; j++) {                                             \
               long hs = i * g->dH - g->pH, ws = j * g->dW - g->pW;                        \
               long he = hs + (g->kH - 1) * g->lH + 1, we = ws + (g->kW - 1) * g->lW + 1;  \
               if (he > g->iH) he = g->iH;                                                 \
               if (we > g->iW) we = g->iW;                                                 \
               while (hs < 0) hs += g->lH;                                                 \
               while (ws < 0) ws += g->lW;                                                 \
               long maxindex = -1;                                                         \
               T maxval = -(MAX);                                                          \
               for (long y = hs; y < he; y += g->lH) {                                     \
                  for (long xx = ws; xx < we; xx += g->lW) {                               \
                     long t = y * g->iW + xx;                                              \
                     T val = ip[t];                                                        \
                     if (val > maxval) {                                                   \
                        maxval = val;                                                      \
                        maxindex = t;                                                      \
                     }                                                                     \
                  }                                                                        \
               }                                                                           \
               op[i * g->oW + j] = maxval;                                                 \
               indp[i * g->oW + j] = maxindex + 1;                                         \
            }                                                                              \
         }                                                                                 \
      }                                                                                    \
   }

MAXPOOL(maxpool2d_d, double, __DBL_MAX__)
MAXPOOL(maxpool2d_f, float, __FLT_MAX__)

#define MAXPOOL_BACK(NAME, T)                                                                \
   KERNEL long NAME(const T *gout, const long *ind, T *gin,   \
                                                   long iP, long oP, long lo, long hi)       \
   {                                                                                         \
      for (long k = lo; k < hi; k++) {                                                       \
         const long *ip = ind + k * oP;                                                      \
         for (long i = 0; i < oP; i++)                                                       \
            if (ip[i] < 0 || ip[i] > iP) return k + 1;                                       \
         T *gi = gin + k * iP;                                                               \
         const T *go = gout + k * oP;                                                        \
         ZERO(T, gi, iP);                                                                    \
         for (long i = 0; i < oP; i++) {                                                     \
            long maxp = ip[i] - 1;                                                           \
            if (maxp != -1) gi[maxp] += go[i];                                               \
         }                                                                                   \
      }                                                                                      \
      return 0;                                                                              \
   }

MAXPOOL_BACK(maxpool2d_back_d, double)
MAXPOOL_BACK(maxpool2d_back_f, float)

/* planes [lo, hi) of frames of C planes each: plane q is channel q % C of frame q / C, whose
 * columns start at cols + q * kH * kW * oH * oW */
#define COL2IM(NAME, T)                                                                      \
   KERNEL void NAME(const T *cols, T *im, const col_geom *g,  \
                                                   long lo, long hi)                         \
   {                                                                                         \
      const long P = g->H * g->W, L = g->oH * g->oW;                                         \
      for (long q = lo; q < hi; q++) {                                                       \
         T *dst = im + q * P;                                                                \
         ZERO(T, dst, P);                                                                    \
         for (long kh = 0; kh < g->kH; kh++) {                                               \
            for (long kw = 0; kw < g->kW; kw++) {                                            \
               const T *src = cols + ((q * g->kH + kh) * g->kW + kw) * L;                    \
               long off = kw * g->lW - g->pW; /* input column of output column 0 */          \
               long x0 = off < 0 ? (-off + g->dW - 1) / g->dW : 0;                           \
               long x1 = g->W - 1 - off < 0 ? 0 : (g->W - 1 - off) / g->dW + 1;              \
               if (x1 > g->oW) x1 = g->oW;                                                   \
               if (x0 >= x1) continue;                                                       \
               for (long y = 0; y < g->oH; y++) {                                            \
                  long iy = y * g->dH - g->pH + kh * g->lH;                                  \
                  if (iy < 0 || iy >= g->H) continue;                                        \
                  T *row = dst + iy * g->W;                                                  \
                  const T *s = src + y * g->oW;                                              \
                  if (g->dW == 1) {                                                          \
                     for (long xx = x0; xx < x1; xx++) row[xx + off] += s[xx];               \
                  } else {                                                                   \
                     for (long xx = x0; xx < x1; xx++) row[xx * g->dW + off] += s[xx];       \
                  }                                                                          \
               }                                                                             \
            }                                                                                \
         }                                                                                   \
      }                                                                                      \
   }

COL2IM(col2im_d, double)
COL2IM(col2im_f, float)

/* Threshold's gradient, not in place (THNN: input > threshold ? gradOutput : 0), over elements
 * [lo, hi) of contiguous arrays: the comparison's mask and-ed with gradOutput's bits, so a
 * blocked element gets +0 and a NaN input blocks (NaN > t is false), as THNN's branch; without
 * the branch, whose outcome follows the data's signs. The threshold comes by address, in the
 * arrays' type. */
KERNEL void threshold_back_d(const double *x, const double *gout, double *gin, const double *th,
                             long lo, long hi)
{
   const double t = *th;
   const __m256d tv = _mm256_set1_pd(t);
   long i = lo;
   for (; i + 4 <= hi; i += 4) {
      __m256d m = _mm256_cmp_pd(_mm256_loadu_pd(x + i), tv, _CMP_GT_OQ);
      _mm256_storeu_pd(gin + i, _mm256_and_pd(m, _mm256_loadu_pd(gout + i)));
   }
   for (; i < hi; i++) gin[i] = x[i] > t ? gout[i] : 0;
}

KERNEL void threshold_back_f(const float *x, const float *gout, float *gin, const float *th,
                             long lo, long hi)
{
   const float t = *th;
   const __m256 tv = _mm256_set1_ps(t);
   long i = lo;
   for (; i + 8 <= hi; i += 8) {
      __m256 m = _mm256_cmp_ps(_mm256_loadu_ps(x + i), tv, _CMP_GT_OQ);
      _mm256_storeu_ps(gin + i, _mm256_and_ps(m, _mm256_loadu_ps(gout + i)));
   }
   for (; i < hi; i++) gin[i] = x[i] > t ? gout[i] : 0;
}
