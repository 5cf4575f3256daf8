/* Minimal stand-ins for the kernel's marking primitives, written for kmark's
 * tests.  They keep the shapes that matter to a checker: READ_ONCE() and
 * WRITE_ONCE() access through a cast to a volatile pointer and mention their
 * argument again in unevaluated contexts (the size check and typeof).  */
#ifndef KMARK_TEST_LINUX_COMPILER_H
#define KMARK_TEST_LINUX_COMPILER_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef _Bool bool;
#define true 1
#define false 0
#define NULL ((void *)0)

#define kt_size_ok(x)                                                        \
  _Static_assert(sizeof(x) == 1 || sizeof(x) == 2 || sizeof(x) == 4 ||      \
                     sizeof(x) == 8,                                         \
                 "need a 1, 2, 4 or 8 byte scalar")
#define kt_plain_typeof(x)                                                   \
  typeof(_Generic((x), char: (char)0, unsigned char: (unsigned char)0,       \
         short: (short)0, unsigned short: (unsigned short)0, int: (int)0,    \
         unsigned int: (unsigned int)0, long: (long)0,                       \
         unsigned long: (unsigned long)0, long long: (long long)0,           \
         unsigned long long: (unsigned long long)0, default: (x)))

#define __READ_ONCE(x) (*(const volatile kt_plain_typeof(x) *)&(x))
#define READ_ONCE(x)                                                         \
  ({                                                                         \
    kt_size_ok(x);                                                           \
    __READ_ONCE(x);                                                          \
  })
#define __WRITE_ONCE(x, val)                                                 \
  do {                                                                       \
    *(volatile typeof(x) *)&(x) = (val);                                     \
  } while (0)
#define WRITE_ONCE(x, val)                                                   \
  do {                                                                       \
    kt_size_ok(x);                                                           \
    __WRITE_ONCE(x, val);                                                    \
  } while (0)

#define barrier() __asm__ __volatile__("" : : : "memory")
#define smp_load_acquire(p)                                                  \
  ({                                                                         \
    kt_plain_typeof(*(p)) kt_v = READ_ONCE(*(p));                            \
    barrier();                                                               \
    kt_v;                                                                    \
  })
#define smp_store_release(p, v)                                              \
  do {                                                                       \
    barrier();                                                               \
    WRITE_ONCE(*(p), v);                                                     \
  } while (0)

/* What KCSAN is told of an atomic operation's target (instrumented.h):
 * the atomic macros and the bitops call one of these on the address. */
static inline void instrument_atomic_read(const volatile void *v,
                                          unsigned long size) {}
static inline void instrument_atomic_write(const volatile void *v,
                                           unsigned long size) {}
static inline void instrument_atomic_read_write(const volatile void *v,
                                                unsigned long size) {}

/* Stores v in *ptr and returns the old value, fully ordered.  As the
 * kernel's, it copies its pointer into a local first. */
#define xchg(ptr, ...)                                                       \
  ({                                                                         \
    typeof(ptr) kt_xp = (ptr);                                               \
    typeof(*(ptr)) kt_x = (__VA_ARGS__);                                     \
    instrument_atomic_read_write(kt_xp, sizeof(*kt_xp));                     \
    __asm__ __volatile__("xchg %0, %1"                                       \
                         : "+r"(kt_x), "+m"(*kt_xp)                          \
                         :                                                   \
                         : "memory");                                        \
    kt_x;                                                                    \
  })

/* Stores new in *ptr if it holds old; returns what it held. */
#define kt_cmpxchg(ptr, old, new)                                            \
  ({                                                                         \
    typeof(ptr) kt_cp = (ptr);                                               \
    typeof(*(ptr)) kt_old = (old);                                           \
    typeof(*(ptr)) kt_new = (new);                                           \
    instrument_atomic_read_write(kt_cp, sizeof(*kt_cp));                     \
    __asm__ __volatile__("lock cmpxchg %2, %1"                               \
                         : "+a"(kt_old), "+m"(*kt_cp)                        \
                         : "r"(kt_new)                                       \
                         : "memory");                                        \
    kt_old;                                                                  \
  })
#define cmpxchg(ptr, ...) kt_cmpxchg(ptr, __VA_ARGS__)

#define data_race(expr)                                                      \
  ({                                                                         \
    kt_plain_typeof(({ expr; })) kt_dr = ({ expr; });                        \
    kt_dr;                                                                   \
  })
#define __data_racy

#define rcu_dereference(p) ((typeof(p))READ_ONCE(p))
#define rcu_dereference_protected(p, c) ((typeof(p))(p))
#define rcu_assign_pointer(p, v)                                             \
  do {                                                                       \
    unsigned long kt_v = (unsigned long)(v);                                 \
    smp_store_release(&(p), (typeof(p))kt_v);                                \
  } while (0)

#define __init __attribute__((section(".init.text")))
#define __net_init

#define container_of(ptr, type, member)                                      \
  ({                                                                         \
    void *kt_mptr = (void *)(ptr);                                           \
    ((type *)(kt_mptr - __builtin_offsetof(type, member)));                  \
  })

#endif
