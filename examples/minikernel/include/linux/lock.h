/* Locks and workqueues, as far as kmark's tests need them. */
#ifndef KMARK_TEST_LINUX_LOCK_H
#define KMARK_TEST_LINUX_LOCK_H

#include <linux/compiler.h>

/* With CONFIG_LOCKDEP, every lock has a lockdep map and assertions call
 * into lockdep; without it, an assertion is `(void)(lock)`. */
#ifdef CONFIG_LOCKDEP
struct lockdep_map { int key; };
#define KT_DEP_MAP struct lockdep_map dep_map;
int lock_is_held(const struct lockdep_map *map);
void kt_warn(void);
#define lockdep_assert_held(l)                                                 \
  do {                                                                         \
    if (!lock_is_held(&(l)->dep_map))                                          \
      kt_warn();                                                               \
  } while (0)
#else
#define KT_DEP_MAP
#define lockdep_assert_held(l) do { (void)(l); } while (0)
#endif

typedef struct { int owner; KT_DEP_MAP } spinlock_t;
struct mutex { int owner; };
void spin_lock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);
void mutex_lock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);
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

/* The routing netlink mutex, behind functions. */
void rtnl_lock(void);
void rtnl_unlock(void);

/* Trylocks: the lock is held only where the result says so. */
int spin_trylock(spinlock_t *lock);
int mutex_trylock(struct mutex *lock);
int mutex_lock_interruptible(struct mutex *lock); /* 0: locked */

/* A readers-writer semaphore: readers share it, a writer excludes all. */
struct rw_semaphore { int count; };
void down_read(struct rw_semaphore *sem);
void up_read(struct rw_semaphore *sem);
void down_write(struct rw_semaphore *sem);
void up_write(struct rw_semaphore *sem);

/* sparse's lock annotations: nothing for the compiler. */
#define __acquires(x)
#define __releases(x)
#define __must_hold(x)

/* Scope-based locking in the shape of include/linux/cleanup.h: a variable
 * whose cleanup function drops the lock its initialiser took. */
#define __cleanup(f) __attribute__((__cleanup__(f)))
#define KT_PASTE2(a, b) a##b
#define KT_PASTE(a, b) KT_PASTE2(a, b)
#define KT_UNIQUE(p) KT_PASTE(p, __COUNTER__)
#define DEFINE_GUARD(_name, _type, _lock, _unlock)                             \
  typedef _type class_##_name##_t;                                            \
  static inline void class_##_name##_destructor(_type *p)                     \
  {                                                                            \
    _type _T = *p;                                                             \
    if (_T) { _unlock; }                                                       \
  }                                                                            \
  static inline _type class_##_name##_constructor(_type _T)                   \
  {                                                                            \
    _lock;                                                                     \
    return _T;                                                                 \
  }
#define DEFINE_LOCK_GUARD_1(_name, _type, _lock, _unlock)                      \
  typedef struct { _type *lock; } class_##_name##_t;                          \
  static inline void class_##_name##_destructor(class_##_name##_t *_T)        \
  {                                                                            \
    if (_T->lock) { _unlock; }                                                 \
  }                                                                            \
  static inline class_##_name##_t class_##_name##_constructor(_type *l)       \
  {                                                                            \
    class_##_name##_t _t = { .lock = l }, *_T = &_t;                          \
    _lock;                                                                     \
    return _t;                                                                 \
  }
#define CLASS(_name, var)                                                      \
  class_##_name##_t var __cleanup(class_##_name##_destructor) =                \
      class_##_name##_constructor
#define guard(_name) CLASS(_name, KT_UNIQUE(kt_guard))
#define scoped_guard(_name, args...)                                           \
  for (CLASS(_name, scope)(args), *kt_done = NULL; !kt_done;                  \
       kt_done = (void *)1)
DEFINE_GUARD(mutex, struct mutex *, mutex_lock(_T), mutex_unlock(_T))
DEFINE_LOCK_GUARD_1(spinlock, spinlock_t, spin_lock(_T->lock),
                    spin_unlock(_T->lock))

void *kzalloc(unsigned long size, int flags);
#define GFP_KERNEL 0

#endif
