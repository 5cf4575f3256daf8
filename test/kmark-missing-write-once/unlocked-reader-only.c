// RUN: %check_kmark %s kmark-missing-write-once %t --config MinConfidence=low -- %kernel_flags
// A store that holds no lock and has nothing for it but a lockless
// READ_ONCE() reader (its function marks nothing of the field, no peer
// does, no second reader reads it plainly) counts 10 less and stays in the
// low tier, even where most of the field's stores are marked: such stores
// are mostly setup of an object no reader reaches yet.  The same store
// under a lock the reader does not hold, or beside its function's own
// WRITE_ONCE(), keeps its evidence.  A reader that holds a lock of its
// own, one the store does not take, is no more evidence than a lockless
// one: that store counts 10 less as well.
#include <linux/compiler.h>
#include <linux/lock.h>

struct ring {
	spinlock_t lock;
	unsigned int head;
	unsigned int tail;
};

unsigned int ring_avail(struct ring *r)
{
	return READ_ONCE(r->head) - READ_ONCE(r->tail);
}

void ring_push(struct ring *r, unsigned int n)
{
	if (n == 1)
		WRITE_ONCE(r->head, r->head + 1);
	else if (n == 2)
		WRITE_ONCE(r->head, r->head + 2);
	else if (n == 4)
		WRITE_ONCE(r->head, r->head + 4);
	else
		WRITE_ONCE(r->head, r->head + n);
	WRITE_ONCE(r->tail, r->tail + 1);
}

void ring_pop(struct ring *r)
{
	WRITE_ONCE(r->head, r->head - 1);
	WRITE_ONCE(r->tail, r->tail - 1);
}

void ring_setup(struct ring *r)
{
	r->head = 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'ring::head' races with lockless reader ring_avail() (confidence: low, 40) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(r->head, 0);
}

void ring_reset(struct ring *r)
{
	spin_lock(&r->lock);
	r->head = 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'ring::head' races with lockless reader ring_avail(), which holds no lock; this store holds 'ring::lock' (confidence: high, 70) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(r->head, 0);
	spin_unlock(&r->lock);
}

void ring_rewind(struct ring *r)
{
	r->tail = 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'ring::tail' races with lockless reader ring_avail(); ring_rewind() writes it with WRITE_ONCE() elsewhere (confidence: high, 91) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(r->tail, 0);
	WRITE_ONCE(r->tail, 1);
}

struct port {
	spinlock_t lock;
	spinlock_t stats_lock;
	int mtu;
};

int port_mtu(struct port *p)
{
	int v;

	spin_lock(&p->stats_lock);
	v = READ_ONCE(p->mtu);
	spin_unlock(&p->stats_lock);
	return v;
}

void port_set_mtu_locked(struct port *p, int m)
{
	spin_lock(&p->lock);
	WRITE_ONCE(p->mtu, m);
	spin_unlock(&p->lock);
}

void port_set_mtu(struct port *p, int m)
{
	p->mtu = m;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'port::mtu' races with reader port_mtu(){{.*}} (confidence: low, 37) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(p->mtu, m);
}
