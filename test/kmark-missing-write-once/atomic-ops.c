// RUN: %check_kmark %s kmark-missing-write-once %t --config MinConfidence=0 -- %kernel_flags
// test_bit() is a marked lockless read, as KCSAN counts it, at 25 less than
// a READ_ONCE() reader: an atomic operation marks its RMW's atomicity.  A
// plain read-modify-write of a word that set_bit() may change beside it
// gets no fix-it: WRITE_ONCE() would silence the report and still lose the
// bit.  A whole store gets WRITE_ONCE(), as does a store where every atomic
// change holds its lock, or where there is none.  The function's own set_bit()
// counts as a helper's marking (20), which lifts a guarded store to the
// default tier.
#include <linux/bitops.h>
#include <linux/lock.h>

struct link {
	spinlock_t lock;
	unsigned long state;
	unsigned long mode;
	unsigned long caps;
};

bool link_up(struct link *l)
{
	return test_bit(0, &l->state) || test_bit(2, &l->mode) ||
	       test_bit(1, &l->caps);
}

void link_kick(struct link *l)
{
	set_bit(1, &l->state);
}

void link_reset(struct link *l)
{
	spin_lock(&l->lock);
	l->state &= ~1UL;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain read-modify-write to 'link::state' races with lockless reader link_up(), which holds no lock; this store holds 'link::lock' (confidence: low, 35); no fix-it: link_kick() changes the field with an atomic operation through set_bit() without a lock this store holds; this read-modify-write loses its update, marked or not, and WRITE_ONCE() would only silence KCSAN: use an atomic operation, or a lock [kmark-missing-write-once]
	// CHECK-MESSAGES: :22:22: note: link_up() reads 'l->state' through test_bit() with an atomic operation and no lock, while this store holds 'link::lock'
	// CHECK-FIXES: l->state &= ~1UL;
	spin_unlock(&l->lock);
}

/* A whole store: either order with set_bit() is one the code allows. */
void link_clear(struct link *l)
{
	spin_lock(&l->lock);
	l->state = 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'link::state' races with lockless reader link_up(), which holds no lock; this store holds 'link::lock' (confidence: low, 35) [kmark-missing-write-once]
	// CHECK-MESSAGES: :22:22: note: link_up() reads 'l->state' through test_bit() with an atomic operation and no lock, while this store holds 'link::lock'
	// CHECK-FIXES: WRITE_ONCE(l->state, 0);
	spin_unlock(&l->lock);
}

void link_set_mode(struct link *l, unsigned long m)
{
	spin_lock(&l->lock);
	l->mode = m;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'link::mode' races with lockless reader link_up(), which holds no lock; this store holds 'link::lock' (confidence: low, 35) [kmark-missing-write-once]
	// CHECK-MESSAGES: :22:48: note: link_up() reads 'l->mode' through test_bit() with an atomic operation and no lock, while this store holds 'link::lock'
	// CHECK-FIXES: WRITE_ONCE(l->mode, m);
	spin_unlock(&l->lock);
}

void link_set_caps(struct link *l, unsigned long c)
{
	spin_lock(&l->lock);
	set_bit(3, &l->caps);
	l->caps = c;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'link::caps' races with lockless reader link_up(); link_set_caps() writes it with an atomic operation through set_bit() elsewhere (confidence: medium, 55) [kmark-missing-write-once]
	// CHECK-MESSAGES: :23:22: note: link_up() reads 'l->caps' through test_bit() with an atomic operation and no lock, while this store holds 'link::lock'
	// CHECK-MESSAGES: :[[@LINE-4]]:14: note: link_set_caps() writes it with an atomic operation here
	// CHECK-FIXES: WRITE_ONCE(l->caps, c);
	spin_unlock(&l->lock);
}
