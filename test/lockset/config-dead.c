// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// Regression (mm/slub.c do_slab_free() on 6.12): code in a branch that this
// configuration compiles out still runs in another one, and the locks it
// takes are its own. The else arm of a constant condition is analysed as
// reachable, so its read under the per-CPU lock every writer holds is not
// lockless.
#include <linux/lock.h>

#define FAST_PATH 1

struct pcpu {
	local_lock_t lock;
	unsigned long tid;
};

void pcpu_bump(struct pcpu *c)
{
	local_lock(&c->lock);
	c->tid = c->tid + 1;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'pcpu::tid' races with lockless reader pcpu_peek(){{.*}} [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(c->tid, c->tid + 1);
	local_unlock(&c->lock);
}

unsigned long pcpu_peek(struct pcpu *c)
{
	return READ_ONCE(c->tid);
}

unsigned long pcpu_take(struct pcpu *c)
{
	unsigned long t;

	if (FAST_PATH) {
		t = READ_ONCE(c->tid);
	} else {
		local_lock(&c->lock);
		t = c->tid;
		local_unlock(&c->lock);
	}
	return t;
}
