/* tanh over an array of doubles, four at a time (AVX2 + FMA), giving the bits of glibc's
 * scalar tanh (2.28 and later on x86-64, where tanh itself is built without FMA but calls the
 * expm1 the ifunc picks on a CPU with FMA: __expm1_fma) for every input.
 *
 * TH's Tanh (THNN_DoubleTanh_updateOutput, THDoubleTensor_tanh) calls the C library's tanh per
 * element. glibc's tanh is fdlibm's: for |x| < 1 it is -t / (t + 2) with t = expm1(-2|x|),
 * for 1 <= |x| < 22 it is 1 - 2 / (t + 2) with t = expm1(2|x|), the sign of x put back by
 * flipping the sign bit; |x| >= 22 gives +-1, |x| < 2^-55 gives x * (1 + x). expm1 is fdlibm's
 * too: k = trunc(x / ln2 +- 1/2) (forced to 0 when |x| <= ln2 / 2, to +-1 below 1.5 ln2),
 * r = hi - lo with hi = x - k ln2hi, lo = k ln2lo and c their rounding error, a rational
 * approximation of exp(r) - 1 - r in r^2 / 2, then one of a few reconstructions chosen by k
 * (k = 0; k = -1; k <= -2 or k > 56; 1 <= k < 20; 20 <= k <= 56), each scaling by 2^k through
 * the exponent bits. Every step is an IEEE operation, so the same operations lane by lane give
 * the same bits; each lane computes every reconstruction and keeps its own. The multiply-adds
 * below are the ones gcc contracted in __expm1_fma (read from this machine's libm.so.6
 * disassembly: the reduction's x - k ln2hi, the polynomial's, 3 - R hfx, 6 - x t, the
 * e x - hxs and (e - c) x - c steps, the k = -1 reconstruction); the others stay separate
 * operations (-ffp-contract=off), including k's x / ln2 + 1/2.
 *
 * Groups of four holding a NaN or an infinity go to the C library's tanh (the pointer passed
 * in), and so does the tail of fewer than four. The signature is vexp.c's (the constants
 * pointer is unused: the few constants here are immediates) so that callers post either on
 * the same pool job.
 */
#include <immintrin.h>
#include <stdint.h>

typedef double (*scalar_fn)(double);

static inline __m256d bitsPd(uint64_t b) { return _mm256_castsi256_pd(_mm256_set1_epi64x(b)); }
static inline __m256i bitsOf(__m256d x) { return _mm256_castpd_si256(x); }
static inline __m256d pdOf(__m256i b) { return _mm256_castsi256_pd(b); }

/* expm1's e from the reduced argument r: the rational approximation, hxs = r * r / 2 too */
static inline __m256d ratio(__m256d r, __m256d *hxsOut)
{
   const __m256d q1 = bitsPd(0xbfa11111111110f4ULL), q2 = bitsPd(0x3f5a01a019fe5585ULL);
   const __m256d q3 = bitsPd(0xbf14ce199eaadbb7ULL), q4 = bitsPd(0x3ed0cfca86e65239ULL);
   const __m256d q5 = bitsPd(0xbe8afdb76e09c32dULL);
   __m256d hfx = _mm256_mul_pd(r, _mm256_set1_pd(0.5));
   __m256d hxs = _mm256_mul_pd(r, hfx);
   __m256d p23 = _mm256_fmadd_pd(hxs, q3, q2);
   __m256d p45 = _mm256_fmadd_pd(hxs, q5, q4);
   __m256d z2 = _mm256_mul_pd(hxs, hxs);
   __m256d r1 = _mm256_fmadd_pd(hxs, q1, _mm256_set1_pd(1.0));
   __m256d z4 = _mm256_mul_pd(z2, z2);
   r1 = _mm256_fmadd_pd(z2, p23, r1);
   r1 = _mm256_fmadd_pd(z4, p45, r1);
   __m256d t = _mm256_fnmadd_pd(r1, hfx, _mm256_set1_pd(3.0));
   __m256d e = _mm256_div_pd(_mm256_sub_pd(r1, t), _mm256_fnmadd_pd(r, t, _mm256_set1_pd(6.0)));
   *hxsOut = hxs;
   return _mm256_mul_pd(e, hxs);
}

