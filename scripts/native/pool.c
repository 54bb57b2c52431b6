/* Element-wise kernels over large contiguous arrays, and the parts of a BLAS gemm call, split
 * between the calling thread and one worker thread that never touches Python
 * (luatorch/tensor/native.py; gemm: luatorch/lua/torch/blas.lua).
 *
 * Why not Python threads: a part handed to a Python thread (tensor/lanes.py) starts only once
 * that thread holds the GIL, and the caller waits for it again after its own part; on the
 * 2-vCPU guest x *= y over 1e6 doubles took 158-204 us on two threads that way where each half
 * alone takes about 130. Here the worker waits for a job in this code (the GIL released for
 * good), spinning a bounded while after each job (rdtsc: about SPIN_CYCLES, yielding the
 * core every 64 pauses) and then sleeping on a futex, so back-to-back calls find it awake and
 * an idle process costs nothing.
 *
 * A split posts the job in chunks that both threads take in turn (element-wise ones from
 * either end, each thread where it stopped the call before: see sweep); the caller then either shuts
 * the worker out (it never came: another process holds that core, say) or waits for the
 * chunk it is on. One split runs at a time: a caller finding another's split running does its
 * work alone.
 *
 * Results are element by element IEEE operations (a * b, a + b in the arrays' type) or vexp's
 * and vtanh's: the same bits whichever thread computes which part. A gemm's bits depend on its
 * parts (the library may pick other kernels for a part than for the whole): Lua splits a call
 * shape only once a probe showed its parts give the bits of the call it replaces.
 */
#include <immintrin.h>
#include <stdint.h>

struct exp_consts;
__attribute__((visibility("hidden"))) void vexp(long n, double *dst, const double *src,
                                             const struct exp_consts *c,
          double (*f)(double));
__attribute__((visibility("hidden"))) void vsigmoid(long n, double *dst, const double *src,
                                                 const struct exp_consts *c,
                                                 double (*f)(double));
__attribute__((visibility("hidden"))) void vtanh(long n, double *dst, const double *src,
                                              const void *unused, double (*f)(double));

enum { MUL_D, ADD_D, MUL_F, ADD_F, EXP_D, TANH_D, SIGMOID_D, GEMM };

/* element-wise calls of this many elements and more alternate their direction (see sweep):
 * below, both operands fit in a core's L2 whichever way it runs */
#define TURN_LEAST 32768

/* The Fortran BLAS gemm (dgemm_ or sgemm_ of the library Lua loaded) */
typedef void (*gemm_fn)(const char *, const char *, const int *, const int *, const int *,
                        const void *, const void *, const int *, const void *, const int *,
                        const void *, void *, const int *);

/* A GEMM job (its job_t's dst points here): one gemm call cut along the rows (dim 0) or the
 * columns (dim 1) of C into parts of `part` rows or columns, each part a gemm call of its
 * own on the rows of A or the columns of B it needs. Which thread runs which part does not
 * matter, the parts do: run() makes the same calls when one thread runs them all. The
 * caller sets the library to one thread meanwhile (OpenBLAS's serial path takes a buffer
 * of its own under its allocation lock per call: two at once are safe). */
typedef struct {
   gemm_fn f;
   const char *ta, *tb;  /* "n" or "t" */
   const void *alpha, *beta;
   const char *a, *b;
   char *c;
   int m, n, k, lda, ldb, ldc;
   long dim, part, size;  /* size: bytes per element */
} gemm_t;

typedef struct {
   long kind, lo, hi;
   void *dst;
   const void *a, *b;
   const struct exp_consts *consts;
   double (*cexp)(double);  /* the C library's function for the inputs off the fast path */
} job_t;

typedef struct {
   volatile int seq;       /* jobs posted (the futex word) */
   volatile int claimed;   /* s: job s is free; -s: the worker took it; 0: the caller did */
   volatile int done;      /* the last job the worker finished */
   volatile int sleeping;  /* the worker is in (or entering) its futex wait */
   volatile int stop;
   volatile int busy;      /* a split is running (another caller runs its work alone) */
   volatile int waiting;   /* the caller sleeps until done changes */
   int pad;
   long spin;              /* cycles to spin after a job before sleeping */
   volatile long next;     /* the next chunk of the posted job to take */
   long n, chunk;          /* the posted job's elements, and its chunks' */
   job_t job;
   long gemm_spin;         /* cycles to spin after a GEMM job (see pool_worker) */
   /* element-wise calls (see sweep): */
   volatile uint64_t side[2];  /* a split's chunks [lo, hi) either side of where the two
                                  threads met last time (lo: the low 32 bits, hi: the high) */
   volatile long turn;         /* element-wise calls so far: odd ones run the other way */
   long odd;                   /* the posted split is an odd one */
   long met;                   /* the chunks the caller took at the last even split */
} pool_t;

