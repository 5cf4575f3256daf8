// RUN: %check_kmark %s kmark-missing-write-once %t --config MinConfidence=0 -- %kernel_flags
// test_bit() is a marked lockless read, as KCSAN counts it.  A plain store
// to a word that set_bit() also changes gets no fix-it: WRITE_ONCE() would
// silence the report and still lose the bits set meanwhile.  A word that
// is only read atomically gets the usual one.
#include <linux/bitops.h>
#include <linux/lock.h>

struct link {
	spinlock_t lock;
	unsigned long state;
	unsigned long mode;
};

bool link_up(struct link *l)
{
	return test_bit(0, &l->state) || test_bit(2, &l->mode);
}

void link_kick(struct link *l)
{
	set_bit(1, &l->state);
}

void link_reset(struct link *l)
{
	spin_lock(&l->lock);
	l->state = 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'link::state' races with lockless reader link_up(), which holds no lock; this store holds 'link::lock' (confidence: medium, 67); no fix-it: other code changes the field with atomic operations, whose updates WRITE_ONCE() would lose: use one of them, or a lock [kmark-missing-write-once]
	// CHECK-MESSAGES: :17:22: note: link_up() reads 'l->state' through test_bit() with an atomic operation and no lock, while this store holds 'link::lock'
	// CHECK-FIXES: l->state = 0;
	spin_unlock(&l->lock);
}

void link_set_mode(struct link *l, unsigned long m)
{
	spin_lock(&l->lock);
	l->mode = m;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'link::mode' races with lockless reader link_up(), which holds no lock; this store holds 'link::lock' (confidence: medium, 60) [kmark-missing-write-once]
	// CHECK-MESSAGES: :17:48: note: link_up() reads 'l->mode' through test_bit() with an atomic operation and no lock, while this store holds 'link::lock'
	// CHECK-FIXES: WRITE_ONCE(l->mode, m);
	spin_unlock(&l->lock);
}
