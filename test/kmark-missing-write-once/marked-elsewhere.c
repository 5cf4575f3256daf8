// RUN: %check_kmark %s kmark-missing-write-once %t --config MinConfidence=low -- %kernel_flags
// Beside a READ_ONCE() reader, a plain store of a field whose other stores
// are a third or more marked, none in its own function, was left plain by
// an author who marked the stores that race (the triages: 13 real of 30,
// against 60 of 71 where no store is marked): low tier, its confidence
// term marked-stores-elsewhere; where no store is marked, medium.
#include <linux/lock.h>

struct gate {
	spinlock_t lock;
	unsigned int open;
	unsigned int shut;
};

unsigned int gate_open(struct gate *g)
{
	return READ_ONCE(g->open) + READ_ONCE(g->shut);
}

void gate_set(struct gate *g, unsigned int v)
{
	spin_lock(&g->lock);
	WRITE_ONCE(g->open, v);
	spin_unlock(&g->lock);
}

void gate_reset(struct gate *g)
{
	spin_lock(&g->lock);
	g->open = 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'gate::open' races with lockless reader gate_open(), which holds no lock; this store holds 'gate::lock' (confidence: low, 45) [kmark-missing-write-once]
	// CHECK-MESSAGES: :17:19: note: gate_open() reads 'g->open' with READ_ONCE() and no lock, while this store holds 'gate::lock'
	// CHECK-FIXES: WRITE_ONCE(g->open, 0);
	g->shut = 1;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'gate::shut' races with lockless reader gate_open(), which holds no lock; this store holds 'gate::lock' (confidence: medium, 60) [kmark-missing-write-once]
	// CHECK-MESSAGES: :17:40: note: gate_open() reads 'g->shut' with READ_ONCE() and no lock, while this store holds 'gate::lock'
	// CHECK-FIXES: WRITE_ONCE(g->shut, 1);
	spin_unlock(&g->lock);
}