static long sys3(long nr, long a, long b, long c)
{
   long ret;
   register long r10 __asm__("r10") = 0;
   __asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10)
                    : "rcx", "r11", "memory");
   return ret;
}

#define SYS_futex 202
#define SYS_sched_yield 24
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129

/* One step of a bounded spin: a pause, and every 64th a sched_yield. On a loaded machine the
 * scheduler may put the worker on the caller's core (seen: both on one vCPU in most samples
 * while other processes held the other): a thread spinning with pause alone then took half of
 * the core from the one doing the work; yielding gives it back, and costs a syscall per 64
 * pauses when the core is its own. */
static void spinStep(long k)
{
   _mm_pause();
   if ((k & 63) == 63) sys3(SYS_sched_yield, 0, 0, 0);
}

/* The element-wise kernels over [lo, hi), upwards or (down) downwards, four vectors loaded and
 * then four stored a step, as PyTorch's loops do (on the AMD EPYC guest, one thread, in-place
 * sums of 1e6 doubles: 176-184 us against 181-198 one vector a step, same process). */
#define SWEEP(NAME, T, V, W, LD, ST, VOP, SOP)                                                 \
   static void NAME(long lo, long hi, int down, T *d, const T *a, const T *b)                 \
   {                                                                                           \
      if (!down) {                                                                             \
         long i = lo;                                                                          \
         for (; i + 4 * W <= hi; i += 4 * W) {                                                 \
            V r0 = VOP(LD(a + i), LD(b + i)), r1 = VOP(LD(a + i + W), LD(b + i + W));          \
            V r2 = VOP(LD(a + i + 2 * W), LD(b + i + 2 * W));                                  \
            V r3 = VOP(LD(a + i + 3 * W), LD(b + i + 3 * W));                                  \
            ST(d + i, r0); ST(d + i + W, r1); ST(d + i + 2 * W, r2); ST(d + i + 3 * W, r3);    \
         }                                                                                     \
         for (; i < hi; i++) d[i] = a[i] SOP b[i];                                             \
      } else {                                                                                 \
         long e = hi;                                                                          \
         for (; e - 4 * W >= lo; e -= 4 * W) {                                                 \
            V r0 = VOP(LD(a + e - W), LD(b + e - W));                                          \
            V r1 = VOP(LD(a + e - 2 * W), LD(b + e - 2 * W));                                  \
            V r2 = VOP(LD(a + e - 3 * W), LD(b + e - 3 * W));                                  \
            V r3 = VOP(LD(a + e - 4 * W), LD(b + e - 4 * W));                                  \
            ST(d + e - W, r0); ST(d + e - 2 * W, r1); ST(d + e - 3 * W, r2);                   \
            ST(d + e - 4 * W, r3);                                                             \
         }                                                                                     \
         for (; e > lo; e--) d[e - 1] = a[e - 1] SOP b[e - 1];                                 \
      }                                                                                        \
   }
SWEEP(mulD, double, __m256d, 4, _mm256_loadu_pd, _mm256_storeu_pd, _mm256_mul_pd, *)
SWEEP(addD, double, __m256d, 4, _mm256_loadu_pd, _mm256_storeu_pd, _mm256_add_pd, +)
SWEEP(mulF, float, __m256, 8, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_mul_ps, *)
SWEEP(addF, float, __m256, 8, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_add_ps, +)

