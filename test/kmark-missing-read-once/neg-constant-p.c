// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// Regression (io_uring/io_uring.c on 6.12, test_bit(..., &ctx->check_cq)):
// __builtin_constant_p() does not evaluate its operand, so the dereference
// a bitop macro puts there reads nothing; no finding, and no fix-it that
// would take the address of READ_ONCE().  A real plain read still is one.
#include <linux/lock.h>

int bit_test(long nr, const volatile unsigned long *addr);
int const_bit_test(long nr, const volatile unsigned long *addr);
#define kt_test_bit(nr, addr)                                                  \
  ((__builtin_constant_p(nr) &&                                                \
    __builtin_constant_p(*(const unsigned long *)(addr)))                      \
       ? const_bit_test(nr, addr)                                              \
       : bit_test(nr, addr))

struct ring {
	unsigned long check;
};

unsigned long ring_peek(struct ring *r)
{
	return READ_ONCE(r->check);
}

void ring_flag(struct ring *r)
{
	WRITE_ONCE(r->check, 1);
}

int ring_overflowed(struct ring *r)
{
	return kt_test_bit(0, &r->check);
}

int ring_busy(struct ring *r)
{
	return r->check != 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'ring::check' races with ring_flag(), which writes it with WRITE_ONCE(){{.*}} [kmark-missing-read-once]
	// CHECK-FIXES: return READ_ONCE(r->check) != 0;
}
