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
 * A split posts the job in chunks that both threads take in turn; the caller then either shuts
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

static void run(const job_t *j, long lo, long hi)
{
   long i = lo;
   switch (j->kind) {
   case MUL_D: case ADD_D: {
      double *d = (double *) j->dst;
      const double *a = (const double *) j->a, *b = (const double *) j->b;
      if (j->kind == MUL_D) {
         for (; i + 4 <= hi; i += 4)
            _mm256_storeu_pd(d + i, _mm256_mul_pd(_mm256_loadu_pd(a + i), _mm256_loadu_pd(b + i)));
         for (; i < hi; i++) d[i] = a[i] * b[i];
      } else {
         for (; i + 4 <= hi; i += 4)
            _mm256_storeu_pd(d + i, _mm256_add_pd(_mm256_loadu_pd(a + i), _mm256_loadu_pd(b + i)));
         for (; i < hi; i++) d[i] = a[i] + b[i];
      }
      break;
   }
   case MUL_F: case ADD_F: {
      float *d = (float *) j->dst;
      const float *a = (const float *) j->a, *b = (const float *) j->b;
      if (j->kind == MUL_F) {
         for (; i + 8 <= hi; i += 8)
            _mm256_storeu_ps(d + i, _mm256_mul_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i)));
         for (; i < hi; i++) d[i] = a[i] * b[i];
      } else {
         for (; i + 8 <= hi; i += 8)
            _mm256_storeu_ps(d + i, _mm256_add_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i)));
         for (; i < hi; i++) d[i] = a[i] + b[i];
      }
      break;
   }
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
      run(j, lo, lo + chunk < n ? lo + chunk : n);
   }
}

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
   if (!worker || chunk <= 0 || chunk >= n
       || !__atomic_compare_exchange_n(&p->busy, &idle, 1, 0, __ATOMIC_ACQUIRE,
                                       __ATOMIC_RELAXED)) {
      run(j, 0, n);
      return;
   }
   p->job = *j;
   p->n = n;
   p->chunk = chunk;
   p->next = 0;
   int s = p->seq + 1;
   if (s <= 0) s = 1;  /* (wrapped: job numbers stay positive) */
   __atomic_store_n(&p->claimed, s, __ATOMIC_RELEASE);
   __atomic_store_n(&p->seq, s, __ATOMIC_SEQ_CST);
   wake(p);
   chunks(p, j);
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

/* Ask the worker to return (it answers within its spin or at once when sleeping). */
void pool_stop(pool_t *p)
{
   __atomic_store_n(&p->stop, 1, __ATOMIC_SEQ_CST);
   __atomic_store_n(&p->seq, p->seq + 1, __ATOMIC_SEQ_CST);
   sys3(SYS_futex, (long) &p->seq, FUTEX_WAKE_PRIVATE, 1);
}