static void run(const job_t *j, long lo, long hi, int down)
{
   long i = lo;
   switch (j->kind) {
   case MUL_D: mulD(lo, hi, down, (double *) j->dst, (const double *) j->a, (const double *) j->b);
      break;
   case ADD_D: addD(lo, hi, down, (double *) j->dst, (const double *) j->a, (const double *) j->b);
      break;
   case MUL_F: mulF(lo, hi, down, (float *) j->dst, (const float *) j->a, (const float *) j->b);
      break;
   case ADD_F: addF(lo, hi, down, (float *) j->dst, (const float *) j->a, (const float *) j->b);
      break;
   case EXP_D:
      vexp(hi - lo, (double *) j->dst + lo, (const double *) j->a + lo, j->consts, j->cexp);
      break;
   case TANH_D:
      vtanh(hi - lo, (double *) j->dst + lo, (const double *) j->a + lo, j->consts, j->cexp);
      break;
   case SIGMOID_D:
      vsigmoid(hi - lo, (double *) j->dst + lo, (const double *) j->a + lo, j->consts, j->cexp);
      break;
   case GEMM: {
      const gemm_t *g = (const gemm_t *) j->dst;
      for (; i < hi; i += g->part) {
         int len = (int) (hi - i < g->part ? hi - i : g->part), m = g->m, n = g->n;
         const char *a = g->a, *b = g->b;
         char *c = g->c;
         if (g->dim == 0) {
            m = len;
            a += (*g->ta == 'n' ? i : i * g->lda) * g->size;
            c += i * g->size;
         } else {
            n = len;
            b += (*g->tb == 'n' ? i * g->ldb : i) * g->size;
            c += i * g->ldc * g->size;
         }
         g->f(g->ta, g->tb, &m, &n, &g->k, g->alpha, a, &g->lda, b, &g->ldb, g->beta, c,
              &g->ldc);
      }
      break;
   }
   }
}

/* Chunks of the posted job, taken in turn by both threads until none is left: a thread whose
 * core is taken mid-job holds up the other for one chunk at most. */
static void chunks(pool_t *p, const job_t *j)
{
   long n = p->n, chunk = p->chunk;
   for (;;) {
      long lo = __atomic_fetch_add(&p->next, 1, __ATOMIC_ACQ_REL) * chunk;
      if (lo >= n) return;
      run(j, lo, lo + chunk < n ? lo + chunk : n, 0);
   }
}