/* |x| < 2^-55 (zeros included): x * (1 + x), over z elsewhere */
static inline __m256d tinyOver(__m256d z, __m256d x, __m256i ab)
{
   __m256i tiny = _mm256_cmpgt_epi64(_mm256_set1_epi64x(0x3c80000000000000LL), ab);
   return _mm256_blendv_pd(z, _mm256_mul_pd(_mm256_add_pd(_mm256_set1_pd(1.0), x), x), pdOf(tiny));
}

/* Groups of four from i on while they are finite; returns where it stopped (a group holding
   an infinity or a NaN, or fewer than four left). Apart from vtanh's loop so that the call of
   the C library's tanh there does not make gcc reload the constants in every group (a call
   clobbers all the vector registers). Thresholds on |x| are compared as the integers of its
   bits: the C code's high-word comparisons, each as "bits < H << 32". */
__attribute__((noinline)) static long groups(long i, long n, double *dst, const double *src)
{
   const __m256i absMask = _mm256_set1_epi64x(0x7fffffffffffffffLL);
   const __m256i signMask = _mm256_set1_epi64x((long long) 0x8000000000000000ULL);
   const __m256i notFinite = _mm256_set1_epi64x(0x7fefffffffffffffLL);  /* > : inf, nan */
   /* <: every expm1 argument -2|x| has k = 0 (2|x|'s bits are |x|'s plus 1 << 52) */
   const __m256i allK0 = _mm256_set1_epi64x(0x3fc62e4300000000LL);
   const __m256d one = _mm256_set1_pd(1.0), two = _mm256_set1_pd(2.0);
   for (; i + 4 <= n; i += 4) {
      __m256d x = _mm256_loadu_pd(src + i);
      __m256i xb = bitsOf(x);
      __m256i ab = _mm256_and_si256(xb, absMask);
      if (_mm256_movemask_pd(pdOf(_mm256_cmpgt_epi64(ab, notFinite)))) break;
      __m256d ax = pdOf(ab), z;
      if (_mm256_movemask_pd(pdOf(_mm256_cmpgt_epi64(allK0, ab))) == 15) {
         /* |x| <= ln2 / 4 in every lane (the common case of small activations): expm1's
            k = 0 path on r = -2|x|, then -t / (t + 2) */
         __m256d r = _mm256_mul_pd(ax, _mm256_set1_pd(-2.0)), hxs;
         __m256d e = ratio(r, &hxs);
         __m256d em = _mm256_sub_pd(r, _mm256_fmsub_pd(e, r, hxs));
         z = _mm256_div_pd(_mm256_xor_pd(em, pdOf(signMask)), _mm256_add_pd(em, two));
      } else {
         __m256i small = _mm256_cmpgt_epi64(_mm256_set1_epi64x(0x3ff0000000000000LL), ab);
         /* expm1's argument: -2|x| below 1, else 2|x| (both exact) */
         __m256d a = _mm256_mul_pd(ax, _mm256_blendv_pd(two, _mm256_set1_pd(-2.0), pdOf(small)));
         __m256i aab = _mm256_and_si256(bitsOf(a), absMask);
         /* k: trunc(a / ln2 +- 0.5), 0 for |a| <= ln2 / 2, -1 (a < 0 here) below 1.5 ln2 */
         __m256d kr = _mm256_add_pd(_mm256_mul_pd(a, bitsPd(0x3ff71547652b82feULL)),
                                    _mm256_blendv_pd(_mm256_set1_pd(0.5), _mm256_set1_pd(-0.5),
                                                     pdOf(small)));
         __m256i k64 = _mm256_cvtepi32_epi64(_mm256_cvttpd_epi32(kr));
         __m256i isK0 = _mm256_cmpgt_epi64(_mm256_set1_epi64x(0x3fd62e4300000000LL), aab);
         __m256i isK1 = _mm256_andnot_si256(
            isK0, _mm256_cmpgt_epi64(_mm256_set1_epi64x(0x3ff0a2b200000000LL), aab));
         k64 = _mm256_andnot_si256(isK0, k64);
         k64 = _mm256_or_si256(k64, isK1);  /* -1: all ones */
         /* k as a double, exactly (the magic-number conversion of a small integer) */
         const __m256d magic = _mm256_set1_pd(0x1.8p52);
         __m256d kd = _mm256_sub_pd(pdOf(_mm256_add_epi64(k64, bitsOf(magic))), magic);
         __m256d hi = _mm256_fnmadd_pd(kd, bitsPd(0x3fe62e42fee00000ULL), a);
         __m256d lo = _mm256_mul_pd(kd, bitsPd(0x3dea39ef35793c76ULL));
         __m256d r = _mm256_sub_pd(hi, lo);
         __m256d c = _mm256_sub_pd(_mm256_sub_pd(hi, r), lo);
         __m256d hxs;
         __m256d e = ratio(r, &hxs);
         /* the reconstructions: k = 0; k = -1; k <= -2 or k > 56; 1 <= k < 20; 20 <= k <= 56 */
         __m256d em0 = _mm256_sub_pd(r, _mm256_fmsub_pd(e, r, hxs));
         __m256d e2 = _mm256_sub_pd(_mm256_fmsub_pd(_mm256_sub_pd(e, c), r, c), hxs);
         __m256d emM1 = _mm256_fmadd_pd(_mm256_set1_pd(0.5), _mm256_sub_pd(r, e2),
                                        _mm256_set1_pd(-0.5));
         __m256d d = _mm256_sub_pd(e2, r);
         __m256d yOut = _mm256_sub_pd(one, d);
         __m256i tLow = _mm256_slli_epi64(
            _mm256_sub_epi64(_mm256_set1_epi64x(0x3ff00000),
                             _mm256_srlv_epi64(_mm256_set1_epi64x(0x200000), k64)), 32);
         __m256d yLow = _mm256_sub_pd(pdOf(tLow), d);
         __m256i tHigh = _mm256_slli_epi64(_mm256_sub_epi64(_mm256_set1_epi64x(0x3ff), k64), 52);
         __m256d yHigh = _mm256_add_pd(_mm256_sub_pd(r, _mm256_add_pd(e2, pdOf(tHigh))), one);
         __m256i outer = _mm256_or_si256(_mm256_cmpgt_epi64(_mm256_set1_epi64x(-1), k64),
                                         _mm256_cmpgt_epi64(k64, _mm256_set1_epi64x(56)));
         __m256i low = _mm256_cmpgt_epi64(_mm256_set1_epi64x(20), k64);
         __m256d y = _mm256_blendv_pd(yHigh, yLow, pdOf(low));
         y = _mm256_blendv_pd(y, yOut, pdOf(outer));
         y = pdOf(_mm256_add_epi64(bitsOf(y), _mm256_slli_epi64(k64, 52)));
         y = _mm256_blendv_pd(y, _mm256_sub_pd(y, one), pdOf(outer));
         /* (k = -1 also from the general reduction, just above 1.5 ln2) */
         __m256i kM1 = _mm256_cmpeq_epi64(k64, _mm256_set1_epi64x(-1));
         __m256d em = _mm256_blendv_pd(y, emM1, pdOf(kM1));
         em = _mm256_blendv_pd(em, em0, pdOf(isK0));
         /* tanh from expm1: -t / (t + 2) below 1, 1 - 2 / (t + 2) from 1, 1 from 22 */
         __m256d num = _mm256_blendv_pd(two, _mm256_xor_pd(em, pdOf(signMask)), pdOf(small));
         __m256d q = _mm256_div_pd(num, _mm256_add_pd(em, two));
         z = _mm256_blendv_pd(_mm256_sub_pd(one, q), q, pdOf(small));
         __m256i large = _mm256_cmpgt_epi64(ab, _mm256_set1_epi64x(0x4035ffffffffffffLL));
         z = _mm256_blendv_pd(z, one, pdOf(large));
      }
      /* the sign of x back, then the tiny ones */
      z = _mm256_xor_pd(z, pdOf(_mm256_and_si256(xb, signMask)));
      _mm256_storeu_pd(dst + i, tinyOver(z, x, ab));
   }
   return i;
}

void vtanh(long n, double *dst, const double *src, const void *unused, scalar_fn f)
{
   (void) unused;
   long i = 0;
   while (i < n) {
      i = groups(i, n, dst, src);
      long stop = i + 4 <= n ? i + 4 : n;
      for (; i < stop; i++) dst[i] = f(src[i]);
   }
}
