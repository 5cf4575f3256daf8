// RUN: %check_kmark %s kmark-missing-read-once %t --config MinConfidence=0 -- %kernel_flags
// An atomic operation on a field's address is a marked access, as KCSAN
// counts it: set_bit() and test_bit() through their pointer parameter (the
// instrument hook in their bodies), xchg() through the local its macro
// copies the pointer into.  A plain read of a word that set_bit() changes
// races with it; so does one of a slot that xchg() empties.  An atomic
// writer weighs as a lockless marked reader alone (15), and the function's
// own test_bit() as a helper's marking (20): the low tier.  Beside the
// function's own READ_ONCE() the read reaches the default tier.
#include <linux/bitops.h>
#include <linux/lock.h>

struct port {
	spinlock_t lock;
	unsigned long flags;
	unsigned long mask;
	void *pending;
	unsigned long failed;
	unsigned long seq;
};

void port_kick(struct port *p)
{
	set_bit(1, &p->flags);
}

bool port_busy(struct port *p)
{
	if (test_bit(0, &p->flags))
		return true;
	return p->flags & 2;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'port::flags' races with port_kick(), which writes it with an atomic operation through set_bit(); port_busy() reads it with an atomic operation through test_bit() elsewhere (confidence: low, 35) [kmark-missing-read-once]
	// CHECK-MESSAGES: :[[@LINE-9]]:14: note: port_kick() writes 'p->flags' with an atomic operation through set_bit()
	// CHECK-MESSAGES: :[[@LINE-5]]:19: note: port_busy() reads it with an atomic operation here
	// CHECK-FIXES: return READ_ONCE(p->flags) & 2;
}

void *port_take(struct port *p)
{
	return xchg(&p->pending, NULL);
}

bool port_idle(struct port *p)
{
	return !p->pending;
	// CHECK-MESSAGES: :[[@LINE-1]]:10: warning: plain load of 'port::pending' races with port_take(), which writes it with an atomic operation; no lock is visibly held in port_idle() (confidence: low, 25) [kmark-missing-read-once]
	// CHECK-MESSAGES: :[[@LINE-7]]:15: note: port_take() writes 'p->pending' with an atomic operation
	// CHECK-FIXES: return !READ_ONCE(p->pending);
}

void port_fail(struct port *p, int i)
{
	set_bit(i, &p->failed);
}

int port_pick(struct port *p)
{
	unsigned long f = READ_ONCE(p->failed);
	int i;

	for (i = 0; i < 4; i++)
		if (p->failed & (1UL << i))
			return i;
	// CHECK-MESSAGES: :[[@LINE-2]]:7: warning: plain load of 'port::failed' races with port_fail(), which writes it with an atomic operation through set_bit(); port_pick() reads it with READ_ONCE() elsewhere (confidence: medium, 60) [kmark-missing-read-once]
	// CHECK-MESSAGES: :[[@LINE-12]]:14: note: port_fail() writes 'p->failed' with an atomic operation through set_bit()
	// CHECK-MESSAGES: :[[@LINE-8]]:30: note: port_pick() reads it with READ_ONCE() here
	// CHECK-FIXES: if (READ_ONCE(p->failed) & (1UL << i))
	return f ? -1 : 0;
}

/* Every atomic change of mask holds the lock this read holds: no race. */
void port_mask(struct port *p)
{
	spin_lock(&p->lock);
	set_bit(3, &p->mask);
	spin_unlock(&p->lock);
}

unsigned long port_masked(struct port *p)
{
	unsigned long m;

	spin_lock(&p->lock);
	m = p->mask;
	spin_unlock(&p->lock);
	return m;
}

/* A WRITE_ONCE() writer is named before an atomic one, and weighs full. */
void port_flag(struct port *p)
{
	set_bit(2, &p->seq);
}

void port_bump(struct port *p, unsigned long s)
{
	WRITE_ONCE(p->seq, s);
}

unsigned long port_seq(struct port *p)
{
	return p->seq;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'port::seq' races with port_bump(), which writes it with WRITE_ONCE(); no lock is visibly held in port_seq() (confidence: low, 35) [kmark-missing-read-once]
	// CHECK-MESSAGES: :[[@LINE-7]]:13: note: port_bump() writes 'p->seq' with WRITE_ONCE()
	// CHECK-FIXES: return READ_ONCE(p->seq);
}