/* A chunk from the front (or the back) of a side; -1: none left there */
static long take(volatile uint64_t *side, int back)
{
   uint64_t v = __atomic_load_n(side, __ATOMIC_ACQUIRE);
   for (;;) {
      uint64_t lo = v & 0xffffffffu, hi = v >> 32;
      if (lo >= hi) return -1;
      uint64_t w = back ? (hi - 1) << 32 | lo : hi << 32 | (lo + 1);
      if (__atomic_compare_exchange_n(side, &v, w, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
         return (long) (back ? hi - 1 : lo);
   }
}

/* The chunks of an element-wise split, taken so that each thread starts where it stopped the
 * call before: what it touched last is still in its core's L2 (1 MB here) when the same
 * arrays come again, as in a loop of x:add(y), instead of 16 MB later in L3 (on the AMD EPYC
 * guest x:add(y) of 1e6 doubles on one thread: 187-205 us against 201-220 one way only, same
 * process, alternating). An even call: the caller takes chunks from the front upwards and the
 * worker from the back downwards, until they meet; an odd one: both start where they met, the
 * caller going down and the worker up, each taking the other side's remaining chunks from
 * its far end once its own are done. A thread drains both sides either way: every chunk is
 * taken once, whoever comes. Returns the chunks this thread took. */
static long sweep(pool_t *p, const job_t *j, int worker)
{
   long n = p->n, chunk = p->chunk, taken = 0;
   int back = p->odd ? !worker : worker, first = p->odd && worker;
   for (;;) {
      long c = take(&p->side[first], back);
      if (c < 0) c = take(&p->side[!first], back);
      if (c < 0) return taken;
      run(j, c * chunk, c * chunk + chunk < n ? c * chunk + chunk : n, back);
      taken++;
   }
}

static int elementwise(long kind) { return kind >= MUL_D && kind <= ADD_F; }

/* The worker thread's loop (called once, from a Python thread, with the GIL released); returns
 * when stop is set. */
void pool_worker(pool_t *p)
{
   int seen = p->seq;
   while (!p->stop) {
      uint64_t start = __rdtsc();
      /* gemm calls come in bursts (a network's layers, step after step) with Lua's work
         between them, often longer than the element-wise spin: a worker that went to sleep
         comes back from the futex later than the caller's part of a mid-size gemm takes
         (some 10-50 us on the 2-vCPU guest), and the caller then runs both parts */
      uint64_t spin = (uint64_t) (p->job.kind == GEMM ? p->gemm_spin : p->spin);
      for (long k = 0; p->seq == seen && __rdtsc() - start < spin; k++)
         spinStep(k);
      if (p->seq == seen) {
         __atomic_store_n(&p->sleeping, 1, __ATOMIC_SEQ_CST);
         if (__atomic_load_n(&p->seq, __ATOMIC_SEQ_CST) == seen)
            sys3(SYS_futex, (long) &p->seq, FUTEX_WAIT_PRIVATE, seen);
         __atomic_store_n(&p->sleeping, 0, __ATOMIC_SEQ_CST);
         continue;
      }
      seen = __atomic_load_n(&p->seq, __ATOMIC_ACQUIRE);
      /* job `seen` only: a stale number never takes a newer job's part */
      int free_ = seen;
      if (__atomic_compare_exchange_n(&p->claimed, &free_, -seen, 0, __ATOMIC_ACQ_REL,
                                      __ATOMIC_ACQUIRE)) {
         if (elementwise(p->job.kind))
            sweep(p, &p->job, 1);
         else
            chunks(p, &p->job);
         __atomic_store_n(&p->done, seen, __ATOMIC_SEQ_CST);
         if (__atomic_load_n(&p->waiting, __ATOMIC_SEQ_CST))
            sys3(SYS_futex, (long) &p->done, FUTEX_WAKE_PRIVATE, 1);
      }
   }
}

static void wake(pool_t *p)
{
   if (__atomic_load_n(&p->sleeping, __ATOMIC_SEQ_CST))
      sys3(SYS_futex, (long) &p->seq, FUTEX_WAKE_PRIVATE, 1);
}

/* j over [0, n) in chunks of `chunk` elements shared with the worker; worker: 0 runs it all
 * here. */
void pool_run(pool_t *p, const job_t *j, long n, long chunk, long worker)
{
   int idle = 0;
   /* odd element-wise calls over more than fits in L2 run the other way (see sweep); the
      count is shared by every caller: another thread's calls cost locality only */
   int odd = elementwise(j->kind) && n >= TURN_LEAST
             && (__atomic_fetch_add(&p->turn, 1, __ATOMIC_RELAXED) & 1);
   if (!worker || chunk <= 0 || chunk >= n
       || !__atomic_compare_exchange_n(&p->busy, &idle, 1, 0, __ATOMIC_ACQUIRE,
                                       __ATOMIC_RELAXED)) {
      run(j, 0, n, odd);
      return;
   }
   p->job = *j;
   p->n = n;
   p->chunk = chunk;
   p->next = 0;
   if (elementwise(j->kind)) {
      uint64_t all = (uint64_t) ((n + chunk - 1) / chunk), met = (uint64_t) p->met;
      if (met > all) met = all;
      p->odd = odd;
      p->side[0] = odd ? met << 32 : all << 32;
      p->side[1] = odd ? all << 32 | met : 0;
   }
   int s = p->seq + 1;
   if (s <= 0) s = 1;  /* (wrapped: job numbers stay positive) */
   __atomic_store_n(&p->claimed, s, __ATOMIC_RELEASE);
   __atomic_store_n(&p->seq, s, __ATOMIC_SEQ_CST);
   wake(p);
   if (elementwise(j->kind)) {
      long mine = sweep(p, j, 0);
      if (!odd) p->met = mine;
   } else {
      chunks(p, j);
   }
   int free_ = s;
   if (!__atomic_compare_exchange_n(&p->claimed, &free_, 0, 0, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE)) {
      /* the worker came in: it is on its last chunk. Spin a while, then sleep (its core may
         have been taken: spinning then only keeps this core from whoever took that one) */
      uint64_t start = __rdtsc();
      for (long k = 0; __atomic_load_n(&p->done, __ATOMIC_ACQUIRE) != s; k++) {
         if (__rdtsc() - start < (uint64_t) p->spin) {
            spinStep(k);
            continue;
         }
         int seen = p->done;
         __atomic_store_n(&p->waiting, 1, __ATOMIC_SEQ_CST);
         if (__atomic_load_n(&p->done, __ATOMIC_SEQ_CST) == seen && seen != s)
            sys3(SYS_futex, (long) &p->done, FUTEX_WAIT_PRIVATE, seen);
         __atomic_store_n(&p->waiting, 0, __ATOMIC_SEQ_CST);
      }
   }
   __atomic_store_n(&p->busy, 0, __ATOMIC_RELEASE);
}

/* The pool's size in bytes: native.py's ctypes copy of pool_t must hold at least this many */
long pool_size(void) { return (long) sizeof(pool_t); }

/* Ask the worker to return (it answers within its spin or at once when sleeping). */
void pool_stop(pool_t *p)
{
   __atomic_store_n(&p->stop, 1, __ATOMIC_SEQ_CST);
   __atomic_store_n(&p->seq, p->seq + 1, __ATOMIC_SEQ_CST);
   sys3(SYS_futex, (long) &p->seq, FUTEX_WAKE_PRIVATE, 1);
}
