/* Atomic bit operations on a word array, as kmark's tests need them: each
 * tells KCSAN of its target through the instrument hook, then works on it
 * in assembly.  __set_bit() is the non-atomic variant: a plain RMW. */
#ifndef KMARK_TEST_LINUX_BITOPS_H
#define KMARK_TEST_LINUX_BITOPS_H

#include <linux/compiler.h>

#define KT_WORD(nr) ((nr) / (8 * sizeof(long)))
#define KT_MASK(nr) (1UL << ((nr) % (8 * sizeof(long))))

static inline void set_bit(long nr, volatile unsigned long *addr)
{
	instrument_atomic_write(addr + KT_WORD(nr), sizeof(long));
	__asm__ __volatile__("lock bts %1, %0" : "+m"(*addr) : "r"(nr) : "memory");
}

static inline void clear_bit(long nr, volatile unsigned long *addr)
{
	instrument_atomic_write(addr + KT_WORD(nr), sizeof(long));
	__asm__ __volatile__("lock btr %1, %0" : "+m"(*addr) : "r"(nr) : "memory");
}

static inline bool test_bit(long nr, const volatile unsigned long *addr)
{
	instrument_atomic_read(addr + KT_WORD(nr), sizeof(long));
	return (addr[KT_WORD(nr)] & KT_MASK(nr)) != 0;
}

static inline void __set_bit(long nr, volatile unsigned long *addr)
{
	*(unsigned long *)(addr + KT_WORD(nr)) |= KT_MASK(nr);
}

#endif
