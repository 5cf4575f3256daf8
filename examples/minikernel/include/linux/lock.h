/* Locks and workqueues, as far as kmark's tests need them. */
#ifndef KMARK_TEST_LINUX_LOCK_H
#define KMARK_TEST_LINUX_LOCK_H

#include <linux/compiler.h>

typedef struct { int owner; } spinlock_t;
struct mutex { int owner; };
void spin_lock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);
void mutex_lock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);
#define lockdep_assert_held(l) do { (void)(l); } while (0)
static inline spinlock_t *spinlock_check(spinlock_t *lock) { return lock; }
unsigned long _raw_spin_lock_irqsave(spinlock_t *lock);
void _raw_spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags);
#define spin_lock_irqsave(l, f)                                                \
  do {                                                                         \
    (f) = _raw_spin_lock_irqsave(spinlock_check(l));                           \
  } while (0)
#define spin_unlock_irqrestore(l, f) _raw_spin_unlock_irqrestore(l, f)

/* Per-CPU locks: the lock reaches its acquire through this_cpu_ptr(), a
 * statement expression around the lock's address. */
typedef struct { int dep; } local_lock_t;
void local_lock_acquire(local_lock_t *l);
void local_lock_release(local_lock_t *l);
#define this_cpu_ptr(p)                                                        \
  ({                                                                           \
    unsigned long __pcpu = (unsigned long)(p);                                 \
    (__typeof__(p))(__pcpu + 0);                                               \
  })
#define local_lock(l) do { local_lock_acquire(this_cpu_ptr(l)); } while (0)
#define local_unlock(l) do { local_lock_release(this_cpu_ptr(l)); } while (0)

typedef struct { int counter; } atomic_t;
#define atomic_read(v) READ_ONCE((v)->counter)
#define atomic_set(v, i) WRITE_ONCE((v)->counter, (i))

struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);
struct work_struct { work_func_t func; };
#define INIT_WORK(w, f) ((w)->func = (f))

void *kzalloc(unsigned long size, int flags);
#define GFP_KERNEL 0

#endif
