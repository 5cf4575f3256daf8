// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// Regression (mm/swapfile.c swap_offset_available_and_locked() on 6.12): a
// function that returns true holding the lock and false without it is a
// trylock, derived from its body with no name in the model; so is one
// that passes a trylock's result on.  The caller holds the lock on the
// branch that tests for success, and only there.
#include <linux/lock.h>

struct slot {
	spinlock_t lock;
	unsigned long used;
};

void slot_fill(struct slot *s)
{
	spin_lock(&s->lock);
	WRITE_ONCE(s->used, s->used + 1);
	spin_unlock(&s->lock);
}

unsigned long slot_peek(struct slot *s)
{
	return READ_ONCE(s->used);
}

static int slot_free_and_locked(struct slot *s)
{
	if (!READ_ONCE(s->used))
		return 0;
	spin_lock(&s->lock);
	return 1;
}

static int slot_trylock(struct slot *s)
{
	int got = spin_trylock(&s->lock);

	return got;
}

unsigned long slot_take(struct slot *s)
{
	unsigned long v;

	if (!slot_free_and_locked(s))
		return s->used;
	// CHECK-MESSAGES: :[[@LINE-1]]:10: warning: plain load of 'slot::used' races with slot_fill(), which writes it with WRITE_ONCE(){{.*}} [kmark-missing-read-once]
	// CHECK-FIXES: return READ_ONCE(s->used);
	v = s->used;
	spin_unlock(&s->lock);
	return v;
}

unsigned long slot_try_take(struct slot *s)
{
	unsigned long v;

	if (!slot_trylock(s))
		return 0;
	v = s->used;
	spin_unlock(&s->lock);
	return v;
}
